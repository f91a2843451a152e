"""Reads for a unit's dashboard (a division, a service or a team): its scorecard, position, open actions and
escalation cases, and where it sits in the organisation.

Nothing here is worked out twice: the scorecard is the IPR's content read for the unit, as stored
(``reviews.ipr.store.unit_content``: a team's values as submitted, a service's as it submitted them or as
rolled up from its teams), the position is the ratings page's (``reviews.pages.division_page``; divisions
only, as only divisions are rated), the actions and cases are the action log's and the case list's reads. A
fixed number of queries whatever the number of KPIs, months and units (tests/dashboards/test_dashboard.py and
tests/dashboards/test_unit_dashboard.py count them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from divisions.models import Level, OrgUnit
from escalation.models import EscalationCase
from escalation.selectors import cases_for
from kpis.selectors.published import latest_published_month
from pmf.permissions import Access, can_read_division_cases, can_read_division_reviews, can_read_unit_actions
from reviews.ipr.content import IprKpiRow
from reviews.ipr.store import unit_content
from reviews.models import OPEN_STATUSES, Action
from reviews.pages import DivisionPage, division_page
from reviews.selectors.packs import actions_with_updates

DASHBOARD_LEVELS = (Level.DIVISION, Level.SERVICE, Level.TEAM)


def dashboard_unit(code: str) -> OrgUnit | None:
    """The division, service or team with ``code``, with the units above it (one query)."""
    return (
        OrgUnit.objects.filter(code=code, level__in=DASHBOARD_LEVELS)
        .select_related("parent__parent__parent")
        .first()
    )


def ancestors_of(unit: OrgUnit) -> list[OrgUnit]:
    """The units above ``unit``, the trust first (read with it by ``dashboard_unit``: no query)."""
    above: list[OrgUnit] = []
    node = unit.parent
    while node is not None:
        above.insert(0, node)
        node = node.parent
    return above


def parents_of(unit: OrgUnit) -> dict[int, int | None]:
    """The id → parent id map ``Access`` needs to place a unit, from the units read above it (no query)."""
    chain = [unit, *ancestors_of(unit)]
    return {node.pk: node.parent_id for node in chain}


@dataclass(frozen=True)
class Dashboard:
    unit: OrgUnit
    month: date | None
    position: DivisionPage | None  # a division's; None for a service or a team
    ancestors: list[OrgUnit] = field(default_factory=list)  # the trust first
    children: list[OrgUnit] = field(default_factory=list)  # the units under it today, by name
    kpis: list[IprKpiRow] = field(default_factory=list)
    scorecard: list[tuple[str, list[IprKpiRow]]] = field(default_factory=list)
    published_at: datetime | None = None
    actions: list[dict[str, Any]] | None = None  # None: not the viewer's to see
    cases: list[EscalationCase] | None = None

    @property
    def division(self) -> OrgUnit | None:
        """The division the unit is (a division's dashboard) or is in."""
        if self.unit.level == Level.DIVISION:
            return self.unit
        return next((u for u in self.ancestors if u.level == Level.DIVISION), None)

    @property
    def is_division(self) -> bool:
        return self.unit.level == Level.DIVISION

    @property
    def missing_commentary(self) -> list[IprKpiRow]:
        return [k for k in self.kpis if k.needs_commentary]

    @property
    def with_commentary(self) -> list[IprKpiRow]:
        return [k for k in self.kpis if k.commentary]

    @property
    def has_synthetic(self) -> bool:
        return any(k.is_synthetic for k in self.kpis)


def unit_dashboard(
    unit: OrgUnit, *, access: Access, month: date | None = None, today: date | None = None
) -> Dashboard:
    """The dashboard of ``unit`` (read by ``dashboard_unit``) for ``month`` (default: the latest published),
    as ``access`` sees it.

    1. Where it sits: the units above it, for the breadcrumbs, and those under it today, to go down to.
    2. The scorecard: every KPI the unit reports, grouped by domain in the catalogue's order.
    3. A division's position and why, from the stored rating (a service or team is not rated).
    4. Open actions and open escalation cases, for those who may see them: a division's own; for a service
       or a team, its division's open actions on the KPIs it reports (cases are a division's business).
    """
    ancestors = ancestors_of(unit)
    parents = parents_of(unit)
    children = list(unit.children.filter(active_to__isnull=True).order_by("name"))
    is_division = unit.level == Level.DIVISION
    position = division_page(unit, today=today) if is_division else None
    month = month or latest_published_month()
    if month is None:
        return Dashboard(unit=unit, month=None, position=position, ancestors=ancestors, children=children)
    content = unit_content(month, unit)
    groups: dict[str, list[IprKpiRow]] = {}
    for row in content.kpis:
        groups.setdefault(row.domain, []).append(row)
    actions = cases = None
    today = today or date.today()
    if is_division:
        if can_read_division_cases(access, unit):
            cases = list(cases_for(access, status=EscalationCase.Status.OPEN).filter(division=unit))
        if can_read_division_reviews(access, unit):
            actions = _action_rows(_open_actions(unit), today)
    elif can_read_unit_actions(access, unit, parents):
        division = next((u for u in ancestors if u.level == Level.DIVISION), None)
        codes = [row.code for row in content.kpis]
        found = _open_actions(division).filter(kpis__code__in=codes).distinct() if division else None
        actions = _action_rows(found if found is not None else [], today)
    return Dashboard(
        unit=unit,
        month=month,
        position=position,
        ancestors=ancestors,
        children=children,
        kpis=list(content.kpis),
        scorecard=list(groups.items()),
        published_at=content.published_at,
        actions=actions,
        cases=cases,
    )


def _action_rows(actions: Iterable[Action], today: date) -> list[dict[str, Any]]:
    return [{"action": a, "overdue": a.is_overdue(today), "updates": list(a.updates.all())} for a in actions]


def _open_actions(division: OrgUnit) -> QuerySet[Action]:
    return (
        actions_with_updates().filter(division=division, status__in=OPEN_STATUSES).order_by("due_date", "pk")
    )
