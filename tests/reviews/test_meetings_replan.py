"""An accountability review that changes a division's review frequency re-plans its PRMs at once, in the
same transaction, not at the next publish (issue 18, item 7). On the rating tests' one-division trust."""

from datetime import date

import pytest
import time_machine

from reviews.models import DivisionRating, Meeting
from reviews.services.meetings import sync_schedules
from reviews.services.ratings import compute_ratings, record_accountability_review
from tests.factories import UserFactory
from tests.reviews.test_rating_service import JULY, World

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2025, 8, 4), tick=False)
def test_an_agreed_position_with_another_frequency_replans_the_future_meetings_at_once():
    world = World()
    world.month(JULY, misses=["FIN-K"])  # computed 3
    compute_ratings(months=[JULY])
    sync_schedules()
    before = DivisionRating.objects.get(division=world.division, month=JULY).review_frequency
    future = Meeting.objects.filter(division=world.division, status="planned", scheduled_for__gt=date.today())
    assert set(future.values_list("frequency", flat=True)) == {before}

    record_accountability_review(
        actor=UserFactory(username="exec"),
        division=world.division,
        held_on=date(2025, 8, 4),
        agreed_position=1,
        rationale="Recovery plan agreed and funded",
    )
    after = DivisionRating.objects.get(division=world.division, month=JULY)
    assert after.effective_position == 1 and after.review_frequency != before
    assert set(future.values_list("frequency", flat=True)) == {after.review_frequency}
