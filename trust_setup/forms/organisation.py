"""Forms of the organisation pages: add a unit, move it from a date, retire it.

They collect input; the rules (one trust, strictly level by level, moves only between financial years,
nothing retired with active units under it) are the services' and come back as the form's error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from divisions.models import LEVEL_DEPTH, Level, OrgUnit
from kpis.catalogue_forms import DATE_INPUT
from pmf.formatting import format_date
from pmf.periods import FinancialYear


def _label(unit: OrgUnit, words: Any) -> str:
    return f"{unit.name} ({words.level(unit.level)} {unit.code})"


class UnitForm(forms.Form):
    """A new unit: its level is the one below the parent chosen (a division under the trust, …)."""

    parent = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="Sits under")
    code = forms.CharField(
        max_length=40, help_text="Short and for life, e.g. RTH-MED-CAR; uploads name units by it"
    )
    name = forms.CharField(max_length=200)
    active_from = forms.DateField(label="From", widget=DATE_INPUT)

    def __init__(self, *args: Any, words: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = OrgUnit.objects.exclude(level=Level.TEAM).filter(active_to__isnull=True).order_by("code")
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents
        field.label_from_instance = lambda unit: _label(unit, words)  # type: ignore[method-assign,assignment]
        self.fields["active_from"].initial = FinancialYear.containing(today).first_day

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def level(self) -> str:
        """The new unit's level: one below its parent's."""
        depth = LEVEL_DEPTH[Level(self.cleaned_data["parent"].level)] + 1
        return next(level for level, d in LEVEL_DEPTH.items() if d == depth)


class MoveForm(forms.Form):
    """Where a unit goes, and from which 1 April; the months before keep the old parent."""

    new_parent = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="Moves to")
    effective_from = forms.DateField(label="From", widget=DATE_INPUT, help_text="Units move on 1 April")

    def __init__(self, *args: Any, unit: OrgUnit, words: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert unit.parent is not None
        field = self.fields["new_parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            OrgUnit.objects.filter(level=unit.parent.level, active_to__isnull=True)
            .exclude(pk=unit.parent.pk)
            .order_by("code")
        )
        field.label_from_instance = lambda parent: _label(parent, words)  # type: ignore[method-assign,assignment]
        self.fields["effective_from"].initial = FinancialYear.containing(today).first_day
        self.today = today

    def clean_effective_from(self) -> date:
        """The tree changes the day a move is recorded, so a move is recorded once its 1 April has come."""
        day: date = self.cleaned_data["effective_from"]
        if day > self.today:
            raise forms.ValidationError(
                f"Record this move on or after {format_date(day)}: the tree changes the day a move is"
                " recorded."
            )
        return day


class RetireForm(forms.Form):
    last_day = forms.DateField(
        label="Last day",
        widget=DATE_INPUT,
        help_text="Its last month still reports",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_day"].initial = FinancialYear.containing(today).last_day
