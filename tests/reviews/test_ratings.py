"""Division ratings, positions, review frequency and hysteresis (DESIGN §4.5). Pure: no database."""

from __future__ import annotations

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.assessment import Assessment as KpiAssessment
from kpis.assessment import Outcome, assess
from reviews.ratings import (
    FAILING_OUTCOMES,
    CriterionResult,
    KpiOutcome,
    apply_hysteresis,
    consecutive_months_at,
    evaluate_criterion,
    frequency_for,
    hysteresis_steps,
    next_effective,
    position_for,
    rate_division,
    review_frequency,
    ulht_label,
    what_would_move_up,
    yas_category,
)

PROPERTY = settings(max_examples=300, deadline=None, database=None)

NAMES = ("FIN", "QUAL", "PERF", "POL")
MET = CriterionResult(all_met=True, key_met=True)
NON_KEY_MISS = CriterionResult(all_met=False, key_met=True)
KEY_FAIL = CriterionResult(all_met=False, key_met=False)


def criteria(*results: CriterionResult) -> dict[str, CriterionResult]:
    return dict(zip(NAMES, results, strict=True))


def kpi(code: str, outcome: Outcome, *, key: bool = True, **extra) -> KpiOutcome:
    return KpiOutcome(code=code, is_key=key, outcome=outcome, **extra)


# --- the criteria table -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("results", "position", "failed"),
    [
        ((MET, MET, MET, MET), 1, []),
        ((NON_KEY_MISS, MET, MET, MET), 2, []),
        ((MET, MET, MET, NON_KEY_MISS), 2, []),
        ((NON_KEY_MISS,) * 4, 2, []),
        ((KEY_FAIL, MET, MET, MET), 3, ["FIN"]),
        ((MET, MET, MET, KEY_FAIL), 3, ["POL"]),
        ((MET, KEY_FAIL, KEY_FAIL, MET), 3, ["QUAL", "PERF"]),
        ((KEY_FAIL, NON_KEY_MISS, KEY_FAIL, NON_KEY_MISS), 3, ["FIN", "PERF"]),
        ((KEY_FAIL, KEY_FAIL, KEY_FAIL, MET), 4, ["FIN", "QUAL", "PERF"]),
        ((MET, KEY_FAIL, KEY_FAIL, KEY_FAIL), 4, ["QUAL", "PERF", "POL"]),
        ((KEY_FAIL,) * 4, 4, list(NAMES)),
    ],
)
def test_position_for_criteria_table(results, position, failed):
    assessment = position_for(criteria(*results))

    assert assessment.position == position
    assert assessment.failed == failed


@pytest.mark.parametrize("results", list(product((MET, NON_KEY_MISS, KEY_FAIL), repeat=4)))
def test_position_for_every_combination_follows_the_failure_count(results):
    failing = sum(r is KEY_FAIL for r in results)
    any_non_key_miss = any(r is NON_KEY_MISS for r in results)
    expected = {0: 2 if any_non_key_miss else 1, 1: 3, 2: 3, 3: 4, 4: 4}[failing]

    assessment = position_for(criteria(*results))

    assert assessment.position == expected
    assert len(assessment.failed) == failing
    assert assessment.all_failed == (failing == 4)


@pytest.mark.parametrize(
    ("results", "explanation"),
    [
        ((MET,) * 4, "Position 1 (maximum autonomy): all four criteria met in full."),
        (
            (MET, NON_KEY_MISS, MET, MET),
            "Position 2 (performing): every key KPI met; QUAL misses on non-key KPIs.",
        ),
        ((MET, KEY_FAIL, KEY_FAIL, MET), "Position 3 (under review): QUAL and PERF fail at key level."),
        ((MET, MET, MET, KEY_FAIL), "Position 3 (under review): POL fails at key level."),
        ((KEY_FAIL, KEY_FAIL, MET, KEY_FAIL), "Position 4 (failing): FIN, QUAL and POL fail at key level."),
        (
            (KEY_FAIL,) * 4,
            "Position 4 (failing): all four criteria (FIN, QUAL, PERF and POL) fail at key level.",
        ),
    ],
)
def test_position_for_explains_itself(results, explanation):
    assert position_for(criteria(*results)).explanation == explanation


