"""The arithmetic of priorities and milestones (DESIGN §9): pure, no Django.

- A milestone is *complete* once it has a completion date, *overdue* when it is not complete and its due date
  has passed, and otherwise *due*. A milestone completed after its due date is complete, and late.
- An owner's update for a month is due by the month's end; from the first day of the next month it is
  *missing* until written. Only months of the priority's financial year count.
- A quarter is a financial quarter (Q1 is April to June). The quarterly Board update reads the quarter as at
  its last day, or as at today while the quarter is still running.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from pmf.periods import FinancialYear, add_months, month_start, months_between


class MilestoneState(StrEnum):
    COMPLETE = "complete"
    OVERDUE = "overdue"
    DUE = "due"


def milestone_state(due_date: date, completed_on: date | None, today: date) -> MilestoneState:
    """Complete once completed (on or before ``today``), overdue past its due date, otherwise due."""
    if completed_on is not None and completed_on <= today:
        return MilestoneState.COMPLETE
    if due_date < today:
        return MilestoneState.OVERDUE
    return MilestoneState.DUE


def completed_late(due_date: date, completed_on: date | None) -> bool:
    return completed_on is not None and completed_on > due_date


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: ``year`` names the financial year by the year it starts, ``number`` is 1–4."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"a financial year has quarters 1 to 4, not {self.number}")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(FinancialYear.containing(day).start_year, (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2025-q3`` (the form the addresses use)."""
        match = re.fullmatch(r"(\d{4})-[qQ]([1-4])", text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a quarter: write it as YYYY-qN, e.g. 2025-q3")
        return cls(int(match[1]), int(match[2]))

    @property
    def first_day(self) -> date:
        return add_months(date(self.year, 4, 1), 3 * (self.number - 1))

    @property
    def last_day(self) -> date:
        return add_months(self.first_day, 3) - timedelta(days=1)

    @property
    def months(self) -> list[date]:
        return months_between(self.first_day, add_months(self.first_day, 2))

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year).label

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year_label}"

    def as_at(self, today: date) -> date:
        """The day the quarter is read on: its last day once it is over, else today."""
        return min(self.last_day, today)


@dataclass(frozen=True)
class MilestoneFacts:
    """What the quarter's arithmetic needs of a milestone."""

    id: int
    due_date: date
    completed_on: date | None


@dataclass(frozen=True)
class QuarterMilestones:
    """A priority's milestones seen from a quarter, each a list of milestone ids in due-date order.

    ``due`` are those due in the quarter; of them ``completed`` were complete by the reading day, ``missed``
    were overdue on it, and ``pending`` are still to come. ``carried`` were due before the quarter and were
    still not complete on its reading day: missed earlier, still open.
    """

    due: list[int]
    completed: list[int]
    missed: list[int]
    pending: list[int]
    carried: list[int]


def quarter_milestones(
    milestones: Iterable[MilestoneFacts], quarter: Quarter, today: date
) -> QuarterMilestones:
    """Sort a priority's milestones into the quarter's lists (see ``QuarterMilestones``).

    1. Read the quarter as at its last day, or today while it runs.
    2. A milestone is done when completed on or before that day. Once the quarter is over, every milestone
       due in it and not done is missed, one due on its last day too; while it runs, a milestone is missed
       when its due date has passed.
    3. A milestone due within the quarter is completed, missed or pending; one due before the quarter and
       not done on the reading day is carried.
    """
    as_at = quarter.as_at(today)
    over = today > quarter.last_day
    due: list[int] = []
    completed: list[int] = []
    missed: list[int] = []
    pending: list[int] = []
    carried: list[int] = []
    for m in sorted(milestones, key=lambda m: (m.due_date, m.id)):
        done = m.completed_on is not None and m.completed_on <= as_at
        late = not done and (m.due_date <= as_at if over else m.due_date < as_at)
        if quarter.first_day <= m.due_date <= quarter.last_day:
            due.append(m.id)
            (completed if done else missed if late else pending).append(m.id)
        elif m.due_date < quarter.first_day and not done:
            carried.append(m.id)
    return QuarterMilestones(due, completed, missed, pending, carried)


def update_month_due(today: date) -> date:
    """The month whose update is the latest to fall due: the month before ``today``'s."""
    return add_months(month_start(today), -1)


def missing_update_month(year: int, written: Iterable[date], today: date) -> date | None:
    """The latest month of financial year ``year`` whose update is due by ``today`` and not written, or
    None: only the month just ended counts (an earlier gap shows in the history, it is not chased)."""
    month = update_month_due(today)
    if month not in FinancialYear(year).months:
        return None
    return None if month in set(written) else month


def latest_status_by(updates: Iterable[tuple[date, str]], last_month: date) -> tuple[date, str] | None:
    """The (month, status) of the latest update written for a month up to ``last_month``."""
    eligible = [u for u in updates if u[0] <= last_month]
    return max(eligible, default=None)
