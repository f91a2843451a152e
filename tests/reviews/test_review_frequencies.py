"""A trust's review frequency per position is its configuration (DESIGN §4.5, §7): checked, stored on its
profile, read by the rating run, edited on the PRM slot page; a change re-rates and re-plans, audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from divisions.models import TrustProfile
from divisions.review_frequencies import by_position, default_review_frequencies, review_frequency_problems
from pmf.models import AuditEvent, User
from reviews.models import DivisionRating, Meeting, MeetingKind
from reviews.ratings import frequency_for
from reviews.services.meetings import sync_schedules
from reviews.services.ratings import compute_ratings
from reviews.services.review_frequencies import change_review_frequencies
from tests.factories import UserFactory
from tests.reviews.test_rating_service import JULY, JUNE
from tests.reviews.test_rating_service import World as RatingWorld

YAS_LIKE = {"1": "bi-monthly", "2": "bi-monthly", "3": "monthly", "4": "monthly"}
TODAY = date(2025, 8, 15)


# --- the table, pure ---------------------------------------------------------------------------------------


def test_the_default_table_is_designs_and_passes_its_own_check():
    assert default_review_frequencies() == {
        "1": "6-monthly",
        "2": "quarterly",
        "3": "monthly",
        "4": "monthly",
    }
    assert review_frequency_problems(default_review_frequencies()) == []
    assert review_frequency_problems(YAS_LIKE) == []
    assert by_position(YAS_LIKE) == {1: "bi-monthly", 2: "bi-monthly", 3: "monthly", 4: "monthly"}
    assert (
        by_position({}) == by_position(None) == {1: "6-monthly", 2: "quarterly", 3: "monthly", 4: "monthly"}
    )


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ({"1": "6-monthly", "2": "quarterly", "3": "monthly"}, "position 4 has no review frequency"),
        ({**YAS_LIKE, "5": "monthly"}, "5 is not a position: positions run from 1 to 4"),
        ({**YAS_LIKE, "3": "fortnightly"}, "position 3: 'fortnightly' is not a review frequency"),
        (
            {"1": "monthly", "2": "quarterly", "3": "monthly", "4": "monthly"},
            "position 2 would be reviewed quarterly, less often than position 1 (monthly)",
        ),
        (["monthly"], "a table of positions 1 to 4"),
    ],
)
def test_a_table_that_is_not_one_is_refused_with_the_reason(table, reason):
    problems = review_frequency_problems(table)
    assert any(reason in problem for problem in problems), problems
    with pytest.raises(ValueError, match="position|table"):
        by_position(table)


def test_a_position_the_trust_reviews_otherwise_says_so_in_its_reason():
    decision = frequency_for(
        2,
        all_failed=False,
        in_special_measures=False,
        months_in_position_4=0,
        by_position=by_position(YAS_LIKE),
    )
    assert decision.frequency == "bi-monthly"
    assert "as the trust reviews position 2 (not quarterly)" in decision.reason
    as_designed = frequency_for(2, all_failed=False, in_special_measures=False, months_in_position_4=0)
    assert as_designed.frequency == "quarterly" and "as the trust" not in as_designed.reason


# --- the rating run and the change --------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_the_table_re_rates_re_plans_and_is_audited_and_the_same_table_again_changes_nothing():
    world = RatingWorld()  # one division, a key and a non-key KPI per criterion
    profile = TrustProfile.objects.create(trust=world.trust, ods_code="T")
    perf = UserFactory(username="perf")
    world.month(JUNE, misses=["FIN-K"])
    world.month(JULY, misses=["FIN-K"])
    compute_ratings()
    sync_schedules(today=TODAY)
    latest = DivisionRating.objects.get(division=world.division, month=JULY)
    assert (latest.effective_position, latest.review_frequency) == (3, "monthly")
    table = {"1": "6-monthly", "2": "bi-monthly", "3": "bi-monthly", "4": "monthly"}

    change = change_review_frequencies(actor=perf, frequencies=table, today=TODAY)

    profile.refresh_from_db()
    assert profile.review_frequencies == table
    latest.refresh_from_db()
    assert latest.review_frequency == "bi-monthly"
    assert latest.frequency_reason.startswith("bi-monthly: position 3")
    assert "as the trust reviews position 3 (not monthly)" in latest.frequency_reason
    assert change.ratings is not None and change.ratings.updated == 2  # June and July
    event = AuditEvent.objects.get(verb="review frequencies changed")
    assert event.actor == "perf" and event.after == {"review_frequencies": table}
    assert event.before == {"review_frequencies": default_review_frequencies()}
    assert AuditEvent.objects.filter(verb="re-rated", actor="perf").count() == 2
    planned = Meeting.objects.filter(division=world.division, kind=MeetingKind.PRM, scheduled_for__gt=TODAY)
    assert set(planned.values_list("frequency", flat=True)) == {"bi-monthly"}
    assert sorted(d.month for d in planned.values_list("scheduled_for", flat=True)) == [1, 3, 9, 11]
    assert change.summary() == (
        "The review frequencies are saved: 2 rating(s) re-rated and 1 schedule(s) re-planned."
    )

    again = change_review_frequencies(actor=perf, frequencies=table, today=TODAY)
    assert not again.changed and again.summary().startswith("The review frequencies are as they were")
    assert AuditEvent.objects.filter(verb="review frequencies changed").count() == 1


@pytest.mark.django_db
def test_a_table_that_is_not_one_is_refused_and_nothing_is_written(world):
    TrustProfile.objects.create(trust=world.trust, ods_code="WLD")
    perf = User.objects.get(username="perf")
    with pytest.raises(ValidationError, match="less often than position 3"):
        change_review_frequencies(
            actor=perf, frequencies={"1": "6-monthly", "2": "quarterly", "3": "monthly", "4": "quarterly"}
        )
    assert TrustProfile.objects.get().review_frequencies == default_review_frequencies()
    assert not AuditEvent.objects.filter(verb="review frequencies changed").exists()


@pytest.mark.django_db
def test_the_prm_slot_page_saves_the_frequencies_and_refuses_a_worse_position_reviewed_less_often(
    client, world
):
    TrustProfile.objects.create(trust=world.trust, ods_code="WLD")
    client.force_login(User.objects.get(username="perf"))
    url = reverse("setup-prm-slot")
    slot = {"weekday": 1, "week_of_month": 2}

    page = client.get(url).content.decode()
    refused = client.post(url, slot | {"position_3": "6-monthly"})
    saved = client.post(url, slot | {"position_1": "bi-monthly", "position_2": "bi-monthly"})

    assert "at position 2 (Performing) is reviewed" in page and "bi-monthly" in page
    assert "Nothing was saved" in refused.content.decode()
    assert "position 3 would be reviewed 6-monthly, less often than position 2 (quarterly)" in (
        refused.content.decode()
    )
    assert saved.status_code == 302
    assert TrustProfile.objects.get().review_frequencies == YAS_LIKE
    settings = client.get(reverse("setup-reviews")).content.decode()
    assert '<th scope="row">1 (Maximum autonomy)</th><td>bi-monthly</td>' in settings
