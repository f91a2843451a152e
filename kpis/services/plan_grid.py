"""A year's targets and trajectories written from a grid: KPIs × units × the twelve months.

Each row of the grid is one KPI for one unit (or, with no unit, for all units): the target and tolerance
for the year, and a trajectory value per month. A blank cell means "no plan here": saving a blank where
there was a value removes it. The row's target is the year's opening one (the earliest ``effective_from``
in the year, 1 April for a new one); an interim target that takes over later in the year is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from divisions.models import OrgUnit
from pmf.models import AuditEvent
from pmf.periods import FinancialYear
from pmf.services.audit import Actor

from ..models import Kpi, Target, Trajectory


@dataclass(frozen=True)
class PlanRow:
    """What one grid row should hold after the save; ``None`` is a blank cell."""

    kpi: Kpi
    unit: OrgUnit | None
    target: float | None
    tolerance: float | None
    set_by: str
    months: dict[date, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanChanges:
    added: int
    changed: int
    removed: int

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


def opening_targets(kpis: Sequence[Kpi], year: FinancialYear) -> dict[tuple[int, int | None], Target]:
    """Each (KPI, unit) pair's opening target of the year, in one query; unit ``None`` is all units."""
    found: dict[tuple[int, int | None], Target] = {}
    rows = Target.objects.filter(kpi__in=kpis, financial_year=year.label).order_by("effective_from")
    for target in rows:
        found.setdefault((target.kpi_id, target.org_unit_id), target)
    return found


def year_trajectories(
    kpis: Sequence[Kpi], units: Sequence[OrgUnit], year: FinancialYear
) -> dict[tuple[int, int, date], Trajectory]:
    """Every trajectory of the KPIs and units in the year, in one query."""
    rows = Trajectory.objects.filter(
        kpi__in=kpis, org_unit__in=units, month__gte=year.first_day, month__lte=year.last_day
    )
    return {(t.kpi_id, t.org_unit_id, t.month): t for t in rows}


class _Audit:
    """The events of one save, written together at the end."""

    def __init__(self, actor: Actor, note: str) -> None:
        self.username = actor.get_username() if actor is not None and actor.is_authenticated else ""
        self.note, self.events = note, []  # type: tuple[str, list[AuditEvent]]

    def add(self, verb: str, model: type[Any], name: str, before: Any, after: Any) -> None:
        self.events.append(
            AuditEvent(
                actor=self.username,
                verb=verb,
                object_type=model._meta.label,
                object_id=name,
                before=before,
                after=after,
                note=self.note,
            )
        )


def _target_values(row: PlanRow) -> dict[str, Any]:
    return {"value": row.target, "tolerance": row.tolerance or 0.0, "set_by": row.set_by}


@transaction.atomic
def save_plan_grid(*, actor: Actor, financial_year: str, rows: Sequence[PlanRow]) -> PlanChanges:
    """Write every row's target and trajectories for the year, in one transaction, each change audited.

    1. Read the year's opening targets and the trajectories of the grid's KPIs and units (two queries).
    2. For each cell compare what is there with what the row asks for: add, change or remove.
    3. Write the additions and changes in bulk (their history kept), the removals, and one audit event per
       changed record with its before and after, named by KPI code, unit code and year or month.
    """
    year = FinancialYear.parse(financial_year)
    kpis = list({row.kpi.pk: row.kpi for row in rows}.values())
    units = list({row.unit.pk: row.unit for row in rows if row.unit is not None}.values())
    targets, trajectories = opening_targets(kpis, year), year_trajectories(kpis, units, year)
    audit = _Audit(actor, f"targets and trajectories for {year.label} entered as a grid")
    new_targets: list[Target] = []
    changed_targets: list[Target] = []
    new_steps: list[Trajectory] = []
    changed_steps: list[Trajectory] = []
    gone: list[Target | Trajectory] = []

    for row in rows:
        where = row.unit.code if row.unit else "all units"
        name = f"{row.kpi.code} {where} {year.label}"
        target = targets.get((row.kpi.pk, row.unit.pk if row.unit else None))
        if row.target is None and target is not None:
            gone.append(target)
            audit.add("removed", Target, name, _target_snapshot(target), None)
        elif row.target is not None and target is None:
            wanted = _target_values(row)
            new_targets.append(
                Target(
                    kpi=row.kpi,
                    org_unit=row.unit,
                    financial_year=year.label,
                    effective_from=year.first_day,
                    **wanted,
                )
            )
            audit.add("created", Target, name, None, wanted)
        elif row.target is not None and target is not None:
            before, wanted = _target_snapshot(target), _target_values(row)
            if before != wanted:
                for key, value in wanted.items():
                    setattr(target, key, value)
                changed_targets.append(target)
                audit.add("updated", Target, name, before, wanted)
        if row.unit is None:
            continue
        for month, value in row.months.items():
            step = trajectories.get((row.kpi.pk, row.unit.pk, month))
            name = f"{row.kpi.code} {row.unit.code} {month:%Y-%m}"
            if value is None and step is not None:
                gone.append(step)
                audit.add("removed", Trajectory, name, {"value": step.value}, None)
            elif value is not None and step is None:
                new_steps.append(Trajectory(kpi=row.kpi, org_unit=row.unit, month=month, value=value))
                audit.add("created", Trajectory, name, None, {"value": value})
            elif value is not None and step is not None and step.value != value:
                audit.add("updated", Trajectory, name, {"value": step.value}, {"value": value})
                step.value = value
                changed_steps.append(step)

    user = actor if actor is not None and actor.is_authenticated else None
    bulk_create_with_history(new_targets, Target, default_user=user)
    bulk_update_with_history(changed_targets, Target, ["value", "tolerance", "set_by"], default_user=user)
    bulk_create_with_history(new_steps, Trajectory, default_user=user)
    bulk_update_with_history(changed_steps, Trajectory, ["value"], default_user=user)
    for record in gone:
        record.delete()
    AuditEvent.objects.bulk_create(audit.events)
    return PlanChanges(
        added=len(new_targets) + len(new_steps),
        changed=len(changed_targets) + len(changed_steps),
        removed=len(gone),
    )


def _target_snapshot(target: Target) -> dict[str, Any]:
    return {"value": target.value, "tolerance": target.tolerance, "set_by": target.set_by}
