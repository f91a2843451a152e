"""Forms of the people pages: a person's details, a role given between two dates, a role ended."""

from __future__ import annotations

from typing import Any

from django import forms

from divisions.models import Level, OrgUnit, Role
from kpis.catalogue_forms import DATE_INPUT
from pmf.models import User


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "is_active"]
        labels = {"is_active": "May sign in"}
        help_texts = {
            "username": "As they sign in; with single sign-on, their trust account's name",
            "is_active": "Untick to stop them signing in; their roles and history stay",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]

    def validate_unique(self) -> None:
        """The service says when a username is taken, in words."""


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    division = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    start = forms.DateField(widget=DATE_INPUT)
    end = forms.DateField(widget=DATE_INPUT, required=False, help_text="Blank while they hold it")

    def __init__(self, *args: Any, words: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r.value, words.role(r.value, r.label)) for r in Role]
        field = self.fields["division"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            OrgUnit.objects.exclude(level=Level.TRUST)
            .filter(active_to__isnull=True)
            .order_by("level", "name")
        )
        division, service, team = words.division.lower(), words.service.lower(), words.team.lower()
        field.label = f"{words.division}, {service} or {team}"
        field.help_text = (
            f"For a managing director, clinical director or clinical lead: their {division}; for a "
            f"{words.role(Role.SERVICE_MANAGER, '').lower()}: their {service}; for a "
            f"{words.role(Role.WARD_MANAGER, '').lower()}: their {team}"
        )


class EndRoleForm(forms.Form):
    last_day = forms.DateField(label="Last day in the role", widget=DATE_INPUT)
