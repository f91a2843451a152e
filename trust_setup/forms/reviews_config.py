"""Forms of the review settings: rating criteria, freedoms, committees, terms of reference and the PRM slot.

Each says in words what the database would refuse by a constraint's name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from escalation.models import Committee
from pmf.roles import Role
from reviews.models import Criterion, Freedom, TermsOfReference

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth")]
COMMITTEE_WEEKS = [*WEEKS, (-1, "Last")]


class CriterionForm(forms.ModelForm):
    """Which KPIs a rating criterion selects: a domain, a tag, or both, and key KPIs only or all."""

    class Meta:
        model = Criterion
        fields = ["name", "order", "domain", "tag", "key_only", "counts_policy_breaches"]


class FreedomForm(forms.ModelForm):
    class Meta:
        model = Freedom
        fields = ["position", "name", "detail", "order"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        same = Freedom.objects.filter(position=data.get("position"), name=data.get("name"))
        if data.get("name") and same.exclude(pk=self.instance.pk).exists():
            self.add_error("name", f"Position {data['position']} already has a freedom of that name.")
        return data


class CommitteeForm(forms.ModelForm):
    meets_weekday = forms.TypedChoiceField(label="Meets on", choices=WEEKDAYS, coerce=int)
    meets_week = forms.TypedChoiceField(label="Week of the month", choices=COMMITTEE_WEEKS, coerce=int)

    class Meta:
        model = Committee
        fields = ["code", "name", "purpose", "order", "meets_weekday", "meets_week"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields[
                "code"
            ].help_text = "Cases and their history name the committee by its code, so it stays."


class TermsOfReferenceForm(forms.ModelForm):
    chair_role = forms.ChoiceField(label="Chaired by", choices=Role.choices)
    essential_roles = forms.MultipleChoiceField(
        label="Must attend", choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TermsOfReference
        fields = ["purpose", "chair_role", "essential_roles", "quorum"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "quorum": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chair, essential = data.get("chair_role"), data.get("essential_roles") or []
        if chair and essential and chair not in essential:
            self.add_error("essential_roles", "The chair's role must be among those who must attend.")
        return data


class PrmSlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label="PRMs fall on a", choices=WEEKDAYS, coerce=int)
    week_of_month = forms.TypedChoiceField(label="in the week of the month", choices=WEEKS, coerce=int)
