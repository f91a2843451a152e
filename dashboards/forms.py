"""Forms for the divisional dashboard: they collect input; services do the writing."""

from django import forms


class CommentaryForm(forms.Form):
    """The KPI owner's commentary on one month (DESIGN §3, Commentary)."""

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
