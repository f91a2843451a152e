"""Forms of the review settings page: the PRM slot and the review frequencies here; criteria, freedoms and
terms of reference come from ``reviews``, committees from ``escalation``, where the admin uses the same
forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from divisions.review_frequencies import FREQUENCIES, POSITIONS, review_frequency_problems
from escalation.settings_forms import WEEKDAYS, WEEKS, CommitteeForm
from pmf.words import TrustWords
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
    """The PRM slot and how often each position is reviewed (a frequency left blank stays as it is)."""

    weekday = forms.TypedChoiceField(label="PRMs fall on a", choices=WEEKDAYS, coerce=int)
    week_of_month = forms.TypedChoiceField(label="in the week of the month", choices=WEEKS, coerce=int)

    def __init__(self, *args: Any, words: TrustWords, current: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        for position in POSITIONS:
            self.fields[f"position_{position}"] = forms.ChoiceField(
                label=f"A {words.division.lower()} at position {position} ({words.position_name(position)})"
                " is reviewed",
                choices=[("", "as now"), *((f, f) for f in FREQUENCIES)],
                required=False,
                initial=current.get(str(position), ""),
            )

    def frequencies(self) -> dict[str, str]:
        """The table the form gives: each position's choice, or its frequency as now where left blank."""
        return {
            str(p): self.cleaned_data.get(f"position_{p}") or self.current.get(str(p), "") for p in POSITIONS
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for problem in review_frequency_problems(self.frequencies()):
            self.add_error(None, problem)
        return cleaned
