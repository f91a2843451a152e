"""PRM schedules, pack deadlines and re-planning (DESIGN §4.6). Pure: no database.

The working-day calendar they stand on is tested in tests/pmf/test_working_days.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmf.periods import FinancialYear
from pmf.working_days import is_working_day
from reviews.schedule import PlannedMeeting, pack_deadlines, plan_meetings, replan

PROPERTY = settings(max_examples=200, deadline=None, database=None)

MON, TUE, WED, THU, FRI = range(5)
D = date


# --- whole financial years ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "frequency", "weekday", "week", "count", "first", "last"),
    [
        # 1 April 2025 and 31 March 2026 are both Tuesdays: 53 of them, none a bank holiday.
        ("2025/26", "weekly", TUE, None, 53, D(2025, 4, 1), D(2026, 3, 31)),
        ("2025/26", "weekly", MON, None, 52, D(2025, 4, 7), D(2026, 3, 30)),
        ("2025/26", "weekly", FRI, None, 52, D(2025, 4, 4), D(2026, 3, 27)),
        ("2025/26", "monthly", TUE, 2, 12, D(2025, 4, 8), D(2026, 3, 10)),
        ("2025/26", "monthly", MON, -1, 12, D(2025, 4, 28), D(2026, 3, 30)),
        ("2025/26", "quarterly", TUE, 2, 4, D(2025, 6, 10), D(2026, 3, 10)),
        ("2025/26", "6-monthly", TUE, 2, 2, D(2025, 9, 9), D(2026, 3, 10)),
        ("2026/27", "weekly", TUE, None, 52, D(2026, 4, 7), D(2027, 3, 30)),
        ("2026/27", "weekly", MON, None, 52, D(2026, 4, 7), D(2027, 3, 30)),  # both Easter Mondays moved
        ("2026/27", "monthly", WED, 4, 12, D(2026, 4, 22), D(2027, 3, 24)),
        ("2026/27", "quarterly", THU, 1, 4, D(2026, 6, 4), D(2027, 3, 4)),
        ("2026/27", "6-monthly", MON, 1, 2, D(2026, 9, 7), D(2027, 3, 1)),
    ],
)
def test_plan_meetings_across_a_whole_year(year, frequency, weekday, week, count, first, last):
    dates = plan_meetings(year, frequency, weekday=weekday, week_of_month=week)

    assert len(dates) == count
    assert (dates[0], dates[-1]) == (first, last)
    assert dates == sorted(set(dates))


def test_plan_meetings_monthly_second_tuesday_2025_26():
    assert plan_meetings("2025/26", "monthly", weekday=TUE, week_of_month=2) == [
        D(2025, 4, 8), D(2025, 5, 13), D(2025, 6, 10), D(2025, 7, 8), D(2025, 8, 12), D(2025, 9, 9),
        D(2025, 10, 14), D(2025, 11, 11), D(2025, 12, 9), D(2026, 1, 13), D(2026, 2, 10), D(2026, 3, 10),
    ]  # fmt: skip


def test_plan_meetings_quarterly_is_months_3_6_9_and_12_of_the_year():
    dates = plan_meetings("2025/26", "quarterly", weekday=TUE, week_of_month=2)

    assert [d.month for d in dates] == [6, 9, 12, 3]


def test_plan_meetings_six_monthly_is_september_and_march():
    dates = plan_meetings("2026/27", "6-monthly", weekday=THU, week_of_month=-1)

    assert dates == [D(2026, 9, 24), D(2027, 3, 25)]


def test_plan_meetings_accepts_a_financial_year_or_its_label():
    by_label = plan_meetings("2025/26", "monthly", weekday=WED, week_of_month=3)

    assert plan_meetings(FinancialYear(2025), "monthly", weekday=WED, week_of_month=3) == by_label


def test_plan_meetings_weekly_ignores_week_of_month():
    assert plan_meetings("2025/26", "weekly", weekday=TUE, week_of_month=3) == plan_meetings(
        "2025/26", "weekly", weekday=TUE
    )


# --- bank holidays ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "frequency", "weekday", "week", "moved_to", "not_on"),
    [
        ("2025/26", "weekly", MON, None, D(2025, 4, 22), D(2025, 4, 21)),  # Easter Monday
        ("2025/26", "weekly", MON, None, D(2025, 5, 6), D(2025, 5, 5)),  # early May
        ("2025/26", "weekly", MON, None, D(2025, 5, 27), D(2025, 5, 26)),  # late May
        ("2025/26", "weekly", MON, None, D(2025, 8, 26), D(2025, 8, 25)),  # August
        ("2025/26", "weekly", FRI, None, D(2025, 4, 22), D(2025, 4, 18)),  # Good Friday, past Easter Monday
        ("2025/26", "weekly", THU, None, D(2025, 12, 29), D(2025, 12, 25)),  # Christmas, past Boxing Day
        ("2025/26", "weekly", FRI, None, D(2025, 12, 29), D(2025, 12, 26)),  # Boxing Day
        ("2025/26", "weekly", THU, None, D(2026, 1, 2), D(2026, 1, 1)),  # New Year's Day
        ("2025/26", "monthly", MON, 1, D(2025, 5, 6), D(2025, 5, 5)),
        ("2025/26", "monthly", MON, -1, D(2025, 5, 27), D(2025, 5, 26)),
        ("2025/26", "monthly", MON, -1, D(2025, 8, 26), D(2025, 8, 25)),
        ("2026/27", "weekly", FRI, None, D(2026, 4, 7), D(2026, 4, 3)),  # Good Friday 2026
        ("2026/27", "weekly", MON, None, D(2026, 4, 7), D(2026, 4, 6)),  # Easter Monday 2026
        # Christmas 2026 is a Friday: Boxing Day's substitute is Monday 28th, so the meeting goes to Tuesday.
        ("2026/27", "weekly", FRI, None, D(2026, 12, 29), D(2026, 12, 25)),
        ("2026/27", "weekly", MON, None, D(2026, 12, 29), D(2026, 12, 28)),
        ("2026/27", "weekly", FRI, None, D(2027, 1, 4), D(2027, 1, 1)),
        ("2026/27", "monthly", MON, -1, D(2026, 9, 1), D(2026, 8, 31)),  # into the next month
        ("2026/27", "monthly", MON, -1, D(2027, 3, 30), D(2027, 3, 29)),  # Easter Monday 2027
        ("2026/27", "weekly", FRI, None, D(2027, 3, 30), D(2027, 3, 26)),  # Good Friday 2027
    ],
)
def test_plan_meetings_bank_holiday_moves_to_the_next_working_day(
    year, frequency, weekday, week, moved_to, not_on
):
    dates = plan_meetings(year, frequency, weekday=weekday, week_of_month=week)

    assert moved_to in dates
    assert not_on not in dates


def test_plan_meetings_weekly_tuesday_2025_26_never_moves():
    dates = plan_meetings("2025/26", "weekly", weekday=TUE)

    assert all(d.weekday() == TUE for d in dates)
    assert dates == [D(2025, 4, 1) + timedelta(weeks=w) for w in range(53)]


def test_plan_meetings_moved_off_the_last_day_stays_in_the_years_plan():
    # Good Friday 2029 is 30 March, and Easter Monday 2 April: the year's last Friday meeting lands in April.
    dates = plan_meetings("2028/29", "weekly", weekday=FRI)

    assert dates[-1] == D(2029, 4, 3)
    assert D(2029, 3, 30) not in dates


# --- validation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "frequency", "weekday", "week", "message"),
    [
        ("2025/26", "fortnightly", TUE, 2, "not a review frequency"),
        ("2025/26", "monthly", 7, 2, "weekday must be 0"),
        ("2025/26", "monthly", -1, 2, "weekday must be 0"),
        ("2025/26", "monthly", TUE, 5, "week_of_month must be 1, 2, 3, 4 or -1"),
        ("2025/26", "monthly", TUE, 0, "week_of_month must be 1, 2, 3, 4 or -1"),
        ("2025/26", "quarterly", TUE, None, "needs week_of_month"),
        ("2025-26", "weekly", TUE, None, "not a financial year"),
    ],
)
def test_plan_meetings_refuses_bad_settings(year, frequency, weekday, week, message):
    with pytest.raises(ValueError, match=message):
        plan_meetings(year, frequency, weekday=weekday, week_of_month=week)


YEARS = st.integers(2018, 2040)
WEEKDAYS = st.integers(0, 6)
WEEKS = st.sampled_from([1, 2, 3, 4, -1])
FREQUENCIES = st.sampled_from(["weekly", "monthly", "quarterly", "6-monthly"])


@PROPERTY
@given(YEARS, FREQUENCIES, WEEKDAYS, WEEKS)
def test_plan_meetings_every_date_is_a_working_day_in_order(start_year, frequency, weekday, week):
    year = FinancialYear(start_year)

    dates = plan_meetings(year, frequency, weekday=weekday, week_of_month=week)

    expected = {"monthly": 12, "quarterly": 4, "6-monthly": 2}.get(frequency)
    assert expected is None or len(dates) == expected
    assert dates == sorted(set(dates))
    assert all(is_working_day(d) for d in dates)
    assert year.first_day <= dates[0] and dates[-1] <= year.last_day + timedelta(days=7)


@PROPERTY
@given(YEARS, st.integers(0, 4))
def test_plan_meetings_weekly_meets_once_a_week(start_year, weekday):
    dates = plan_meetings(FinancialYear(start_year), "weekly", weekday=weekday)

    assert len(dates) in (52, 53)
    # Moved meetings land within the same week's run of days off, never on the next meeting.
    assert all(0 < (b - a).days < 14 for a, b in zip(dates, dates[1:], strict=False))


# --- pack deadlines -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "to_division", "to_invitees"),
    [
        (D(2025, 10, 14), D(2025, 10, 7), D(2025, 10, 12)),  # the invitees' deadline is a Sunday: kept
        (D(2026, 1, 2), D(2025, 12, 26), D(2025, 12, 31)),  # across the year end, onto a bank holiday
        (D(2025, 4, 1), D(2025, 3, 25), D(2025, 3, 30)),  # across the financial year end
        (D(2024, 3, 6), D(2024, 2, 28), D(2024, 3, 4)),  # across a leap day
    ],
)
def test_pack_deadlines_are_7_and_2_calendar_days_before(meeting, to_division, to_invitees):
    deadlines = pack_deadlines(meeting)

    assert deadlines == (to_division, to_invitees)
    assert (deadlines.to_division, deadlines.to_invitees) == (to_division, to_invitees)


def test_pack_deadlines_unpack_as_a_pair():
    to_division, to_invitees = pack_deadlines(D(2025, 6, 10))

    assert (to_division, to_invitees) == (D(2025, 6, 3), D(2025, 6, 8))


# --- re-planning --------------------------------------------------------------------------------------------


def test_replan_monthly_to_weekly_from_october_keeps_history_and_replaces_future_planned():
    monthly = plan_meetings("2025/26", "monthly", weekday=WED, week_of_month=2)
    status = {D(2025, 6, 11): "cancelled", D(2025, 9, 10): "planned", D(2025, 11, 12): "cancelled"}
    existing = [
        PlannedMeeting(day, status.get(day, "held" if day < D(2025, 10, 1) else "planned"), ref=i)
        for i, day in enumerate(monthly)
    ]
    weekly = plan_meetings("2025/26", "weekly", weekday=TUE)

    result = replan(existing, weekly, today=D(2025, 10, 1))

    assert [m.ref for m in result.keep] == [0, 1, 2, 3, 4, 5, 7]  # Apr–Sep and November's cancellation
    assert [m.scheduled_for for m in result.drop] == [
        D(2025, 10, 8), D(2025, 12, 10), D(2026, 1, 14), D(2026, 2, 11), D(2026, 3, 11),
    ]  # fmt: skip
    assert len(result.add) == 26
    assert result.add[0] == D(2025, 10, 7) and result.add[-1] == D(2026, 3, 31)
    assert result.explanation == (
        "Re-planned after 1 Oct 2025: 5 future planned meetings dropped; 26 new dates added;"
        " 4 held and 2 cancelled kept as history;"
        " 1 planned meeting on or before today kept, to be marked held or cancelled;"
        " 27 new dates on or before today ignored."
    )


def test_replan_keeps_a_future_meeting_already_on_a_new_date():
    existing = [PlannedMeeting(D(2025, 10, 14), ref="m1"), PlannedMeeting(D(2025, 10, 15), ref="m2")]

    result = replan(existing, [D(2025, 10, 14), D(2025, 10, 21)], today=D(2025, 10, 1))

    assert [m.ref for m in result.keep] == ["m1"]
    assert [m.ref for m in result.drop] == ["m2"]
    assert result.add == [D(2025, 10, 21)]
    assert "1 planned meeting unchanged (same day in the new plan)" in result.explanation


def test_replan_keeps_todays_planned_meeting():
    result = replan([PlannedMeeting(D(2025, 10, 1))], [D(2025, 10, 7)], today=D(2025, 10, 1))

    assert [m.scheduled_for for m in result.keep] == [D(2025, 10, 1)]
    assert result.schedule == [D(2025, 10, 1), D(2025, 10, 7)]


def test_replan_does_not_undo_a_cancellation():
    cancelled = PlannedMeeting(D(2025, 11, 11), "cancelled")

    result = replan([cancelled], [D(2025, 11, 11), D(2025, 11, 18)], today=D(2025, 10, 1))

    assert result.keep == [cancelled]
    assert result.add == [D(2025, 11, 18)]
    assert result.schedule == [D(2025, 11, 18)]


def test_replan_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="not a meeting status"):
        replan([PlannedMeeting(D(2025, 11, 11), "postponed")], [], today=D(2025, 10, 1))  # type: ignore[arg-type]


DAYS = st.dates(D(2025, 4, 1), D(2026, 3, 31))
MEETINGS = st.builds(PlannedMeeting, DAYS, st.sampled_from(["planned", "held", "cancelled"]))


@PROPERTY
@given(st.lists(MEETINGS, max_size=20), st.lists(DAYS, max_size=30), DAYS)
def test_replan_partitions_and_never_touches_history(existing, new_dates, today):
    result = replan(existing, new_dates, today=today)

    assert sorted(result.keep + result.drop, key=id) == sorted(existing, key=id)
    assert all(m.status == "planned" and m.scheduled_for > today for m in result.drop)
    assert all(m in result.keep for m in existing if m.status != "planned" or m.scheduled_for <= today)
    assert all(day > today and day in new_dates for day in result.add)
    assert not {m.scheduled_for for m in result.keep} & set(result.add)
    future = {d for d in new_dates if d > today}
    assert future <= {m.scheduled_for for m in result.keep} | set(result.add)
