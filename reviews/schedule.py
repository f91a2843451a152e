"""PRM schedules and data-pack deadlines (DESIGN §4.6).

Pure: no Django. Working days, bank holidays and the n-th weekday of a month come from the kernel's
calendar, ``pmf.working_days``. Weekdays are numbered as Python numbers them: Monday = 0 … Sunday = 6.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple, get_args

from pmf.formatting import format_date
from pmf.periods import FinancialYear
from pmf.working_days import check_weekday, nth_weekday, working_day_on_or_after
from reviews.ratings import Frequency

MeetingStatus = Literal["planned", "held", "cancelled"]
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
# Every division's PRMs are planned on the trust's PRM slot (its profile's); with no profile, the second
# Tuesday of the month.
PRM_WEEKDAY, PRM_WEEK_OF_MONTH = 1, 2


class PrmSlot(NamedTuple):
    """The day PRMs fall on: ``weekday`` (Monday = 0) of the ``week_of_month``-th week."""

    weekday: int
    week_of_month: int


DEFAULT_PRM_SLOT = PrmSlot(PRM_WEEKDAY, PRM_WEEK_OF_MONTH)
PACK_TO_DIVISION_DAYS = 7
PACK_TO_INVITEES_DAYS = 2

# Which months of the financial year (0 = April … 11 = March) hold a meeting, for the frequencies that
# meet on the n-th weekday of a month.
_MEETING_MONTHS: dict[Frequency, tuple[int, ...]] = {
    "monthly": tuple(range(12)),
    "quarterly": (2, 5, 8, 11),  # June, September, December, March
    "bi-monthly": (1, 3, 5, 7, 9, 11),  # May, July, September, November, January, March
    "6-monthly": (5, 11),  # September, March
}


# --- planning a year ----------------------------------------------------------------------------------------


def _financial_year(financial_year: FinancialYear | str) -> FinancialYear:
    return (
        financial_year if isinstance(financial_year, FinancialYear) else FinancialYear.parse(financial_year)
    )


def plan_meetings(
    financial_year: FinancialYear | str,
    frequency: Frequency,
    *,
    weekday: int,
    week_of_month: int | None = None,
) -> list[date]:
    """The meeting dates for one division for a financial year, in order.

    1. Read the year (a ``FinancialYear`` or a label such as "2025/26"); it runs 1 April to 31 March.
    2. Weekly: every ``weekday`` in the year (``week_of_month`` is not used).
    3. Monthly: the ``week_of_month``-th ``weekday`` of each month — 1 to 4, or -1 for the last.
       Quarterly: the same day in June, September, December and March (months 3, 6, 9 and 12 of the
       financial year). Bi-monthly: every second month, ending in March as the others do (May, July,
       September, November, January, March). 6-monthly: September and March.
    4. A date that falls on a bank holiday moves to the next working day (neither a weekend nor a bank
       holiday), so a Friday meeting on Good Friday moves past Easter Monday to the Tuesday. A meeting moved
       off 31 March stays in the year's plan even if it lands in April.
    """
    year = _financial_year(financial_year)
    check_weekday(weekday)
    if frequency not in FREQUENCIES:
        raise ValueError(f"{frequency!r} is not a review frequency: use one of {', '.join(FREQUENCIES)}")
    if frequency == "weekly":
        first = year.first_day + timedelta(days=(weekday - year.first_day.weekday()) % 7)
        candidates = [
            first + timedelta(weeks=w) for w in range(54) if first + timedelta(weeks=w) <= year.last_day
        ]
    else:
        if week_of_month is None:
            raise ValueError(f"a {frequency} schedule needs week_of_month (1 to 4, or -1 for the last)")
        months = year.months
        candidates = [
            nth_weekday(months[i].year, months[i].month, weekday, week_of_month)
            for i in _MEETING_MONTHS[frequency]
        ]
    return sorted({working_day_on_or_after(day) for day in candidates})


class PackDeadlines(NamedTuple):
    to_division: date
    to_invitees: date


def pack_deadlines(meeting_date: date) -> PackDeadlines:
    """When the data pack is due: to the division 7 and to invitees 2 calendar days before the meeting.

    Calendar days, as §4.6 says: a deadline may fall on a weekend, and the daily pack job runs every day.
    """
    return PackDeadlines(
        to_division=meeting_date - timedelta(days=PACK_TO_DIVISION_DAYS),
        to_invitees=meeting_date - timedelta(days=PACK_TO_INVITEES_DAYS),
    )


# --- re-planning after a change of frequency ----------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMeeting:
    """A meeting already in the schedule, as far as re-planning needs to know it."""

    scheduled_for: date
    status: MeetingStatus = "planned"
    # The caller's own handle (a primary key, say), carried through untouched.
    ref: Hashable = None


@dataclass(frozen=True)
class Replan:
    """What to do with a division's schedule when its review frequency changes."""

    keep: list[PlannedMeeting]
    drop: list[PlannedMeeting]
    add: list[date]
    explanation: str

    @property
    def schedule(self) -> list[date]:
        """Every meeting date after the change that is not cancelled, in order."""
        kept = [m.scheduled_for for m in self.keep if m.status != "cancelled"]
        return sorted([*kept, *self.add])


def replan(existing: Sequence[PlannedMeeting], new_dates: Sequence[date], *, today: date) -> Replan:
    """Re-plan a schedule from ``new_dates`` (usually :func:`plan_meetings` at the new frequency).

    1. Held and cancelled meetings stay, whatever their date: they are history.
    2. Planned meetings on or before ``today`` stay: today's meeting goes ahead, and a past one still waits
       to be marked held or cancelled.
    3. Planned meetings after ``today`` are dropped, unless a new date is the same day, in which case the
       meeting stays as it is (with its invitees and pack).
    4. New dates after ``today`` are added, except on a day that already keeps a meeting — including a
       cancelled one, so that a deliberate cancellation is not silently undone. New dates on or before
       ``today`` are ignored.
    """
    for meeting in existing:
        if meeting.status not in get_args(MeetingStatus):
            raise ValueError(f"{meeting.status!r} is not a meeting status")
    future_new = {day for day in new_dates if day > today}
    keep: list[PlannedMeeting] = []
    drop: list[PlannedMeeting] = []
    for m in existing:
        stays = m.status != "planned" or m.scheduled_for <= today or m.scheduled_for in future_new
        (keep if stays else drop).append(m)
    taken = {m.scheduled_for for m in keep}
    add = sorted(future_new - taken)

    history = [m for m in keep if m.status != "planned"]
    past_planned = [m for m in keep if m.status == "planned" and m.scheduled_for <= today]
    unchanged = [m for m in keep if m.status == "planned" and m.scheduled_for > today]
    parts = [f"Re-planned after {format_date(today)}: {_n(len(drop), 'future planned meeting')} dropped"]
    parts.append(f"{_n(len(add), 'new date')} added")
    if unchanged:
        parts.append(f"{_n(len(unchanged), 'planned meeting')} unchanged (same day in the new plan)")
    if history:
        held = sum(1 for m in history if m.status == "held")
        parts.append(f"{held} held and {len(history) - held} cancelled kept as history")
    if past_planned:
        parts.append(
            f"{_n(len(past_planned), 'planned meeting')} on or before today kept,"
            " to be marked held or cancelled"
        )
    ignored = len(set(new_dates) - future_new)
    if ignored:
        parts.append(f"{_n(ignored, 'new date')} on or before today ignored")
    return Replan(keep=keep, drop=drop, add=add, explanation="; ".join(parts) + ".")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