@pytest.mark.parametrize("count", [0, 3, 5])
def test_position_for_wrong_number_of_criteria_is_refused(count):
    with pytest.raises(ValueError, match="exactly 4 criteria"):
        position_for({f"C{i}": MET for i in range(count)})


def test_criterion_result_all_met_without_key_met_is_refused():
    with pytest.raises(ValueError, match="cannot fail on its key KPIs"):
        CriterionResult(all_met=True, key_met=False)


def test_position_for_keeps_the_trusts_own_criterion_names_and_order():
    assessment = position_for(
        {"Finance": MET, "Safety": KEY_FAIL, "Access": MET, "Workforce": KEY_FAIL},
    )

    assert assessment.failed == ["Safety", "Workforce"]
    assert "Safety and Workforce fail" in assessment.explanation


# --- one criterion from its KPIs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpis", "all_met", "key_met"),
    [
        ([], False, False),  # nothing to assess: not assessed, so not met
        ([kpi("A", Outcome.MET)], True, True),
        ([kpi("A", Outcome.NOT_MET)], False, False),
        ([kpi("A", Outcome.WITHIN_TOLERANCE)], False, False),  # within tolerance is still not met
        ([kpi("A", Outcome.NO_DATA)], False, False),  # missing data is not met
        ([kpi("A", Outcome.NOT_ASSESSED)], False, False),  # no plan: the criterion is not assessed
        (
            [kpi("A", Outcome.NOT_ASSESSED), kpi("B", Outcome.MET)],
            True,
            True,
        ),  # no plan: neither meets nor fails
        ([kpi("A", Outcome.MET), kpi("B", Outcome.NOT_MET, key=False)], False, True),
        ([kpi("A", Outcome.MET), kpi("B", Outcome.NO_DATA, key=False)], False, True),
        ([kpi("A", Outcome.MET), kpi("B", Outcome.WITHIN_TOLERANCE, key=False)], False, True),
        ([kpi("A", Outcome.NOT_ASSESSED), kpi("B", Outcome.NOT_MET)], False, False),
        ([kpi("A", Outcome.NOT_MET), kpi("B", Outcome.NOT_MET, key=False)], False, False),
        ([kpi("A", Outcome.MET, key=False), kpi("B", Outcome.MET)], True, True),
    ],
)
def test_evaluate_criterion_table(kpis, all_met, key_met):
    result = evaluate_criterion(kpis)

    assert (result.all_met, result.key_met) == (all_met, key_met)


def test_evaluate_criterion_neutral_kpi_neither_meets_nor_fails():
    neutral = assess(12.0, 10.0, "neutral")
    failing = assess(60.0, 78.0, "higher_is_better")

    alone = evaluate_criterion([kpi("N", neutral.outcome, reason=neutral.reason)])
    beside_a_failure = evaluate_criterion([kpi("N", neutral.outcome), kpi("A", failing.outcome)])

    assert not alone.assessed and alone.explanation.startswith("not assessed: its KPIs are neutral")
    assert beside_a_failure.failing_key == ("A",) and beside_a_failure.assessed


@pytest.mark.parametrize("outcome", list(Outcome))
def test_failing_outcomes_match_the_kpi_assessment(outcome):
    assert (outcome in FAILING_OUTCOMES) == KpiAssessment(outcome, "").is_failure


def test_evaluate_criterion_explains_which_kpis_fail_with_values_and_plans():
    result = evaluate_criterion(
        [
            kpi("AE4H", Outcome.NOT_MET, reason="63.1 against a plan of 78"),
            kpi("RTT18", Outcome.NO_DATA),
            kpi("DNA", Outcome.NOT_MET, key=False, value=9.0, plan=7.5),
            kpi("CAN62", Outcome.MET),
        ]
    )

    assert result.failing_key == ("AE4H", "RTT18")
    assert result.failing_other == ("DNA",)
    assert result.explanation == (
        "fails at key level (1 of 4 assessed KPIs met): key KPI AE4H not met (63.1 against a plan of 78);"
        " key KPI RTT18 not met (no data); KPI DNA not met (9 against a plan of 7.5)"
    )


