"""Reads of the Board's priorities: the year's list, a priority's page, the quarterly Board update, what an
owner still owes, and the overdue milestones a division's data pack asks about.

Each read takes a fixed number of queries whatever the number of priorities, milestones or updates. The
linked KPIs stand at the trust (``kpis.selectors.standings``), as the KPI pages show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from divisions.models import OrgUnit
from divisions.selectors import default_trust, descendant_ids
from kpis.models import Kpi
from kpis.selectors import standings
from kpis.standing import KpiStanding
from pmf.models import User
from pmf.periods import add_months, month_start

from .models import Milestone, Priority, PriorityUpdate
from .progress import (
    MilestoneFacts,
    MilestoneState,
    Quarter,
    QuarterMilestones,
    completed_late,
    milestone_state,
    missing_update_month,
    quarter_milestones,
)


def priorities(year: int | None = None) -> QuerySet[Priority]:
    """Priorities with their owner, division, milestones (with units), updates (newest first) and KPIs."""
    query = (
        Priority.objects.select_related("owner", "division")
        .prefetch_related(
            Prefetch(
                "milestones", queryset=Milestone.objects.select_related("org_unit").order_by("due_date", "pk")
            ),
            Prefetch("updates", queryset=PriorityUpdate.objects.select_related("author").order_by("-month")),
            Prefetch("kpis", queryset=Kpi.objects.order_by("code")),
        )
        .order_by("title", "pk")
    )
    return query if year is None else query.filter(year=year)


def years() -> list[int]:
    """The financial years with priorities, latest first."""
    return list(Priority.objects.order_by("-year").values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    state: MilestoneState
    late: bool  # completed after its due date

    @property
    def unit(self) -> OrgUnit | None:
        return self.milestone.org_unit or self.milestone.priority.division


def milestone_rows(priority: Priority, today: date) -> list[MilestoneRow]:
    return [
        MilestoneRow(
            m, milestone_state(m.due_date, m.completed_on, today), completed_late(m.due_date, m.completed_on)
        )
        for m in priority.milestones.all()
    ]


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    standing: KpiStanding | None


def kpi_rows(kpis: Sequence[Kpi], *, up_to: date | None = None) -> tuple[OrgUnit | None, list[KpiRow]]:
    """Each KPI's standing at the trust: its latest published month, or (with ``up_to``) its latest month in
    the three months to ``up_to``. Three to four queries however many KPIs."""
    trust = default_trust()
    if trust is None or not kpis:
        return trust, [KpiRow(k, None) for k in kpis]
    months = None if up_to is None else [add_months(month_start(up_to), -i) for i in range(3)]
    found = standings([trust.pk], months, kpis=kpis, with_spc=True)
    latest: dict[int, KpiStanding] = {}
    for standing in found:
        if standing.reading is None:
            continue
        if standing.kpi_id not in latest or standing.month > latest[standing.kpi_id].month:
            latest[standing.kpi_id] = standing
    return trust, [KpiRow(k, latest.get(k.pk)) for k in kpis]


@dataclass(frozen=True)
class UpdateMonth:
    month: date
    update: PriorityUpdate | None


def update_history(priority: Priority, today: date) -> list[UpdateMonth]:
    """Each month of the priority's year up to the current one, newest first, with its update or a gap."""
    written = {u.month: u for u in priority.updates.all()}
    current = month_start(today)
    months = [m for m in _year_months(priority.year) if m <= current]
    return [UpdateMonth(m, written.get(m)) for m in reversed(months)]


def _year_months(year: int) -> list[date]:
    return [add_months(date(year, 4, 1), i) for i in range(12)]


@dataclass(frozen=True)
class PriorityPage:
    priority: Priority
    milestones: list[MilestoneRow]
    trust: OrgUnit | None
    kpis: list[KpiRow]
    actions: list[Any]  # reviews.Action rows, read through the link without importing reviews
    history: list[UpdateMonth]
    missing_month: date | None


def priority_page(priority_id: int, today: date) -> PriorityPage | None:
    priority = priorities().filter(pk=priority_id).first()
    if priority is None:
        return None
    trust, kpis = kpi_rows(list(priority.kpis.all()))
    return PriorityPage(
        priority=priority,
        milestones=milestone_rows(priority, today),
        trust=trust,
        kpis=kpis,
        actions=list(priority.actions.select_related("division").order_by("due_date", "pk")),
        history=update_history(priority, today),
        missing_month=missing_update_month(priority.year, [u.month for u in priority.updates.all()], today),
    )


@dataclass(frozen=True)
class YearRow:
    priority: Priority
    latest: PriorityUpdate | None
    overdue: int
    complete: int
    total: int


def year_rows(year: int, today: date) -> list[YearRow]:
    """The year's priorities with their latest update and milestone counts (four queries)."""
    rows = []
    for p in priorities(year):
        states = [r.state for r in milestone_rows(p, today)]
        updates = list(p.updates.all())
        rows.append(
            YearRow(
                p,
                updates[0] if updates else None,
                states.count(MilestoneState.OVERDUE),
                states.count(MilestoneState.COMPLETE),
                len(states),
            )
        )
    return rows


