"""The targets-and-trajectories grid: which KPIs, units and year it shows, and reading its cells back.

Every cell is read before anything is saved; a cell that cannot be read keeps what was typed and gets its
reason beside it, and nothing is saved until every cell reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from divisions.models import Level, OrgUnit
from kpis.ingest.validate import LARGEST, NON_NEGATIVE_UNITS
from kpis.models import Domain, Kpi, Target, Trajectory
from kpis.services.plan_grid import PlanRow
from pmf.formatting import format_month, format_plain, format_value
from pmf.periods import FinancialYear
from pmf.words import TrustWords

UNIT_LEVELS = (Level.DIVISION, Level.SERVICE, Level.TEAM)


class GridChoiceForm(forms.Form):
    """What the grid shows: one KPI or a whole domain, for one financial year, at one level of units."""

    kpi = forms.ModelChoiceField(
        label="KPI", queryset=Kpi.objects.order_by("code"), required=False, to_field_name="code"
    )
    domain = forms.ModelChoiceField(
        label="or a domain", queryset=Domain.objects.all(), required=False, to_field_name="code"
    )
    year = forms.CharField(label="Financial year", max_length=7, help_text="e.g. 2025/26")
    level = forms.ChoiceField(label="Units", initial=Level.DIVISION)

    def __init__(self, *args: Any, words: TrustWords, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level, words.level(level, many=True)) for level in UNIT_LEVELS]  # type: ignore[attr-defined]

    def clean_year(self) -> FinancialYear:
        try:
            return FinancialYear.parse(self.cleaned_data["year"].replace("-", "/"))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("kpi") and not data.get("domain"):
            raise forms.ValidationError("Choose a KPI or a domain.")
        return data

    def kpis(self) -> list[Kpi]:
        data = self.cleaned_data
        if data.get("kpi"):
            return [data["kpi"]]
        year: FinancialYear = data["year"]
        return list(
            Kpi.objects.filter(domain=data["domain"], active_from__lte=year.last_day)
            .filter(Q(active_to__isnull=True) | Q(active_to__gte=year.first_day))
            .order_by("code")
        )

    def units(self) -> QuerySet[OrgUnit]:
        year: FinancialYear = self.cleaned_data["year"]
        return (
            OrgUnit.objects.filter(level=self.cleaned_data["level"], active_from__lte=year.last_day)
            .filter(Q(active_to__isnull=True) | Q(active_to__gte=year.first_day))
            .order_by("parent__name", "name")
        )


@dataclass
class GridLine:
    """One row as shown: a KPI for a unit (or for all units), its cells' text and any cell's reason."""

    kpi: Kpi
    unit: OrgUnit | None
    target: str = ""
    tolerance: str = ""
    set_by: str = Target.SetBy.LOCAL
    months: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kpi.pk}-{self.unit.pk if self.unit else 'all'}"

    @property
    def where(self) -> str:
        return self.unit.name if self.unit else "All units"

    @property
    def month_cells(self) -> list[tuple[int, str, str]]:
        """(index, text, reason) for each month, for the template."""
        return [(i, text, self.errors.get(f"m{i}", "")) for i, text in enumerate(self.months)]


def grid_lines(
    kpis: list[Kpi],
    units: list[OrgUnit],
    year: FinancialYear,
    targets: dict[tuple[int, int | None], Target],
    trajectories: dict[tuple[int, int, date], Trajectory],
) -> list[GridLine]:
    """The grid as it stands: for each KPI a row for all units, then one per unit, cells prefilled."""
    lines = []
    for kpi in kpis:
        for unit in [None, *units]:
            target = targets.get((kpi.pk, unit.pk if unit else None))
            months = [
                format_plain(step.value) if unit and (step := trajectories.get((kpi.pk, unit.pk, m))) else ""
                for m in year.months
            ]
            lines.append(
                GridLine(
                    kpi=kpi,
                    unit=unit,
                    target=format_plain(target.value) if target else "",
                    tolerance=format_plain(target.tolerance) if target else "",
                    set_by=target.set_by if target else Target.SetBy.LOCAL,
                    months=months if unit else [],
                )
            )
    return lines


def posted_lines(data: Any, kpis: list[Kpi], units: list[OrgUnit], year: FinancialYear) -> list[GridLine]:
    """The grid as it was posted: the same rows, each cell's text as typed."""
    lines = []
    for kpi in kpis:
        for unit in [None, *units]:
            line = GridLine(kpi=kpi, unit=unit)
            line.target = data.get(f"t-{line.key}", "").strip()
            line.tolerance = data.get(f"tol-{line.key}", "").strip()
            line.set_by = data.get(f"by-{line.key}", Target.SetBy.LOCAL)
            line.months = [data.get(f"m{i}-{line.key}", "").strip() for i in range(12)] if unit else []
            lines.append(line)
    return lines


