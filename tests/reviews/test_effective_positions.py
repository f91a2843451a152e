"""The effective position with hysteresis and the accountability review (DESIGN §4.5). Pure."""

import pytest

from reviews.ratings import AgreedPosition, apply_hysteresis, effective_steps

# Computed 3, agreed 2: the executives judged the division better than its computed position.
MARCH = AgreedPosition(2, 3, "the accountability review of 12 March 2025")
SEPTEMBER = AgreedPosition(3, 3, "the accountability review of 9 September 2025")
# Computed 1, agreed 2: the executives held the division back.
HELD_BACK = AgreedPosition(2, 1, "the accountability review of 1 April 2025")


def effective(computed, agreed, **kwargs):
    return [s.effective for s in effective_steps(computed, agreed, **kwargs)]


@pytest.mark.parametrize(
    ("computed", "agreed", "expected"),
    [
        # no review: exactly the hysteresis rule
        ([4, 3, 3, 3], [None] * 4, [4, 4, 4, 3]),
        # improving for 1, 2 and 3 months, then agreed at 2 (better than computed 3): the review holds
        ([4, 3, 3, 3, 3], [None, None, None, None, MARCH], [4, 4, 4, 3, 2]),
        # agreed worse than computed (2 agreed while computing 1): the agreed position holds
        ([1, 1, 1], [HELD_BACK] * 3, [2, 2, 2]),
        # held back at 2, then computed 3: worse than agreed, a deterioration that takes effect at once
        ([1, 3, 2, 2, 2], [HELD_BACK] * 5, [2, 3, 3, 3, 2]),
        # agreed 2 on a computed 3, then the division deteriorates to 4: takes effect at once, and the review
        # no longer holds, so recovery needs three months again
        ([3, 3, 4, 3, 3, 3], [MARCH] * 6, [2, 2, 4, 4, 4, 3]),
        # the computed 3 the review weighed is not a deterioration, nor is anything better
        ([3, 2, 3, 1], [MARCH] * 4, [2, 2, 2, 2]),
        # after the review expires, hysteresis continues from the agreed position
        ([3, 2, 2, 2], [MARCH, MARCH, None, None], [2, 2, 2, 2]),
        ([3, 3, 3, 3], [MARCH, MARCH, None, None], [2, 2, 3, 3]),
        # a later review starts afresh even after the earlier one was overridden
        ([4, 3, 3], [MARCH, SEPTEMBER, SEPTEMBER], [4, 3, 3]),
    ],
)
def test_effective_steps_with_the_accountability_review(computed, agreed, expected):
    assert effective(computed, agreed) == expected


def test_without_reviews_it_is_the_hysteresis_rule():
    computed = [4, 3, 2, 2, 4, 3, 3, 3, 1, 1, 1]
    assert effective(computed, [None] * len(computed)) == apply_hysteresis(computed)


def test_reasons_name_the_review_and_the_override():
    steps = effective_steps([3, 4], [MARCH, MARCH])
    assert steps[0].reason == "position 2 agreed at the accountability review of 12 March 2025"
    assert "worse than position 3 at the accountability review of 12 March 2025" in steps[1].reason
    assert "overrides the review" in steps[1].reason


def test_continuing_a_settled_history():
    # Two earlier months at 3 (settled at 4) count towards sustaining an improvement in the third.
    assert effective([3], [None], start=4, earlier_computed=[3, 3], earlier_agreed=[None, None]) == [3]
    # A review overridden in an earlier month does not come back.
    assert effective([2], [MARCH], start=4, earlier_computed=[4], earlier_agreed=[MARCH]) == [4]
    # One that held stays in force.
    assert effective([3], [MARCH], start=2, earlier_computed=[3], earlier_agreed=[MARCH]) == [2]


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="one agreed position"):
        effective_steps([3, 3], [None])