@pytest.mark.parametrize(
    ("value", "plan", "direction", "tolerance", "unit", "reason"),
    [
        (0.786667, 0.95, "higher_is_better", 0.0, "ratio", "0.79 against a plan of 0.95"),
        (0.786667, 0.95, "higher_is_better", 0.0, "", "0.79 against a plan of 0.95"),
        (63.14, 78.0, "higher_is_better", 0.0, "percent", "63.1% against a plan of 78.0%"),
        (412.4, 350.0, "lower_is_better", 0.0, "currency", "£412k against a plan of £350k"),
        (
            71.5,
            75.0,
            "higher_is_better",
            5.0,
            "percent",
            "71.5% is 3.5 pp from the plan of 75.0%, within tolerance",
        ),
        (
            455.0,
            420.0,
            "lower_is_better",
            60.0,
            "seconds",
            "7:35 is 0:35 from the plan of 7:00, within tolerance",
        ),
    ],
)
def test_assessment_reasons_write_values_in_their_unit(value, plan, direction, tolerance, unit, reason):
    assert assess(value, plan, direction, tolerance, unit=unit).reason == reason


def test_kpi_outcome_without_a_reason_writes_value_and_plan_in_their_unit():
    outcome = KpiOutcome(
        code="FIN-CIP", is_key=True, outcome=Outcome.NOT_MET, value=0.786667, plan=0.95, unit="ratio"
    )
    money = KpiOutcome(
        code="FIN-IE-VAR", is_key=True, outcome=Outcome.NOT_MET, value=-507, plan=0, unit="currency"
    )

    assert outcome.describe() == "key KPI FIN-CIP not met (0.79 against a plan of 0.95)"
    assert money.describe() == "key KPI FIN-IE-VAR not met (\u2212£507k against a plan of £0k)"


@pytest.mark.parametrize(
    ("kpis", "explanation"),
    [
        ([kpi("A", Outcome.MET), kpi("B", Outcome.MET)], "met: all 2 assessed KPIs met"),
        (
            [kpi("A", Outcome.MET), kpi("B", Outcome.WITHIN_TOLERANCE, key=False)],
            "key KPIs met, but not every KPI (1 of 2 assessed KPIs met): KPI B not met, within tolerance",
        ),
    ],
)
def test_evaluate_criterion_explanation_when_met_or_nearly(kpis, explanation):
    assert evaluate_criterion(kpis).explanation == explanation


# --- a division from its KPIs -------------------------------------------------------------------------------

ALL_MET_KPIS = {
    "FIN": [kpi("F1", Outcome.MET), kpi("F2", Outcome.MET, key=False)],
    "QUAL": [kpi("Q1", Outcome.MET), kpi("Q2", Outcome.MET, key=False)],
    "PERF": [kpi("P1", Outcome.MET), kpi("P2", Outcome.MET, key=False)],
    "POL": [kpi("W1", Outcome.MET), kpi("W2", Outcome.MET, key=False)],
}


def with_outcomes(**changes: Outcome) -> dict[str, list[KpiOutcome]]:
    """ALL_MET_KPIS with some KPIs (by code) given another outcome."""
    return {
        name: [kpi(k.code, changes.get(k.code, k.outcome), key=k.is_key) for k in kpis]
        for name, kpis in ALL_MET_KPIS.items()
    }


@pytest.mark.parametrize(
    ("changes", "position"),
    [
        ({}, 1),
        ({"F2": Outcome.NOT_MET}, 2),  # a non-key failure only
        ({"F2": Outcome.NO_DATA, "Q2": Outcome.WITHIN_TOLERANCE}, 2),
        ({"F1": Outcome.NOT_ASSESSED, "W2": Outcome.NOT_ASSESSED}, 1),  # neutral / no plan
        ({"P1": Outcome.NO_DATA}, 3),  # missing data on a key KPI
        ({"P1": Outcome.WITHIN_TOLERANCE}, 3),
        ({"Q1": Outcome.NOT_MET, "P1": Outcome.NOT_MET}, 3),
        ({"F1": Outcome.NOT_MET, "Q1": Outcome.NO_DATA, "P1": Outcome.NOT_MET}, 4),
        ({"F1": Outcome.NOT_MET, "Q1": Outcome.NOT_MET, "P1": Outcome.NOT_MET, "W1": Outcome.NOT_MET}, 4),
    ],
)
def test_rate_division_from_kpi_outcomes(changes, position):
    assert rate_division(with_outcomes(**changes)).position == position