# --- the quarterly Board update ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterPriority:
    priority: Priority
    latest: PriorityUpdate | None  # the latest update for a month of the quarter or before
    milestones: dict[int, Milestone]
    sorted: QuarterMilestones
    kpis: list[KpiRow]

    def _pick(self, ids: list[int]) -> list[Milestone]:
        return [self.milestones[i] for i in ids]

    @property
    def due(self) -> list[Milestone]:
        return self._pick(self.sorted.due)

    @property
    def completed(self) -> list[Milestone]:
        return self._pick(self.sorted.completed)

    @property
    def missed(self) -> list[Milestone]:
        return self._pick(self.sorted.missed)

    @property
    def pending(self) -> list[Milestone]:
        return self._pick(self.sorted.pending)

    @property
    def carried(self) -> list[Milestone]:
        return self._pick(self.sorted.carried)


@dataclass(frozen=True)
class QuarterlyUpdate:
    quarter: Quarter
    as_at: date
    trust: OrgUnit | None
    rows: list[QuarterPriority] = field(default_factory=list)

    @property
    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            key = row.latest.status if row.latest else "none"
            counts[key] = counts.get(key, 0) + 1
        return counts


def quarterly_update(quarter: Quarter, today: date) -> QuarterlyUpdate:
    """The quarter's Board update: each of the year's priorities with its latest status and narrative up to
    the quarter's last month, its milestones due in the quarter (completed, missed, still to come) and those
    missed before it and still open, and its KPIs' standing at the trust in the quarter's latest month with
    data. Seven to eight queries, whatever the number of priorities."""
    as_at = quarter.as_at(today)
    last_month = month_start(as_at)
    chosen = list(priorities(quarter.year))
    every_kpi = sorted({k for p in chosen for k in p.kpis.all()}, key=lambda k: k.code)
    trust, kpis = kpi_rows(every_kpi, up_to=last_month)
    by_kpi = {row.kpi.pk: row for row in kpis}
    rows = []
    for p in chosen:
        milestones = {m.pk: m for m in p.milestones.all()}
        facts = [MilestoneFacts(m.pk, m.due_date, m.completed_on) for m in milestones.values()]
        latest = next((u for u in p.updates.all() if u.month <= last_month), None)
        rows.append(
            QuarterPriority(
                priority=p,
                latest=latest,
                milestones=milestones,
                sorted=quarter_milestones(facts, quarter, today),
                kpis=[by_kpi[k.pk] for k in p.kpis.all()],
            )
        )
    return QuarterlyUpdate(quarter=quarter, as_at=as_at, trust=trust, rows=rows)


# --- what an owner owes, and what a division's pack asks ---------------------------------------------------


@dataclass(frozen=True)
class OwnerDue:
    """A priority owner's outstanding work: overdue milestones and the update still to write."""

    overdue: list[Milestone]
    missing: list[tuple[Priority, date]]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.missing)


def owner_due(user: User, today: date) -> OwnerDue:
    """The overdue milestones of ``user``'s priorities, and the priorities whose update for the month just
    ended is missing (three queries)."""
    owned = list(
        Priority.objects.filter(owner=user)
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.filter(completed_on__isnull=True, due_date__lt=today).order_by(
                    "due_date"
                ),
            ),
            Prefetch("updates", queryset=PriorityUpdate.objects.only("priority_id", "month")),
        )
        .order_by("-year", "title")
    )
    overdue = [m for p in owned for m in p.milestones.all()]
    missing = []
    for p in owned:
        month = missing_update_month(p.year, [u.month for u in p.updates.all()], today)
        if month is not None:
            missing.append((p, month))
    return OwnerDue(overdue, missing)


def missing_updates(today: date) -> list[tuple[Priority, date]]:
    """Every priority whose update for the month just ended is missing, with its owner (two queries)."""
    found = []
    for p in Priority.objects.select_related("owner").prefetch_related(
        Prefetch("updates", queryset=PriorityUpdate.objects.only("priority_id", "month"))
    ):
        month = missing_update_month(p.year, [u.month for u in p.updates.all()], today)
        if month is not None:
            found.append((p, month))
    return found


def overdue_milestones(division: OrgUnit, today: date) -> list[dict[str, Any]]:
    """The overdue milestones a division owns, as JSON-ready data for its data pack: a milestone's own unit,
    else its priority's division, is the division or under it (two queries)."""
    units = descendant_ids(division)
    rows = (
        Milestone.objects.filter(completed_on__isnull=True, due_date__lt=today)
        .filter(Q(org_unit_id__in=units) | Q(org_unit__isnull=True, priority__division_id__in=units))
        .select_related("priority__owner")
        .order_by("due_date", "pk")
    )
    return [
        {
            "id": m.pk,
            "title": m.title,
            "priority": m.priority.title,
            "owner": m.priority.owner.get_full_name() or m.priority.owner.get_username(),
            "due_date": m.due_date.isoformat(),
        }
        for m in rows
    ]


def linked_kpis(priority_ids: Iterable[int]) -> dict[int, list[str]]:
    """The KPI codes linked to each priority (one query)."""
    found: dict[int, list[str]] = {}
    for pid, code in Priority.kpis.through.objects.filter(priority_id__in=list(priority_ids)).values_list(
        "priority_id", "kpi__code"
    ):
        found.setdefault(pid, []).append(code)
    return found
