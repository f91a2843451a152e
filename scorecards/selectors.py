"""Reads for individual scorecards: a person's objectives for a year with their progress and what each links
to, who line-manages whom, and a line manager's team. Each page reads a fixed number of queries whatever the
number of objectives and updates (tests/scorecards/test_scorecards.py counts them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from divisions.models import OrgUnit, RoleAssignment
from divisions.selectors import default_trust
from kpis.selectors import LatestValue, latest_values
from pmf.models import User
from pmf.periods import FinancialYear
from strategy.models import PriorityUpdate

from .models import LineManagement, Objective, ObjectiveStatus, ObjectiveUpdate


def this_year(today: date | None = None) -> int:
    """The financial year ``today`` falls in, named by the year it starts."""
    return FinancialYear.containing(today or date.today()).start_year


def latest_year(person: User, today: date | None = None) -> int:
    """This year, unless ``person`` has objectives only for earlier years: then the latest of those (one
    query)."""
    year = this_year(today)
    years = Objective.objects.filter(person=person, year__lte=year).order_by("-year")
    return years.values_list("year", flat=True).first() or year


def line_manager_of(person: User) -> User | None:
    """Who line-manages ``person`` (one query); None when nobody is recorded."""
    held = LineManagement.objects.filter(person=person).select_related("manager").first()
    return held.manager if held else None


def manages(manager: User, person: User) -> bool:
    """Whether ``manager`` is ``person``'s line manager (one query)."""
    return LineManagement.objects.filter(person=person, manager=manager).exists()


def home_unit(person: User, today: date | None = None) -> OrgUnit | None:
    """The unit a person's KPIs are read at: the service, team or division of a role they hold today (the
    lowest first), else the trust (one or two queries)."""
    day = today or date.today()
    held = (
        RoleAssignment.objects.filter(user=person, org_unit__isnull=False, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("org_unit")
        .order_by("-org_unit__level", "org_unit__name")  # team, then service, then division
        .first()
    )
    return held.org_unit if held else default_trust()


@dataclass(frozen=True)
class ObjectiveRow:
    objective: Objective
    updates: list[ObjectiveUpdate]
    kpi: LatestValue | None  # the linked KPI's latest standing at the person's unit
    priority_status: PriorityUpdate | None  # the linked priority's latest monthly update


@dataclass(frozen=True)
class Scorecard:
    person: User
    year: int
    line_manager: User | None
    unit: OrgUnit | None
    rows: list[ObjectiveRow]

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year).label

    @property
    def complete(self) -> int:
        return sum(r.objective.status == ObjectiveStatus.COMPLETE for r in self.rows)


def objectives(person: User, year: int) -> QuerySet[Objective]:
    """``person``'s objectives for ``year`` with what they link to and their progress (four queries)."""
    return (
        Objective.objects.filter(person=person, year=year)
        .select_related("kpi", "priority", "action", "action__division")
        .prefetch_related(
            Prefetch("updates", queryset=ObjectiveUpdate.objects.select_related("by").order_by("at", "pk")),
            Prefetch("priority__updates", queryset=PriorityUpdate.objects.order_by("-month")),
        )
        .order_by("due_date", "pk")
    )


def scorecard(person: User, year: int, *, today: date | None = None) -> Scorecard:
    """``person``'s scorecard for ``year``: each objective, its progress, the linked KPI's latest standing at
    the person's unit and the linked priority's latest status."""
    found = list(objectives(person, year))
    unit = home_unit(person, today)
    standing: dict[int, LatestValue] = {}
    if unit is not None and any(o.kpi_id for o in found):
        standing = {v.kpi.pk: v for v in latest_values(unit)}
    rows = []
    for objective in found:
        status = None
        if objective.priority is not None:
            status = next(iter(objective.priority.updates.all()), None)
        rows.append(
            ObjectiveRow(
                objective=objective,
                updates=list(objective.updates.all()),
                kpi=standing.get(objective.kpi_id) if objective.kpi_id else None,
                priority_status=status,
            )
        )
    return Scorecard(person=person, year=year, line_manager=line_manager_of(person), unit=unit, rows=rows)


@dataclass(frozen=True)
class TeamMember:
    person: User
    objectives: int
    complete: int
    off_plan: int  # at risk or off track


def team(manager: User, year: int) -> list[TeamMember]:
    """The people ``manager`` line-manages, with a count of their objectives for ``year`` (one query)."""
    in_year = Q(pdr_objectives__year=year)
    people = (
        User.objects.filter(line_management__manager=manager)
        .annotate(
            n_objectives=Count("pdr_objectives", filter=in_year),
            n_complete=Count(
                "pdr_objectives", filter=in_year & Q(pdr_objectives__status=ObjectiveStatus.COMPLETE)
            ),
            n_off_plan=Count(
                "pdr_objectives",
                filter=in_year
                & Q(pdr_objectives__status__in=[ObjectiveStatus.AT_RISK, ObjectiveStatus.OFF_TRACK]),
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    return [
        TeamMember(person=p, objectives=p.n_objectives, complete=p.n_complete, off_plan=p.n_off_plan)
        for p in people
    ]


def line_management() -> QuerySet[LineManagement]:
    """Every recorded line manager, for the performance team's page (one query)."""
    return LineManagement.objects.select_related("person", "manager").order_by(
        "person__last_name", "person__first_name", "person__username"
    )