def test_rate_division_explains_criteria_through_their_kpis():
    assessment = rate_division(with_outcomes(Q1=Outcome.NOT_MET, P1=Outcome.NO_DATA))

    assert assessment.explanation.startswith("Position 3 (under review): QUAL and PERF fail at key level. ")
    assert "QUAL: fails at key level (1 of 2 assessed KPIs met): key KPI Q1 not met" in assessment.explanation
    assert "PERF: fails at key level (1 of 2 assessed KPIs met): key KPI P1 not met (no data)" in (
        assessment.explanation
    )


# --- labels -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "ulht", "yas"),
    [
        (1, "Maximum autonomy", "Performing (earned freedoms)"),
        (2, "Performing", "Performing (earned freedoms)"),
        (3, "Under review", "Performance under review"),
        (4, "Failing", "Underperforming / failing"),
    ],
)
def test_labels_for_each_position(position, ulht, yas):
    assert ulht_label(position) == ulht
    assert yas_category(position) == yas


def test_assessment_carries_its_labels():
    assessment = position_for(criteria(KEY_FAIL, KEY_FAIL, KEY_FAIL, MET))

    assert (assessment.label, assessment.yas_category) == ("Failing", "Underperforming / failing")


@pytest.mark.parametrize("position", [0, 5, -1])
def test_labels_outside_the_positions_are_refused(position):
    with pytest.raises(ValueError, match="positions run from 1 to 4"):
        ulht_label(position)
    with pytest.raises(ValueError, match="positions run from 1 to 4"):
        yas_category(position)


# --- review frequency ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "all_failed", "special", "months_in_4", "severe_after", "expected"),
    [
        (1, False, False, 0, 2, "6-monthly"),
        (2, False, False, 0, 2, "quarterly"),
        (3, False, False, 0, 2, "monthly"),
        (4, False, False, 1, 2, "monthly"),  # first month at 4, not all failed
        (4, True, False, 1, 2, "weekly"),  # all four criteria failed
        (4, False, False, 2, 2, "weekly"),  # second consecutive month at 4
        (4, False, False, 7, 2, "weekly"),
        (4, False, False, 2, 3, "monthly"),  # threshold configurable
        (4, False, False, 3, 3, "weekly"),
        (4, False, False, 1, 1, "weekly"),
        (1, False, True, 0, 2, "weekly"),  # special measures, whatever the position
        (2, False, True, 0, 2, "weekly"),
        (3, False, True, 0, 2, "weekly"),
        (4, False, True, 1, 2, "weekly"),
        (3, True, False, 0, 2, "monthly"),  # "all failed" only counts at position 4
    ],
)
def test_review_frequency_table(position, all_failed, special, months_in_4, severe_after, expected):
    frequency = review_frequency(
        position,
        all_failed=all_failed,
        in_special_measures=special,
        months_in_position_4=months_in_4,
        severe_after_months=severe_after,
    )

    assert frequency == expected


@pytest.mark.parametrize(
    ("position", "all_failed", "special", "months_in_4", "reason"),
    [
        (2, False, False, 0, "quarterly: position 2 (performing)"),
        (1, False, True, 0, "weekly: the division is in special measures"),
        (4, True, False, 1, "weekly: position 4 with all four criteria failed at key level"),
        (4, False, False, 3, "weekly: position 4 for 3 consecutive months (weekly from 2)"),
        (
            4,
            False,
            False,
            1,
            "monthly: position 4 (failing), not yet severe"
            " (1 month at position 4 of the 2 that make it weekly)",
        ),
    ],
)
def test_frequency_for_gives_its_reason(position, all_failed, special, months_in_4, reason):
    decision = frequency_for(
        position, all_failed=all_failed, in_special_measures=special, months_in_position_4=months_in_4
    )

    assert decision.reason == reason


