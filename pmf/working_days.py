"""The working-day calendar: weekdays, England and Wales bank holidays, and the n-th weekday of a month.

Pure: no Django. Bank holidays come from the ``holidays`` library (``holidays.UK(subdiv="ENG")``, which
lists the same days for England and for Wales). Weekdays are numbered as Python numbers them: Monday = 0 …
Sunday = 6. PRM schedules (``reviews.schedule``) and escalation deadlines (``escalation.rules``) both read it.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKS_OF_MONTH = (1, 2, 3, 4, -1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """An England and Wales bank holiday, including substitute days ("Boxing Day (observed)")."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def working_day_on_or_after(day: date) -> date:
    """``day`` itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself does not count).

    "An action plan within 10 working days" of a case opened on ``start`` is due by
    ``add_working_days(start, 10)``. ``n = 0`` returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError("n must be 0 or more working days")
    day = start
    for _ in range(n):
        day = working_day_on_or_after(day + timedelta(days=1))
    return day


def check_weekday(weekday: int) -> None:
    """Refuse a weekday that is not 0 (Monday) to 6 (Sunday)."""
    if weekday not in range(7):
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday); got {weekday!r}")


def nth_weekday(year: int, month: int, weekday: int, week_of_month: int) -> date:
    """The ``week_of_month``-th ``weekday`` of the month (1 to 4), or its last (-1)."""
    check_weekday(weekday)
    if week_of_month not in WEEKS_OF_MONTH:
        raise ValueError(f"week_of_month must be 1, 2, 3, 4 or -1 (the last); got {week_of_month!r}")
    if week_of_month == -1:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week_of_month - 1))
