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