@pytest.mark.parametrize(
    ("position", "months_in_4", "severe_after", "message"),
    [
        (4, 0, 2, "at least 1 at position 4"),
        (3, -1, 2, "cannot be negative"),
        (5, 0, 2, "positions run from 1 to 4"),
        (4, 1, 0, "severe_after_months must be at least 1"),
    ],
)
def test_review_frequency_refuses_impossible_inputs(position, months_in_4, severe_after, message):
    with pytest.raises(ValueError, match=message):
        review_frequency(
            position,
            all_failed=False,
            in_special_measures=False,
            months_in_position_4=months_in_4,
            severe_after_months=severe_after,
        )


@pytest.mark.parametrize(
    ("positions", "count"),
    [([], 0), ([4], 1), ([4, 4, 3], 0), ([3, 4, 4], 2), ([4, 4, 4], 3), ([4, 3, 4], 1)],
)
def test_consecutive_months_at_position_4(positions, count):
    assert consecutive_months_at(positions, 4) == count


def test_review_frequency_weekly_from_the_second_consecutive_month_at_4():
    effective = apply_hysteresis([3, 4, 4, 3, 4])
    frequencies = [
        review_frequency(
            p,
            all_failed=False,
            in_special_measures=False,
            months_in_position_4=consecutive_months_at(effective[: i + 1], 4),
        )
        for i, p in enumerate(effective)
    ]

    # The computed 3 in month four is not sustained, so the division stays at 4 and weekly.
    assert effective == [3, 4, 4, 4, 4]
    assert frequencies == ["monthly", "monthly", "weekly", "weekly", "weekly"]


# --- hysteresis ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("computed", "start", "sustain", "effective"),
    [
        ([], None, 3, []),
        ([3], None, 3, [3]),  # first month with no history takes its computed position
        ([1], None, 3, [1]),
        ([4, 3], None, 3, [4, 4]),  # improving for 1 month
        ([4, 3, 3], None, 3, [4, 4, 4]),  # improving for 2 months
        ([4, 3, 3, 3], None, 3, [4, 4, 4, 3]),  # improving for 3 months: takes effect
        ([4, 3, 2, 1], None, 3, [4, 4, 4, 3]),  # moves to the worst of the three
        ([4, 1, 1, 1], None, 3, [4, 4, 4, 1]),  # a jump of several positions at once, when all agree
        ([4, 3, 3, 4, 3, 3, 3], None, 3, [4, 4, 4, 4, 4, 4, 3]),  # deteriorates mid-recovery: restarts
        ([4, 3, 4, 3, 4, 3], None, 3, [4, 4, 4, 4, 4, 4]),  # never sustained
        ([4, 2, 2, 3, 2, 2], None, 3, [4, 4, 4, 3, 3, 3]),  # the 3 counts as better than 4
        ([2, 3, 2, 2, 2], None, 3, [2, 3, 3, 3, 2]),  # worse at once, better after three
        ([1, 4], None, 3, [1, 4]),  # worse at once, by any amount
        ([2, 2, 2], None, 3, [2, 2, 2]),
        ([3, 3, 3], 4, 3, [4, 4, 3]),  # start given: recovery counts only from the first month
        ([4], 2, 3, [4]),
        ([2], 2, 3, [2]),
        ([1], 4, 3, [4]),
        ([2, 2, 3, 2, 2, 2], 3, 3, [3, 3, 3, 3, 3, 2]),  # an equal month in the middle resets it
        ([2, 2, 4, 2, 2, 2], 3, 3, [3, 3, 4, 4, 4, 2]),  # one worse month in the middle of a recovery
        ([4, 1, 3, 2], None, 1, [4, 1, 3, 2]),  # sustain 1: follows the computed position
        ([4, 3, 3], None, 2, [4, 4, 3]),
        ([4, 3, 3, 3, 3, 3], None, 6, [4, 4, 4, 4, 4, 4]),
        ([4, 3, 3, 3, 3, 3, 3], None, 6, [4, 4, 4, 4, 4, 4, 3]),
    ],
)
def test_apply_hysteresis_table(computed, start, sustain, effective):
    assert apply_hysteresis(computed, sustain_months=sustain, start=start) == effective


def test_hysteresis_steps_explain_each_month():
    reasons = [s.reason for s in hysteresis_steps([4, 3, 3, 3, 4])]

    assert reasons == [
        "first month: takes its computed position 4",
        "computed position 3 is better, but held for 1 of the 3 months needed: stays at 4",
        "computed position 3 is better, but held for 2 of the 3 months needed: stays at 4",
        "computed positions 3, 3, 3 were all better than 4 for 3 months: moves to 3, the worst of them",
        "computed position 4 is worse: takes effect at once",
    ]


