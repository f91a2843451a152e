"""What the ratings pages show, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from divisions.models import Level, OrgUnit
from pmf.periods import FinancialYear, add_months
from pmf.words import TrustWords
from reviews.ratings import Frequency, MoveUp, ulht_label, what_would_move_up, yas_category
from reviews.schedule import plan_meetings
from reviews.selectors.prm_slot import prm_slot

from .models import AccountabilityReview, DivisionRating, Freedom, Meeting, MeetingKind
from .selectors import freedoms_for, latest_review, ratings_of
from .services.ratings import outcomes_from_json

TREND_MONTHS = 12


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
    """The next meeting on the PRM slot for the frequency, today or later (when none is planned yet)."""
    year, slot = FinancialYear.containing(today), prm_slot()
    for fy in (year, year.next()):
        for day in plan_meetings(fy, frequency, weekday=slot.weekday, week_of_month=slot.week_of_month):
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
    next_meeting: Meeting | None = None  # the planned PRM ``next_review`` comes from, when there is one


def division_page(
    division: OrgUnit, *, today: date | None = None, words: TrustWords | None = None
) -> DivisionPage:
    """A division's history, why it is where it is, what would move it up (in the trust's ``words``) and its
    next planned PRM (four queries). Before any PRM is planned, the next review is the next PRM slot for the
    review frequency."""
    history = ratings_of([division.pk])
    if not history:
        return DivisionPage(division, [], None)
    latest = history[-1]
    today = today or date.today()
    meeting = (
        Meeting.objects.filter(
            division=division, kind=MeetingKind.PRM, status=Meeting.Status.PLANNED, scheduled_for__gte=today
        )
        .order_by("scheduled_for")
        .first()
    )
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
        move_up=what_would_move_up(outcomes_from_json(latest.criteria), words=words or TrustWords()),
        freedoms=freedoms_for(latest.effective_position),
        review=latest_review(division),
        next_review=meeting.scheduled_for if meeting else next_review(latest.review_frequency, today),  # type: ignore[arg-type]
        next_meeting=meeting,
    )
