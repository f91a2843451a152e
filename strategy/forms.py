"""The forms of the priorities pages: they collect input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from divisions.models import Level, OrgUnit, RoleAssignment
from kpis.models import Kpi
from pmf.formatting import format_month
from pmf.models import User
from pmf.periods import FinancialYear, parse_month
from pmf.roles import Role

from .models import Priority, PriorityStatus

DATE = forms.DateInput(attrs={"type": "date"})


def executives() -> QuerySet[User]:
    """People who hold (or held) the executive role: the Board's priorities are owned by executives."""
    ids = RoleAssignment.objects.filter(role=Role.EXECUTIVE).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def linkable_actions() -> QuerySet[Any]:
    """The action log, read through the priority's link (the reviews app sits above this one)."""
    action = Priority._meta.get_field("actions").related_model
    return action.objects.select_related("division").order_by("division__name", "due_date", "pk")  # type: ignore[union-attr]


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class PriorityForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = PersonChoice(label="Executive owner", queryset=User.objects.none())
    objectives = forms.CharField(
        label="Strategic objectives it serves",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line.",
    )
    division = forms.ModelChoiceField(
        label="Leading division", queryset=OrgUnit.objects.none(), required=False
    )
    kpis = forms.ModelMultipleChoiceField(
        label="KPIs that show progress", queryset=Kpi.objects.none(), required=False
    )
    actions = forms.ModelMultipleChoiceField(label="Actions that deliver it", queryset=None, required=False)

    def __init__(self, *args: Any, years: list[int], division_word: str = "Division", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, FinancialYear(y).label) for y in years]  # type: ignore[attr-defined]
        self.fields["owner"].queryset = executives()  # type: ignore[attr-defined]
        self.fields["division"].queryset = OrgUnit.objects.filter(level=Level.DIVISION).order_by("name")  # type: ignore[attr-defined]
        self.fields["division"].label = f"Leading {division_word.lower()}"
        self.fields["kpis"].queryset = Kpi.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["actions"].queryset = linkable_actions()  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_date = forms.DateField(label="Due", widget=DATE)
    completed_on = forms.DateField(label="Completed on", required=False, widget=DATE)
    org_unit = forms.ModelChoiceField(
        label="Delivered by",
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text="If not the priority's lead.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.exclude(level=Level.TRUST).order_by("code")  # type: ignore[attr-defined]


class PriorityUpdateForm(forms.Form):
    month = forms.TypedChoiceField(coerce=parse_month)
    status = forms.ChoiceField(choices=PriorityStatus.choices, widget=forms.RadioSelect)
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has been done this month, and what comes next.",
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it: papers, figures, decisions, with where to find them.",
    )

    def __init__(self, *args: Any, months: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{m:%Y-%m}", format_month(m)) for m in months]  # type: ignore[attr-defined]