def test_next_effective_rates_one_new_month_from_recent_history():
    step = next_effective(4, [2, 3, 2], sustain_months=3)

    assert (step.computed, step.effective) == (2, 3)


@pytest.mark.parametrize(
    ("computed", "start", "sustain", "message"),
    [
        ([0], None, 3, "positions run from 1 to 4"),
        ([5], None, 3, "positions run from 1 to 4"),
        ([2], 7, 3, "positions run from 1 to 4"),
        ([2], None, 0, "sustain_months must be at least 1"),
    ],
)
def test_apply_hysteresis_refuses_impossible_inputs(computed, start, sustain, message):
    with pytest.raises(ValueError, match=message):
        apply_hysteresis(computed, sustain_months=sustain, start=start)


POSITION_LISTS = st.lists(st.integers(1, 4), max_size=30)
SUSTAIN = st.integers(1, 6)
STARTS = st.none() | st.integers(1, 4)


def previous_effective(effective: list[int], i: int, start: int | None) -> int | None:
    return effective[i - 1] if i else start


@PROPERTY
@given(POSITION_LISTS, SUSTAIN, STARTS)
def test_hysteresis_never_better_than_the_worst_of_the_last_sustain_months(computed, sustain, start):
    effective = apply_hysteresis(computed, sustain_months=sustain, start=start)

    assert len(effective) == len(computed)
    for i, e in enumerate(effective):
        assert e >= max(computed[max(0, i - sustain + 1) : i + 1])
        assert e >= computed[i]
        assert e in (1, 2, 3, 4)


@PROPERTY
@given(POSITION_LISTS, SUSTAIN, STARTS)
def test_hysteresis_worse_or_equal_applies_at_once(computed, sustain, start):
    effective = apply_hysteresis(computed, sustain_months=sustain, start=start)

    for i, c in enumerate(computed):
        before = previous_effective(effective, i, start)
        if before is None or c >= before:
            assert effective[i] == c


@PROPERTY
@given(POSITION_LISTS, SUSTAIN, STARTS)
def test_hysteresis_improves_exactly_when_sustained(computed, sustain, start):
    effective = apply_hysteresis(computed, sustain_months=sustain, start=start)

    for i, c in enumerate(computed):
        before = previous_effective(effective, i, start)
        if before is None or c >= before:
            continue
        window = computed[max(0, i - sustain + 1) : i + 1]
        sustained = len(window) == sustain and all(p < before for p in window)
        assert effective[i] == (max(window) if sustained else before)


@PROPERTY
@given(st.integers(1, 4), st.integers(0, 30), SUSTAIN)
def test_hysteresis_constant_sequence_gives_itself(position, length, sustain):
    assert apply_hysteresis([position] * length, sustain_months=sustain) == [position] * length
    assert (
        apply_hysteresis([position] * length, sustain_months=sustain, start=position) == [position] * length
    )


@PROPERTY
@given(POSITION_LISTS, STARTS)
def test_hysteresis_sustain_one_follows_the_computed_positions(computed, start):
    assert apply_hysteresis(computed, sustain_months=1, start=start) == computed


@PROPERTY
@given(POSITION_LISTS, SUSTAIN, STARTS, st.integers(0, 30))
def test_hysteresis_a_later_month_never_changes_an_earlier_one(computed, sustain, start, cut):
    whole = apply_hysteresis(computed, sustain_months=sustain, start=start)

    assert apply_hysteresis(computed[:cut], sustain_months=sustain, start=start) == whole[:cut]


@PROPERTY
@given(POSITION_LISTS, st.integers(1, 5), STARTS)
def test_hysteresis_longer_sustain_is_never_kinder(computed, sustain, start):
    shorter = apply_hysteresis(computed, sustain_months=sustain, start=start)
    longer = apply_hysteresis(computed, sustain_months=sustain + 1, start=start)

    assert all(long >= short for long, short in zip(longer, shorter, strict=True))


# --- what would move the division up ------------------------------------------------------------------------


def codes(kpis) -> list[str]:
    return [k.code for k in kpis]


