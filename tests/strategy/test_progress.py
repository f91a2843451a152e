"""The arithmetic of milestones, quarters and missing updates (strategy.progress): pure, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategy.progress import (
    MilestoneFacts,
    MilestoneState,
    Quarter,
    milestone_state,
    missing_update_month,
    quarter_milestones,
)

Q2 = Quarter(2025, 2)  # July to September 2025


def test_a_milestone_is_complete_overdue_or_due():
    due = date(2025, 7, 25)
    assert milestone_state(due, None, date(2025, 7, 25)) is MilestoneState.DUE  # due today: not yet late
    assert milestone_state(due, None, date(2025, 7, 26)) is MilestoneState.OVERDUE
    assert milestone_state(due, date(2025, 8, 1), date(2025, 8, 2)) is MilestoneState.COMPLETE  # late, done
    assert milestone_state(due, date(2025, 8, 1), date(2025, 7, 31)) is MilestoneState.OVERDUE  # not done yet


def test_quarters_run_april_to_march():
    assert (Q2.first_day, Q2.last_day, Q2.label, Q2.slug) == (
        date(2025, 7, 1),
        date(2025, 9, 30),
        "Q2 2025/26",
        "2025-q2",
    )
    assert Quarter(2025, 4).months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert Quarter.containing(date(2026, 3, 31)) == Quarter(2025, 4)
    assert Quarter.containing(date(2025, 4, 1)) == Quarter(2025, 1)
    assert Quarter.parse("2025-Q3") == Quarter(2025, 3)
    with pytest.raises(ValueError, match="YYYY-qN"):
        Quarter.parse("2025/26 Q3")


def test_a_running_quarter_is_read_today_and_a_finished_one_at_its_end():
    milestones = [
        MilestoneFacts(1, date(2025, 5, 31), None),  # missed in Q1, still open
        MilestoneFacts(2, date(2025, 7, 10), date(2025, 7, 9)),  # done in time
        MilestoneFacts(3, date(2025, 7, 25), None),  # missed
        MilestoneFacts(4, date(2025, 9, 30), None),  # still to come
        MilestoneFacts(5, date(2025, 10, 15), None),  # the next quarter's
        MilestoneFacts(6, date(2025, 6, 1), date(2025, 6, 1)),  # done before the quarter
    ]
    running = quarter_milestones(milestones, Q2, date(2025, 8, 4))
    assert (running.due, running.completed, running.missed, running.pending, running.carried) == (
        [2, 3, 4],
        [2],
        [3],
        [4],
        [1],
    )
    # Read after the quarter: the milestone due on its last day and not done was missed too.
    over = quarter_milestones(milestones, Q2, date(2025, 11, 1))
    assert (over.missed, over.pending) == ([3, 4], [])


def test_the_update_missing_is_the_month_just_ended_within_the_year():
    assert missing_update_month(2025, [], date(2025, 8, 4)) == date(2025, 7, 1)
    assert missing_update_month(2025, [date(2025, 7, 1)], date(2025, 8, 4)) is None
    assert missing_update_month(2025, [], date(2025, 4, 20)) is None  # March belongs to 2024/25
    assert missing_update_month(2025, [], date(2026, 4, 2)) == date(2026, 3, 1)  # the year's last month
    assert missing_update_month(2025, [], date(2026, 5, 2)) is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.dates(date(2025, 1, 1), date(2026, 6, 30)), st.one_of(st.none(), st.integers(0, 120))),
        max_size=12,
    ),
    st.dates(date(2025, 4, 1), date(2026, 6, 30)),
    st.integers(1, 4),
)
def test_each_milestone_due_in_the_quarter_is_in_exactly_one_of_its_lists(specs, today, number):
    quarter = Quarter(2025, number)
    milestones = [
        MilestoneFacts(i, due, None if days is None else due + timedelta(days=days - 60))
        for i, (due, days) in enumerate(specs)
    ]
    found = quarter_milestones(milestones, quarter, today)
    in_quarter = sorted(m.id for m in milestones if quarter.first_day <= m.due_date <= quarter.last_day)
    assert sorted(found.due) == in_quarter
    assert sorted(found.completed + found.missed + found.pending) == in_quarter
    assert all(m.due_date < quarter.first_day for m in milestones if m.id in found.carried)
