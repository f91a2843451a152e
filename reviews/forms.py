from datetime import date

from django import forms

from .models.ratings import POSITION_CHOICES


class AccountabilityReviewForm(forms.Form):
    held_on = forms.DateField(
        label="Held on", initial=date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    agreed_position = forms.TypedChoiceField(label="Agreed position", choices=POSITION_CHOICES, coerce=int)
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when the agreed position differs from the computed one.",
    )