def test_what_would_move_up_at_position_1_is_nothing():
    move = what_would_move_up(ALL_MET_KPIS)

    assert (move.position, move.kpis, move.reaches) == (1, (), 1)
    assert move.explanation == "Already at position 1 (maximum autonomy): nothing to move up to."


def test_what_would_move_up_at_position_2_lists_every_failing_non_key_kpi():
    move = what_would_move_up(with_outcomes(F2=Outcome.NOT_MET, W2=Outcome.NO_DATA))

    assert move.position == 2
    assert codes(move.kpis) == ["F2", "W2"]
    assert (move.reaches, move.quickest_reaches) == (1, 1)
    assert move.explanation == (
        "Position 2 (performing): meeting 2 KPIs (FIN: F2; POL: W2) would lift the division to position 1."
    )


@pytest.mark.parametrize(
    ("changes", "listed", "reaches"),
    [
        ({"Q1": Outcome.NOT_MET}, ["Q1"], 1),
        ({"Q1": Outcome.NOT_MET, "P2": Outcome.NOT_MET}, ["Q1"], 2),  # the non-key miss remains
        ({"Q1": Outcome.NO_DATA, "P1": Outcome.WITHIN_TOLERANCE}, ["Q1", "P1"], 1),
    ],
)
def test_what_would_move_up_at_position_3_lists_the_failing_key_kpis(changes, listed, reaches):
    move = what_would_move_up(with_outcomes(**changes))

    assert move.position == 3
    assert codes(move.kpis) == listed
    assert move.reaches == reaches
    assert move.quickest == move.kpis


def test_what_would_move_up_at_position_4_finds_the_quickest_step():
    kpis = {
        "FIN": [kpi("F1", Outcome.NOT_MET), kpi("F2", Outcome.NOT_MET), kpi("F3", Outcome.MET, key=False)],
        "QUAL": [kpi("Q1", Outcome.NOT_MET)],
        "PERF": [kpi("P1", Outcome.NOT_MET), kpi("P2", Outcome.NO_DATA)],
        "POL": [kpi("W1", Outcome.MET), kpi("W2", Outcome.NOT_MET, key=False)],
    }

    move = what_would_move_up(kpis)

    assert move.position == 4
    assert codes(move.kpis) == ["F1", "F2", "Q1", "P1", "P2"]
    assert move.reaches == 2  # POL's non-key miss keeps it off position 1
    assert codes(move.quickest) == ["Q1"]
    assert move.quickest_reaches == 3
    assert move.explanation == (
        "Position 4 (failing): meeting 5 KPIs (FIN: F1, F2; QUAL: Q1; PERF: P1, P2) would lift the division"
        " to position 2. The quickest step is 1 KPI (QUAL: Q1), which would lift it to position 3."
    )


def test_what_would_move_up_with_all_four_failing_needs_two_criteria():
    kpis = {
        "FIN": [kpi("F1", Outcome.NOT_MET), kpi("F2", Outcome.NOT_MET)],
        "QUAL": [kpi("Q1", Outcome.NOT_MET), kpi("Q2", Outcome.NOT_MET), kpi("Q3", Outcome.NOT_MET)],
        "PERF": [kpi("P1", Outcome.NOT_MET)],
        "POL": [kpi("W1", Outcome.NO_DATA)],
    }

    move = what_would_move_up(kpis)

    assert codes(move.quickest) == ["P1", "W1"]
    assert (move.reaches, move.quickest_reaches) == (1, 3)


OUTCOMES = st.sampled_from(list(Outcome))


@st.composite
def division_kpis(draw: st.DrawFn) -> dict[str, list[KpiOutcome]]:
    return {
        name: [
            kpi(f"{name}{i}", draw(OUTCOMES), key=draw(st.booleans())) for i in range(draw(st.integers(0, 3)))
        ]
        for name in NAMES
    }


