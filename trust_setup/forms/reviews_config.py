"""Forms of the review settings page: the PRM slot here; criteria, freedoms and terms of reference come from
``reviews``, committees from ``escalation``, where the admin uses the same forms."""

from __future__ import annotations

from django import forms

from escalation.settings_forms import WEEKDAYS, WEEKS, CommitteeForm
from reviews.settings_forms import CriterionForm, FreedomForm, TermsOfReferenceForm

__all__ = [
    "WEEKDAYS",
    "WEEKS",
    "CommitteeForm",
    "CriterionForm",
    "FreedomForm",
    "PrmSlotForm",
    "TermsOfReferenceForm",
]


class PrmSlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label="PRMs fall on a", choices=WEEKDAYS, coerce=int)
    week_of_month = forms.TypedChoiceField(label="in the week of the month", choices=WEEKS, coerce=int)
