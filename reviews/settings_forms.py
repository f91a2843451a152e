"""Forms of what ratings and PRMs are set up with (criteria, freedoms, terms of reference), shared by the
admin and the performance team's review settings page; each says in words what the database would refuse."""

from __future__ import annotations

from typing import Any

from django import forms

from divisions.words import trust_words
from pmf.roles import Role

from .models import Criterion, Freedom, TermsOfReference


class CriterionForm(forms.ModelForm):
    """Which KPIs a rating criterion selects: a domain, a tag, or both, and key KPIs only or all."""

    class Meta:
        model = Criterion
        fields = ["name", "order", "domain", "tag", "key_only", "counts_policy_breaches"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        division = trust_words().division.lower()  # the model's help text, in the trust's words
        self.fields[
            "counts_policy_breaches"
        ].help_text = f"A policy breach recorded for the {division} and month fails this criterion"


class FreedomForm(forms.ModelForm):
    class Meta:
        model = Freedom
        fields = ["position", "name", "detail", "order"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        position, name = data.get("position"), data.get("name")
        same = Freedom.objects.filter(position=position or 0, name=name or "").exclude(pk=self.instance.pk)
        if position and name and same.exists():
            self.add_error("name", f"Position {data['position']} already has a freedom of that name.")
        return data


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
        super().clean()
        data = self.cleaned_data
        chair, essential = data.get("chair_role"), data.get("essential_roles") or []
        if chair and essential and chair not in essential:
            self.add_error("essential_roles", "The chair's role must be among those who must attend.")
        return data