@PROPERTY
@given(division_kpis())
def test_what_would_move_up_always_improves_and_lists_only_failing_kpis(kpis):
    move = what_would_move_up(kpis)
    position = rate_division(kpis).position

    assert move.position == position
    if position is None:  # not rated: nothing to meet until it can be rated
        assert move.kpis == () and move.explanation.startswith("Not rated")
        return
    assert all(k.is_failing for k in move.kpis)
    assert set(codes(move.quickest)) <= set(codes(move.kpis))
    if position == 1:
        assert move.kpis == () and move.reaches == 1
    else:
        assert move.reaches < position and move.quickest_reaches < position
    if position >= 3:
        assert all(k.is_key for k in move.kpis)
    if position == 4:
        assert move.quickest_reaches == 3


@PROPERTY
@given(division_kpis())
def test_what_would_move_up_quickest_step_cannot_be_beaten(kpis):
    move = what_would_move_up(kpis)
    failing = [(name, k) for name, ks in kpis.items() for k in ks if k.is_failing]
    if move.position in (1, None) or len(failing) > 8:
        return

    for size in range(len(move.quickest)):
        for chosen in combinations(failing, size):
            met = {(name, k.code) for name, k in chosen}
            improved = rate_division(
                {
                    name: [kpi(k.code, Outcome.MET, key=k.is_key) if (name, k.code) in met else k for k in ks]
                    for name, ks in kpis.items()
                }
            )
            assert improved.position == move.position


# --- not rated is not autonomy (DESIGN §7) ------------------------------------------------------------------


def test_a_criterion_with_no_kpi_is_not_assessed_and_says_to_add_one():
    result = evaluate_criterion([])

    assert not result.assessed and not result.all_met and not result.key_met
    assert "add a KPI it selects" in result.explanation


def test_a_criterion_whose_kpis_have_no_plan_names_the_kpis_to_set_a_target_for():
    result = evaluate_criterion(
        [kpi("F1", Outcome.NOT_ASSESSED, reason="no target or trajectory"), kpi("F2", Outcome.NOT_ASSESSED)]
    )

    assert not result.assessed
    assert result.explanation == "not assessed: no KPI with a plan; set a target or trajectory for F1 and F2"


def test_a_policy_line_alone_does_not_assess_a_criterion_but_a_breach_fails_it():
    no_breach = KpiOutcome(code="POLICY-BREACH", is_key=True, outcome=Outcome.MET, is_kpi=False)
    breach = KpiOutcome(code="POLICY-BREACH", is_key=True, outcome=Outcome.NOT_MET, is_kpi=False)

    assert not evaluate_criterion([no_breach]).assessed
    failed = evaluate_criterion([breach])
    assert failed.assessed and not failed.key_met


def test_a_division_with_a_criterion_not_assessed_is_not_rated_with_no_position_and_says_why():
    kpis = {
        **ALL_MET_KPIS,
        "FIN": [],
        "POL": [kpi("W1", Outcome.NOT_ASSESSED, reason="no target or trajectory")],
    }

    assessment = rate_division(kpis)

    assert assessment.position is None and not assessment.is_rated
    assert assessment.not_assessed == ["FIN", "POL"]
    assert assessment.label == "Not rated" and assessment.yas_category == "Not rated"
    assert assessment.explanation.startswith("Not rated: FIN and POL are not assessed")
    assert (
        "no freedoms" in assessment.explanation
        and "set a target or trajectory for W1" in assessment.explanation
    )


@pytest.mark.parametrize("position", [None, 1, 2])
def test_not_rated_is_reviewed_monthly_and_special_measures_still_weekly(position):
    if position is None:
        decision = frequency_for(None, all_failed=False, in_special_measures=False, months_in_position_4=0)
        assert decision.frequency == "monthly" and "not rated" in decision.reason
    weekly = frequency_for(position, all_failed=False, in_special_measures=True, months_in_position_4=0)
    assert weekly.frequency == "weekly"


def test_hysteresis_skips_months_not_rated():
    # At 3, then 2, 2, (not rated), 2: the sustained window counts rated months only, so the fourth rated
    # month is the third better one in a row and the division moves to 2.
    steps = hysteresis_steps([3, 2, 2, None, 2], sustain_months=3)

    assert [s.effective for s in steps] == [3, 3, 3, None, 2]
    assert steps[3].computed is None and "hysteresis skips" in steps[3].reason


def test_a_month_not_rated_does_not_reset_a_deterioration_or_give_a_position():
    assert apply_hysteresis([None, None, 4, None, 1]) == [None, None, 4, None, 4]
