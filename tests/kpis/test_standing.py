"""A KPI's standing (kpis/standing.py): submitted wins, assessment against plan, matrix cell, kitemark."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kpis.assessment import Outcome, assess
from kpis.standing import (
    NO_CHART,
    Plan,
    Reading,
    SpcSummary,
    chosen_readings,
    kitemark_summary,
    latest_keys,
    place,
    stand,
    with_chart,
)

JULY = date(2025, 7, 1)


def reading(value, *, rollup=False, month=JULY, kpi=1, unit=10, **kwargs):
    extra = {"children_contributing": 3, "children_expected": 3} if rollup else {}
    return Reading(kpi, unit, month, value, is_rollup=rollup, **{**extra, **kwargs})


def test_a_submitted_value_wins_over_the_roll_up_whichever_is_read_first():
    submitted, rollup = reading(80.0), reading(60.0, rollup=True)
    assert chosen_readings([rollup, submitted])[(1, 10, JULY)] is submitted
    assert chosen_readings([submitted, rollup])[(1, 10, JULY)] is submitted


def test_a_roll_up_alone_is_the_value():
    rollup = reading(60.0, rollup=True)
    assert chosen_readings([rollup]) == {(1, 10, JULY): rollup}


keys = st.tuples(
    st.integers(1, 3), st.integers(10, 12), st.sampled_from([date(2025, m, 1) for m in (5, 6, 7)])
)
readings = st.lists(
    st.builds(
        lambda key, value, rollup: reading(value, rollup=rollup, kpi=key[0], unit=key[1], month=key[2]),
        keys,
        st.floats(-1e6, 1e6, allow_nan=False),
        st.booleans(),
    ),
    max_size=30,
    unique_by=lambda r: (r.key, r.is_rollup),  # one published reading of each kind, as the database holds
)


@given(readings, st.randoms())
def test_chosen_readings_do_not_depend_on_order_and_prefer_submitted(rows, random):
    shuffled = rows[:]
    random.shuffle(shuffled)
    chosen = chosen_readings(rows)
    assert chosen == chosen_readings(shuffled)
    assert set(chosen) == {r.key for r in rows}
    for key, kept in chosen.items():
        assert kept.is_rollup == all(r.is_rollup for r in rows if r.key == key)


@given(readings)
def test_latest_keys_are_each_unit_s_latest_month_of_each_kpi(rows):
    latest = latest_keys(rows)
    assert {(k, u) for k, u, _ in latest} == {(r.kpi_id, r.unit_id) for r in rows}
    for kpi_id, unit_id, month in latest:
        assert month == max(r.month for r in rows if (r.kpi_id, r.unit_id) == (kpi_id, unit_id))


@given(
    value=st.none() | st.floats(-1e3, 1e3, allow_nan=False),
    plan=st.none() | st.floats(-1e3, 1e3, allow_nan=False),
    tolerance=st.floats(0, 50, allow_nan=False),
    direction=st.sampled_from(["higher_is_better", "lower_is_better", "neutral"]),
)
def test_the_standing_is_assessed_as_the_shared_rule_says(value, plan, tolerance, direction):
    standing = stand(
        kpi_id=1,
        unit_id=10,
        month=JULY,
        direction=direction,
        reading=None if value is None else reading(value),
        plan=Plan(plan=plan, tolerance=tolerance),
    )
    assert standing.assessment == assess(value, plan, direction, tolerance)
    assert standing.value == value


def test_no_value_against_a_plan_is_no_data_and_no_plan_is_not_assessed():
    missing = stand(
        kpi_id=1, unit_id=10, month=JULY, direction="higher_is_better", reading=None, plan=Plan(95.0)
    )
    assert missing.outcome == Outcome.NO_DATA
    unplanned = stand(kpi_id=1, unit_id=10, month=JULY, direction="higher_is_better", reading=reading(90.0))
    assert unplanned.outcome == Outcome.NOT_ASSESSED


def test_within_tolerance_is_not_met_but_short_of_it():
    standing = stand(
        kpi_id=1,
        unit_id=10,
        month=JULY,
        direction="higher_is_better",
        reading=reading(94.0),
        plan=Plan(95.0, tolerance=2.0),
    )
    assert standing.outcome == Outcome.WITHIN_TOLERANCE and standing.assessment.is_failure


icons = st.none() | st.sampled_from(
    [
        "concern_high",
        "concern_low",
        "improvement_high",
        "improvement_low",
        "neutral_high",
        "neutral_low",
        "common",
    ]
)
assurances = st.none() | st.sampled_from(["consistent_fail", "consistent_pass", "inconsistent"])


@given(icons, assurances, st.booleans())
def test_the_matrix_cell_follows_the_chart_and_a_later_chart_replaces_it(icon, assurance, has_limits):
    spc = SpcSummary(
        point_type="common_cause", variation_icon=icon, assurance=assurance, has_limits=has_limits
    )
    standing = stand(kpi_id=1, unit_id=10, month=JULY, direction="higher_is_better", reading=None, spc=spc)
    assert standing.placement == place(icon, assurance, has_limits=has_limits)
    assert standing.variation_icon == icon and standing.assurance == assurance
    rejudged = with_chart(standing, NO_CHART)
    assert rejudged.placement == place(None, None, has_limits=False)
    assert rejudged.assessment == standing.assessment


def test_no_chart_is_common_cause_hit_or_miss_with_the_reasons_noted():
    standing = stand(kpi_id=1, unit_id=10, month=JULY, direction="higher_is_better", reading=reading(50.0))
    assert (standing.placement.variation, standing.placement.assurance) == ("common_cause", "inconsistent")
    assert standing.placement.note == "too few points; no limits"


def test_a_roll_up_missing_children_is_incomplete_and_a_second_revision_restated():
    partial = reading(50.0, rollup=True, children_contributing=2, children_expected=3)
    assert not partial.is_complete and reading(50.0).is_complete
    assert reading(50.0, revision=2).is_restated and not reading(50.0).is_restated


def test_the_kitemark_is_validated_only_once_validation_is_assured():
    ratings = {"validation": "assured", "timeliness": "partial", "audit": "not_assessed"}
    summary = kitemark_summary(ratings, dimensions=6)
    assert (summary.assured, summary.assessed, summary.of, summary.status) == (1, 2, 6, "validated")
    assert kitemark_summary({"validation": "partial"}, dimensions=6).status == "provisional"
    assert kitemark_summary({}, dimensions=6).assessed == 0