def read_lines(lines: list[GridLine], year: FinancialYear) -> list[PlanRow]:
    """Each line's cells as numbers; a cell that does not read gets its reason in ``line.errors``.

    The caller saves only when no line has an error.
    """
    rows = []
    for line in lines:
        low, high = _plausible_range(line.kpi)
        target = _cell(line, "target", line.target, low, high)
        tolerance = _cell(line, "tolerance", line.tolerance, 0.0, LARGEST)
        if tolerance is not None and target is None and "target" not in line.errors:
            line.errors["tolerance"] = "A tolerance needs a target to be measured from."
        if line.set_by not in Target.SetBy.values:
            line.errors["set_by"] = f"'{line.set_by}' is not one of: {', '.join(Target.SetBy.values)}."
        months = {
            month: _cell(line, f"m{i}", text, low, high, month=month)
            for i, (month, text) in enumerate(zip(year.months, line.months, strict=False))
        }
        rows.append(
            PlanRow(
                kpi=line.kpi,
                unit=line.unit,
                target=target,
                tolerance=tolerance,
                set_by=line.set_by,
                months=months,
            )
        )
    return rows


def _plausible_range(kpi: Kpi) -> tuple[float, float]:
    """The values a plan for ``kpi`` can take: the catalogue's plausible range, else its unit's."""
    low = 0.0 if kpi.unit in NON_NEGATIVE_UNITS else -LARGEST
    high = 100.0 if kpi.unit == Kpi.Unit.PERCENT else LARGEST
    return (
        kpi.plausible_min if kpi.plausible_min is not None else low,
        kpi.plausible_max if kpi.plausible_max is not None else high,
    )


def _cell(
    line: GridLine, name: str, text: str, low: float, high: float, *, month: date | None = None
) -> float | None:
    """``text`` as a number within [low, high]; blank is ``None``; otherwise the reason goes on the line."""
    if not text:
        return None
    what = f"{format_month(month)}: " if month else ""
    try:
        number = float(text.replace(",", "").removesuffix("%").strip())
    except ValueError:
        line.errors[name] = f"{what}'{text}' is not a number."
        return None
    if not math.isfinite(number):
        line.errors[name] = f"{what}'{text}' is not a number."
    elif not low <= number <= high:
        line.errors[name] = what + _out_of_range(line.kpi, name, text, low, high)
    return number if name not in line.errors else None


def _out_of_range(kpi: Kpi, name: str, text: str, low: float, high: float) -> str:
    if name == "tolerance":
        return f"'{text}' is not a tolerance: it is a distance from the plan, so it cannot be below zero."
    if low <= -LARGEST:
        return f"'{text}' is above {format_value(high, kpi.unit)}, the most {kpi.code} can be."
    if high >= LARGEST:
        return f"'{text}' is below {format_value(low, kpi.unit)}, the least {kpi.code} can be."
    span = f"{format_value(low, kpi.unit)} to {format_value(high, kpi.unit)}"
    return f"'{text}' is outside what {kpi.code} can be ({span})."
