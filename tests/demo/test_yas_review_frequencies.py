"""The YAS demo reviews its directorates as its framework says: the Performance Management Group meets
bi-monthly, so positions 1 and 2 (one YAS category, "Performing (earned freedoms)") are reviewed bi-monthly,
set through the setup workbook's trust sheet as a real trust's would be (docs/ratings.md). In the demo's data
no directorate reaches position 1 or 2 yet, so every rating follows the table at positions 3 and 4 and when
not rated: monthly."""

import pytest
from django.core.management import call_command

from divisions.models import TrustProfile
from reviews.models import DivisionRating

pytestmark = pytest.mark.django_db

YAS = {"1": "bi-monthly", "2": "bi-monthly", "3": "monthly", "4": "monthly"}


def test_the_yas_demo_takes_its_review_frequencies_from_its_workbook_and_rates_by_them(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the publish pipeline rates after the commit
        call_command("load_demo", "--trust", "yas")

    assert TrustProfile.objects.get().review_frequencies == YAS
    ratings = list(DivisionRating.objects.select_related("division").order_by("division__code", "month"))
    by_position: dict[int | None, set[str]] = {}
    for rating in ratings:
        if not rating.in_special_measures and not rating.frequency_reason.startswith("weekly"):
            by_position.setdefault(rating.effective_position, set()).add(rating.review_frequency)
    assert set(by_position) == {None, 3}  # as docs/ratings.md says; a directorate at 2 would read bi-monthly
    for position, frequencies in by_position.items():
        expected = {None: "monthly", 1: "bi-monthly", 2: "bi-monthly", 3: "monthly", 4: "monthly"}[position]
        assert frequencies == {expected}, position
