"""A bi-monthly review frequency (the YAS Performance Management Group meets bi-monthly). Pure."""

from datetime import date

from reviews.ratings import frequency_for
from reviews.schedule import plan_meetings


def test_a_bi_monthly_schedule_places_a_prm_every_second_month_ending_in_march():
    days = plan_meetings("2025/26", "bi-monthly", weekday=1, week_of_month=2)

    assert [(d.year, d.month) for d in days] == [
        (2025, 5),
        (2025, 7),
        (2025, 9),
        (2025, 11),
        (2026, 1),
        (2026, 3),
    ]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)
    assert date(2025, 5, 13) in days


def test_a_trust_may_review_a_position_bi_monthly_but_not_when_severe_or_in_special_measures():
    table = {3: "bi-monthly"}

    decision = frequency_for(
        3, all_failed=False, in_special_measures=False, months_in_position_4=0, by_position=table
    )
    assert decision.frequency == "bi-monthly" and decision.reason.startswith("bi-monthly: position 3")
    assert frequency_for(
        3, all_failed=False, in_special_measures=False, months_in_position_4=0
    ).frequency == ("monthly")
    assert (
        frequency_for(
            3, all_failed=False, in_special_measures=True, months_in_position_4=0, by_position=table
        )
    ).frequency == "weekly"
