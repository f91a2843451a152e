from datetime import date

from django import forms

from pmf.periods import parse_month


class RecalculationForm(forms.Form):
    month = forms.CharField(
        label="First month of the new limits", help_text="YYYY-MM, e.g. 2021-04", max_length=10
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Shown on the chart: what changed in the process, e.g. a new pathway or definition.",
    )

    def clean_month(self) -> date:
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Data file",
        help_text="CSV (UTF-8 or Excel's CSV) or an Excel workbook (.xlsx) with the columns of the template.",
    )

    def clean_file(self) -> bytes:
        from django.conf import settings

        uploaded = self.cleaned_data["file"]
        limit = settings.PMF_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                f"The file is {uploaded.size / 1e6:.1f} MB; the most PMF accepts is {limit / 1e6:.1f} MB."
            )
        return uploaded.read()


class TemplateMonthForm(forms.Form):
    month = forms.CharField(label="Month", help_text="YYYY-MM, e.g. 2025-08", max_length=10)

    def clean_month(self) -> date:
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class CommentaryForm(forms.Form):
    """The commentary on one KPI for a month, by the KPI's owner or a division (DESIGN §3, Commentary)."""

    what_the_chart_tells_us = forms.CharField(
        label="What the chart tells us",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Filled in with the sentence generated from the chart; edit it as you see fit.",
    )
    issues = forms.CharField(label="Issues", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(label="Actions", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    mitigations = forms.CharField(
        label="Mitigations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recovery_date = forms.DateField(
        label="Expected recovery date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When performance is expected to be back on plan.",
    )
