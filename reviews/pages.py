"""What the ratings pages show, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from divisions.models import Level, OrgUnit
from pmf.periods import FinancialYear, add_months
from reviews.ratings import Frequency, MoveUp, ulht_label, what_would_move_up, yas_category
from reviews.schedule import plan_meetings

from .models import AccountabilityReview, DivisionRating, Freedom
from .selectors import freedoms_for, latest_review, ratings_of
from .services.ratings import outcomes_from_json

TREND_MONTHS = 12
# Until PRM schedules are stored per division, the next review is planned on this default slot.
PRM_WEEKDAY, PRM_WEEK_OF_MONTH = 1, 2  # the second Tuesday


class Labelled:
    """The ULHT name and YAS category of the latest rating's effective position (blank when unrated)."""

    latest: DivisionRating | None

    @property
    def label(self) -> str:
        return ulht_label(self.latest.effective_position) if self.latest else ""

    @property
    def category(self) -> str:
        return yas_category(self.latest.effective_position) if self.latest else ""


@dataclass(frozen=True)
class DivisionRow(Labelled):
    division: OrgUnit
    latest: DivisionRating | None
    trend: list[tuple[date, DivisionRating | None]]


@dataclass(frozen=True)
class Overview:
    months: list[date]
    rows: list[DivisionRow]


def trust_overview() -> Overview:
    """Every division, its latest rating and the 12 months to the latest rated month (two queries)."""
    divisions = list(OrgUnit.objects.filter(level=Level.DIVISION).select_related("parent").order_by("name"))
    latest_month = DivisionRating.objects.order_by("-month").values_list("month", flat=True).first()
    if latest_month is None:
        return Overview([], [DivisionRow(d, None, []) for d in divisions])
    months = [add_months(latest_month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    by_key = {(r.division_id, r.month): r for r in ratings_of([d.pk for d in divisions], since=months[0])}
    rows = []
    for d in divisions:
        trend = [(m, by_key.get((d.pk, m))) for m in months]
        latest = next((r for _, r in reversed(trend) if r is not None), None)
        rows.append(DivisionRow(d, latest, trend))
    return Overview(months, rows)


def next_review(frequency: Frequency, today: date) -> date:
    """The next meeting on the default PRM slot for the frequency, today or later."""
    year = FinancialYear.containing(today)
    for fy in (year, year.next()):
        for day in plan_meetings(fy, frequency, weekday=PRM_WEEKDAY, week_of_month=PRM_WEEK_OF_MONTH):
            if day >= today:
                return day
    return today + timedelta(days=7)  # not reached: a following year always has a meeting


@dataclass(frozen=True)
class DivisionPage(Labelled):
    division: OrgUnit
    history: list[DivisionRating]
    latest: DivisionRating | None
    failing: list[dict[str, Any]] = field(default_factory=list)
    move_up: MoveUp | None = None
    freedoms: list[Freedom] = field(default_factory=list)
    review: AccountabilityReview | None = None
    next_review: date | None = None


def division_page(division: OrgUnit, *, today: date | None = None) -> DivisionPage:
    """A division's history, why it is where it is, and what would move it up (three queries)."""
    history = ratings_of([division.pk])
    if not history:
        return DivisionPage(division, [], None)
    latest = history[-1]
    failing = [
        {**c, "failing": [k for k in c["kpis"] if k["outcome"] in ("not_met", "within_tolerance", "no_data")]}
        for c in latest.criteria
        if not c["all_met"]
    ]
    return DivisionPage(
        division=division,
        history=list(reversed(history)),
        latest=latest,
        failing=failing,
        move_up=what_would_move_up(outcomes_from_json(latest.criteria)),
        freedoms=freedoms_for(latest.effective_position),
        review=latest_review(division),
        next_review=next_review(latest.review_frequency, today or date.today()),  # type: ignore[arg-type]
    )
