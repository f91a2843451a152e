"""Rank, quartile, score and overall standing among peers (national/ranking.py). Pure: no database.

The tables are worked by hand; docs/benchmarking.md walks through the first one.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from national.ranking import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    Direction,
    average_ranks,
    kpi_standing,
    overall_standing,
    place_all,
    quantile,
    quartile_of,
    rank_frame,
    score_of,
)

# Higher is better, B and C tied for second and third.
FIVE = {"A": 90.0, "B": 80.0, "C": 80.0, "D": 70.0, "E": 60.0}
FIVE_TABLE = {  # org: (rank, quartile, score, next-quartile value, distance)
    "A": (1.0, 1, 1.0, None, None),
    "B": (2.5, 2, 2.125, 80.0, 0.0),
    "C": (2.5, 2, 2.125, 80.0, 0.0),
    "D": (4.0, 3, 3.25, 80.0, 10.0),
    "E": (5.0, 4, 4.0, 70.0, 10.0),
}

# Lower is better (say the share waiting six weeks or more).
FOUR_LOW = {"P": 5.0, "Q": 10.0, "R": 20.0, "S": 40.0}
FOUR_LOW_TABLE = {
    "P": (1.0, 1, 1.0, None, None),
    "Q": (2.0, 2, 2.0, 5.0, 5.0),
    "R": (3.0, 3, 3.0, 10.0, 10.0),
    "S": (4.0, 4, 4.0, 20.0, 20.0),
}


@pytest.mark.parametrize(
    ("values", "direction", "table"),
    [(FIVE, HIGHER_IS_BETTER, FIVE_TABLE), (FOUR_LOW, LOWER_IS_BETTER, FOUR_LOW_TABLE)],
    ids=["higher-is-better-with-a-tie", "lower-is-better"],
)
def test_kpi_standing_matches_the_hand_computed_table(values, direction, table):
    for org, (rank, quartile, score, target, distance) in table.items():
        standing = kpi_standing(values, direction, org)
        assert standing is not None
        assert (standing.rank, standing.quartile, standing.score) == (rank, quartile, score), org
        assert (standing.next_quartile_value, standing.distance_to_next_quartile) == (target, distance), org
        assert standing.n == len(values)


def test_median_and_upper_quartile_follow_the_direction():
    high = kpi_standing(FIVE, HIGHER_IS_BETTER, "A")
    low = kpi_standing(FOUR_LOW, LOWER_IS_BETTER, "P")
    assert high is not None and low is not None
    # [60, 70, 80, 80, 90]: median 80; 75th percentile at position 3 → 80; 25th at position 1 → 70.
    assert (high.median, high.upper_quartile, high.lower_quartile) == (80.0, 80.0, 70.0)
    # [5, 10, 20, 40]: median 15; the best quarter of a lower-is-better KPI ends at the 25th percentile,
    # position 0.75 → 5 + 0.75 × 5 = 8.75; the 75th at position 2.25 → 20 + 0.25 × 20 = 25.
    assert (low.median, low.upper_quartile, low.lower_quartile) == (15.0, 8.75, 25.0)


def test_passing_the_next_quartile_value_moves_the_trust_up_and_falling_short_does_not():
    standing = kpi_standing(FIVE, HIGHER_IS_BETTER, "E")
    assert standing is not None and standing.next_quartile_value == 70.0
    passed = kpi_standing({**FIVE, "E": 70.01}, HIGHER_IS_BETTER, "E")
    short = kpi_standing({**FIVE, "E": 69.99}, HIGHER_IS_BETTER, "E")
    assert passed is not None and passed.quartile == 3
    assert short is not None and short.quartile == 4


def test_organisations_without_a_value_are_not_ranked():
    values = {"A": 1.0, "B": None, "C": math.nan, "D": 3.0}
    standing = kpi_standing(values, HIGHER_IS_BETTER, "A")
    assert standing is not None
    assert standing.n == 2 and standing.rank == 2.0
    assert kpi_standing(values, HIGHER_IS_BETTER, "B") is None


def test_a_ranking_of_one_is_best_and_is_not_scored():
    standing = kpi_standing({"A": 7.0}, LOWER_IS_BETTER, "A")
    assert standing is not None
    assert (standing.rank, standing.n, standing.quartile, standing.score) == (1.0, 1, 1, 1.0)
    assert not standing.is_scored
    assert standing.median == standing.upper_quartile == 7.0


def test_quartile_and_score_refuse_a_rank_outside_one_to_n():
    with pytest.raises(ValueError, match="between 1 and n"):
        quartile_of(5, 4)
    with pytest.raises(ValueError, match="between 1 and n"):
        score_of(0, 4)
    with pytest.raises(ValueError, match="direction"):
        average_ranks([1.0], "up")  # type: ignore[arg-type]


def test_quantile_is_type_seven():
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.75) == 3.25
    assert quantile([3.0], 0.25) == 3.0
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.75) == pd.Series([1.0, 2.0, 3.0, 4.0]).quantile(0.75)


# Overall: KPI x (higher is better) A 4, B 3, C 2, D 1 → scores 1, 2, 3, 4; KPI y (lower is better)
# D 5, B 10, C 10, A 40 → D 1, B and C 2.5, A 4. Averages: B 2.25, A 2.5, D 2.5, C 2.75.
OVERALL_VALUES = {
    "x": {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0},
    "y": {"A": 40.0, "B": 10.0, "C": 10.0, "D": 5.0},
    "z": {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0},  # reported but not scored
}
OVERALL_DIRECTIONS: dict[str, Direction] = {
    "x": HIGHER_IS_BETTER,
    "y": LOWER_IS_BETTER,
    "z": HIGHER_IS_BETTER,
}
OVERALL_TABLE = {  # org: (average score, segment, league position)
    "B": (2.25, 1, 1),
    "A": (2.5, 2, 2),
    "D": (2.5, 2, 2),
    "C": (2.75, 4, 4),
}


@pytest.mark.parametrize("org", sorted(OVERALL_TABLE))
def test_overall_standing_matches_the_hand_computed_table(org):
    overall = overall_standing(OVERALL_VALUES, OVERALL_DIRECTIONS, org, scored={"x", "y"})
    assert overall is not None
    assert (overall.average_score, overall.segment, overall.league_position) == OVERALL_TABLE[org]
    assert overall.kpis_scored == ("x", "y")
    assert overall.n == 4
    assert [org for org, _ in overall.league] == ["B", "A", "D", "C"]


def test_overall_leaves_out_kpis_ranked_among_one_and_orgs_with_no_score():
    values = {"x": {"A": 1.0, "B": 2.0}, "lonely": {"C": 5.0}}
    directions: dict[str, Direction] = {"x": HIGHER_IS_BETTER, "lonely": HIGHER_IS_BETTER}
    overall = overall_standing(values, directions, "B")
    assert overall is not None and overall.kpis_scored == ("x",) and overall.n == 2
    assert overall_standing(values, directions, "C") is None


def test_rank_frame_matches_place_all_and_drops_missing_values():
    rows = [
        ("g", kpi, "2025-07", org, value)
        for kpi, values in OVERALL_VALUES.items()
        for org, value in values.items()
    ] + [("g", "x", "2025-07", "E", None)]
    frame = pd.DataFrame(rows, columns=["group", "kpi_code", "month", "org_code", "value"])
    ranked = rank_frame(frame, OVERALL_DIRECTIONS)
    assert len(ranked) == 12
    for kpi, values in OVERALL_VALUES.items():
        for placed in place_all(values, OVERALL_DIRECTIONS[kpi]):
            row = ranked[(ranked.kpi_code == kpi) & (ranked.org_code == placed.org_code)].iloc[0]
            assert (row["rank"], row["n"], row["quartile"], row["score"]) == (
                placed.rank,
                4,
                placed.quartile,
                placed.score,
            )


def test_rank_frame_needs_every_kpis_direction():
    frame = pd.DataFrame(
        [("g", "q", "2025-07", "A", 1.0)], columns=["group", "kpi_code", "month", "org_code", "value"]
    )
    with pytest.raises(ValueError, match="no direction for KPI q"):
        rank_frame(frame, {})


values_by_org = st.dictionaries(
    st.sampled_from([f"R{i:02d}" for i in range(30)]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda v: round(v, 1)),
    min_size=1,
    max_size=30,
)


@given(values_by_org, st.sampled_from([HIGHER_IS_BETTER, LOWER_IS_BETTER]))
def test_score_lies_between_one_and_four(values, direction):
    for placed in place_all(values, direction):
        assert 1.0 <= placed.score <= 4.0
        assert 1 <= placed.quartile <= 4


@given(values_by_org)
def test_reversing_the_direction_reverses_the_ranks(values):
    high = {p.org_code: p.rank for p in place_all(values, HIGHER_IS_BETTER)}
    low = {p.org_code: p.rank for p in place_all(values, LOWER_IS_BETTER)}
    n = len(values)
    assert all(high[org] + low[org] == n + 1 for org in values)


@given(values_by_org, st.sampled_from([HIGHER_IS_BETTER, LOWER_IS_BETTER]))
def test_the_ranks_sum_as_one_to_n_does_whatever_the_ties(values, direction):
    ranks = [p.rank for p in place_all(values, direction)]
    assert sum(ranks) == pytest.approx(len(ranks) * (len(ranks) + 1) / 2)


@given(values_by_org, st.sampled_from([HIGHER_IS_BETTER, LOWER_IS_BETTER]))
def test_rank_frame_agrees_with_place_all(values, direction):
    frame = pd.DataFrame(
        [("g", "k", "m", org, value) for org, value in values.items()],
        columns=["group", "kpi_code", "month", "org_code", "value"],
    )
    ranked = rank_frame(frame, {"k": direction}).set_index("org_code")
    for placed in place_all(values, direction):
        assert ranked.loc[placed.org_code, "rank"] == placed.rank
        assert ranked.loc[placed.org_code, "quartile"] == placed.quartile
        assert ranked.loc[placed.org_code, "score"] == pytest.approx(placed.score)


@given(values_by_org, st.sampled_from([HIGHER_IS_BETTER, LOWER_IS_BETTER]), st.data())
def test_drawing_past_the_next_quartile_value_gains_a_quartile(values, direction, data):
    org = data.draw(st.sampled_from(sorted(values)))
    standing = kpi_standing(values, direction, org)
    assert standing is not None
    if standing.next_quartile_value is None:
        assert standing.quartile == 1
        return
    step = 0.05 if direction == HIGHER_IS_BETTER else -0.05
    moved = kpi_standing({**values, org: standing.next_quartile_value + step}, direction, org)
    assert moved is not None and moved.quartile <= standing.quartile - 1
