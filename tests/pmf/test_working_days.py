"""The working-day calendar (pmf.working_days): bank holidays, working days, the n-th weekday of a month.

Pure: no database. PRM schedules and escalation deadlines both stand on it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmf.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    nth_weekday,
    working_day_on_or_after,
)

PROPERTY = settings(max_examples=200, deadline=None, database=None)

MON, TUE, WED, THU = range(4)
D = date


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (D(2025, 4, 18), True),
        (D(2025, 4, 21), True),
        (D(2025, 12, 26), True),
        (D(2026, 12, 28), True),  # substitute day for Boxing Day
        (D(2027, 12, 27), True),  # substitute day for Christmas Day
        (D(2025, 4, 22), False),
        (D(2025, 3, 17), False),  # St Patrick's Day is Northern Ireland only
        (D(2025, 8, 4), False),  # Scotland's summer holiday, not England and Wales
    ],
)
def test_is_bank_holiday_england_and_wales(day, holiday):
    assert is_bank_holiday(day) is holiday


@pytest.mark.parametrize(
    ("day", "working"),
    [(D(2025, 4, 17), True), (D(2025, 4, 18), False), (D(2025, 4, 19), False), (D(2025, 4, 20), False)],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2025, 4, TUE, 1, D(2025, 4, 1)),  # the month starts on that weekday
        (2025, 4, MON, 1, D(2025, 4, 7)),
        (2025, 4, TUE, 4, D(2025, 4, 22)),
        (2025, 4, WED, -1, D(2025, 4, 30)),  # the month ends on that weekday
        (2025, 4, THU, -1, D(2025, 4, 24)),
        (2026, 2, 6, -1, D(2026, 2, 22)),  # the last Sunday
        (2024, 2, THU, -1, D(2024, 2, 29)),  # leap day
    ],
)
def test_nth_weekday(year, month, weekday, week, expected):
    assert nth_weekday(year, month, weekday, week) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 4, 17), 0, D(2025, 4, 17)),
        (D(2025, 4, 19), 0, D(2025, 4, 19)),  # zero days from a Saturday is that Saturday
        (D(2025, 4, 17), 1, D(2025, 4, 22)),  # over Good Friday, the weekend and Easter Monday
        (D(2025, 4, 17), 10, D(2025, 5, 6)),  # over Easter and the early May bank holiday
        (D(2025, 4, 18), 1, D(2025, 4, 22)),  # from the bank holiday itself
        (D(2025, 4, 11), 5, D(2025, 4, 22)),
        (D(2025, 12, 24), 1, D(2025, 12, 29)),  # over Christmas and Boxing Day
        (D(2025, 12, 24), 4, D(2026, 1, 2)),  # and New Year's Day
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Boxing Day's substitute Monday
        (D(2025, 10, 1), 10, D(2025, 10, 15)),  # an ordinary fortnight
        (D(2025, 10, 4), 1, D(2025, 10, 6)),  # Saturday to Monday
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2025, 4, 17), -1)


@PROPERTY
@given(st.dates(D(2018, 1, 1), D(2035, 12, 31)), st.integers(1, 40))
def test_add_working_days_counts_exactly_n_working_days(start, n):
    end = add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]

    assert is_working_day(end)
    assert sum(is_working_day(d) for d in between) == n


@PROPERTY
@given(st.dates(D(2018, 1, 1), D(2035, 12, 31)))
def test_working_day_on_or_after_is_the_first_working_day(day):
    found = working_day_on_or_after(day)

    assert is_working_day(found)
    assert all(not is_working_day(day + timedelta(days=i)) for i in range((found - day).days))


@pytest.mark.parametrize(
    ("weekday", "week", "message"),
    [
        (7, 2, "weekday must be 0"),
        (-1, 2, "weekday must be 0"),
        (TUE, 5, "week_of_month must be 1, 2, 3, 4 or -1"),
    ],
)
def test_nth_weekday_refuses_a_day_or_week_that_is_not_one(weekday, week, message):
    with pytest.raises(ValueError, match=message):
        nth_weekday(2025, 4, weekday, week)
