"""Reads for a division's dashboard: its scorecard, position, open actions and escalation cases.

Nothing here is worked out twice: the scorecard is the IPR's content read for the division, as stored
(``reviews.ipr.store.division_content``), the position is the ratings page's
(``reviews.pages.division_page``), the actions and cases are the action log's and the case list's reads. A
fixed number of queries whatever the number of KPIs and months (tests/divisions/test_dashboard.py counts
them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from divisions.models import OrgUnit
from escalation.models import EscalationCase
from escalation.selectors import cases_for
from kpis.selectors_published import latest_published_month
from pmf.permissions import Access, can_read_division_cases, can_read_division_reviews
from reviews.ipr.content import IprKpiRow
from reviews.ipr.store import division_content
from reviews.models import OPEN_STATUSES, Action
from reviews.pages import DivisionPage, division_page
from reviews.selectors.packs import actions_with_updates


def parents_of(division: OrgUnit) -> dict[int, int | None]:
    """The id → parent id map ``Access`` needs to place a division (no query)."""
    return {division.pk: division.parent_id}


@dataclass(frozen=True)
class Dashboard:
    division: OrgUnit
    month: date | None
    position: DivisionPage
    kpis: list[IprKpiRow] = field(default_factory=list)
    scorecard: list[tuple[str, list[IprKpiRow]]] = field(default_factory=list)
    published_at: datetime | None = None
    actions: list[dict[str, Any]] | None = None  # None: not the viewer's to see
    cases: list[EscalationCase] | None = None

    @property
    def missing_commentary(self) -> list[IprKpiRow]:
        return [k for k in self.kpis if k.needs_commentary]

    @property
    def with_commentary(self) -> list[IprKpiRow]:
        return [k for k in self.kpis if k.commentary]

    @property
    def has_synthetic(self) -> bool:
        return any(k.is_synthetic for k in self.kpis)


def division_dashboard(
    division: OrgUnit, *, access: Access, month: date | None = None, today: date | None = None
) -> Dashboard:
    """The dashboard of ``division`` for ``month`` (default: the latest published), as ``access`` sees it.

    1. The scorecard: every KPI the division reports, grouped by domain in the catalogue's order.
    2. The position and why, from the stored rating.
    3. Open actions and open escalation cases, for those who may see the division's work.
    """
    month = month or latest_published_month()
    position = division_page(division, today=today)
    if month is None:
        return Dashboard(division=division, month=None, position=position)
    content = division_content(month, division)
    groups: dict[str, list[IprKpiRow]] = {}
    for row in content.kpis:
        groups.setdefault(row.domain, []).append(row)
    actions = cases = None
    if can_read_division_cases(access, division):
        cases = list(cases_for(access, status=EscalationCase.Status.OPEN).filter(division=division))
    if can_read_division_reviews(access, division):
        today = today or date.today()
        actions = [
            {"action": a, "overdue": a.is_overdue(today), "updates": list(a.updates.all())}
            for a in _open_actions(division)
        ]
    return Dashboard(
        division=division,
        month=month,
        position=position,
        kpis=list(content.kpis),
        scorecard=list(groups.items()),
        published_at=content.published_at,
        actions=actions,
        cases=cases,
    )


def _open_actions(division: OrgUnit) -> list[Action]:
    return list(
        actions_with_updates().filter(division=division, status__in=OPEN_STATUSES).order_by("due_date", "pk")
    )
