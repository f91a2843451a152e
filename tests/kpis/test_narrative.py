from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.narrative import describe_point, variation_sentence
from kpis.spc import analyse
from pmf.formatting import format_value

# 15 months of common cause variation around 50: mean 50.2, limits 42.8 to 57.6.
BASE = [50, 52, 49, 51, 53, 48, 50, 52, 47, 51, 50, 49, 52, 48, 51]
SHIFT_BELOW = BASE + [48, 49, 48, 47, 49, 48, 47]
SPIKE_HIGH = BASE + [62]
FALLING = BASE + [50, 49, 48, 47, 46, 45]
TWO_OF_THREE_HIGH = BASE + [52, 56, 57]
JULY = date(2025, 7, 1)


def sentence(values, *, latest_value=None, plan=None, month=None, unit="count", **options):
    result = analyse(values, **options)
    return variation_sentence(
        result,
        kpi_name="Beds occupied",
        unit=unit,
        latest_value=latest_value,
        plan=plan,
        direction=result.direction,
        month=month,
    )


@pytest.mark.parametrize(
    ("unit", "latest_value", "plan", "written"),
    [
        ("currency", 1250, -507, "In Jul 2025 the value was £1,250k against a plan of −£507k."),
        ("seconds", 4000, 425, "In Jul 2025 the value was 1:06:40 against a plan of 7:05."),
        ("percent", 63.44, 78, "In Jul 2025 the value was 63.4% against a plan of 78.0%."),
        ("ratio", 0.786667, 0.95, "In Jul 2025 the value was 0.79 against a plan of 0.95."),
    ],
)
def test_sentences_write_values_and_months_as_every_page_does(unit, latest_value, plan, written):
    text = sentence(BASE, latest_value=latest_value, plan=plan, month=JULY, unit=unit)

    assert text.endswith(written)
    assert format_value(latest_value, unit) in text


def test_variation_sentence_for_a_shift_counts_the_run():
    text = sentence(SHIFT_BELOW)

    assert text.startswith(
        "For Beds occupied, the latest month shows special cause variation of a concerning nature: "
        "the last 7 months were below the mean."
    )


def test_variation_sentence_for_a_point_outside_the_limits():
    text = sentence(SPIKE_HIGH)

    assert "special cause variation of an improving nature" in text
    assert "the latest month was above the upper process limit (59.8)" in text


def test_variation_sentence_for_a_trend_counts_the_moves():
    text = sentence(FALLING)

    assert "of a concerning nature: the value has fallen in each of the last 6 months." in text


def test_variation_sentence_for_two_of_three_near_a_limit():
    improving = sentence(TWO_OF_THREE_HIGH)
    concerning = sentence(TWO_OF_THREE_HIGH, direction="decrease")

    assert (
        "of an improving nature: 2 of the last 3 months were close to the upper process limit." in improving
    )
    assert (
        "of a concerning nature: 2 of the last 3 months were close to the upper process limit." in concerning
    )


@pytest.mark.parametrize(
    ("tail", "rule", "first"),
    [
        (
            [48, 49, 48, 47, 49, 44, 44],
            "two_in_three",
            "2 of the last 3 months were close to the lower process limit",
        ),
        (
            [48, 49, 48, 47, 49, 48, 40],
            "outside",
            "the latest month was below the lower process limit (42.1)",
        ),
    ],
)
def test_variation_sentence_mentions_a_run_alongside_another_rule(tail, rule, first):
    values = BASE + tail
    assert analyse(values).points[-1].rule == rule

    text = sentence(values)

    assert f"of a concerning nature: {first}, and the last 7 months were below the mean." in text


def test_variation_sentence_for_common_cause_gives_the_mean_and_limits():
    text = sentence(BASE)

    assert text.startswith(
        "For Beds occupied, the latest month shows common cause variation, varying around a mean of 50.2 "
        "within process limits of 42.8 and 57.6: there is no sign that the process has changed."
    )


def test_variation_sentence_for_a_measure_without_a_preferred_direction():
    text = sentence(SHIFT_BELOW, direction="neutral", target=45)

    assert "neither improvement nor concern" in text
    assert "the last 7 months were below the mean" in text
    assert "no preferred direction, so the target of 45 is not assessed for assurance." in text


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (
            {"target": 60},
            "The target of 60 lies above the upper process limit (57.6), so the process will consistently "
            "fail to meet it unless something changes.",
        ),
        (
            {"target": 40},
            "The target of 40 lies below the lower process limit (42.8), so the process will consistently "
            "meet it.",
        ),
        (
            {"target": 52},
            "The target of 52 lies between the process limits (42.8 and 57.6), so the process will sometimes "
            "meet and sometimes miss it (hit or miss).",
        ),
        (
            {"target": 40, "direction": "decrease"},
            "The target of 40 lies below the lower process limit (42.8), so the process will consistently "
            "fail to meet it unless something changes.",
        ),
        (
            {"target": 60, "direction": "decrease"},
            "The target of 60 lies above the upper process limit (57.6), so the process will consistently "
            "meet it.",
        ),
        ({}, "There is no target, so the chart gives no assurance about meeting one."),
    ],
)
def test_variation_sentence_gives_the_assurance(options, words):
    assert words in sentence(BASE, **options)


def test_variation_sentence_for_a_target_on_a_limit():
    upl = analyse(BASE).segments[-1].upl

    text = sentence(BASE, target=upl)

    assert "lies on the upper process limit (57.6), so the process will consistently fail" in text


def test_variation_sentence_with_too_few_points():
    text = sentence(BASE[:12], target=60, latest_value=51, plan=55, month=JULY)

    assert text == (
        "There are not yet enough data points (13 are needed) for process limits. So far 12 months have a "
        "value. In Jul 2025 the value was 51 against a plan of 55."
    )


def test_variation_sentence_with_no_data():
    text = sentence([None, None], latest_value=None, plan=None)

    assert text == "There is no data for Beds occupied yet. There is no latest value."


def test_variation_sentence_gives_the_latest_value_against_plan():
    values = [60 + (i % 5) for i in range(20)]

    text = sentence(values, unit="percent", latest_value=63.4, plan=78, month=JULY, target=78)

    assert text.endswith("In Jul 2025 the value was 63.4% against a plan of 78.0%.")
    assert "The target of 78.0% lies above the upper process limit" in text


@pytest.mark.parametrize(
    ("latest_value", "plan", "month", "ending"),
    [
        (None, 78, JULY, "No value has been reported for Jul 2025. The plan was 78.0%."),
        (None, None, JULY, "No value has been reported for Jul 2025."),
        (63.4, None, JULY, "In Jul 2025 the value was 63.4%; there was no plan for that month."),
        (63.4, 78, None, "The latest value was 63.4% against a plan of 78.0%."),
    ],
)
def test_variation_sentence_handles_missing_values_and_plans(latest_value, plan, month, ending):
    text = sentence(BASE, unit="percent", latest_value=latest_value, plan=plan, month=month)

    assert text.endswith(ending)


def test_variation_sentence_when_the_latest_month_is_missing():
    text = sentence([*SHIFT_BELOW, None])

    assert text.startswith("For Beds occupied, the latest month with a value shows special cause variation")


def test_variation_sentence_warns_about_short_groups():
    text = sentence(BASE + [60, 61, 62, 60, 61], rule_set="plotthedots", recalculate_at=[15])

    assert "fewer than 13 points, so treat them with caution" in text


def test_variation_sentence_accepts_the_catalogue_words_for_direction():
    result = analyse(SHIFT_BELOW, direction="decrease")

    text = variation_sentence(
        result, kpi_name="Falls", unit="count", latest_value=47, plan=None, direction="lower_is_better"
    )

    assert "of an improving nature" in text


def test_variation_sentence_refuses_a_direction_the_chart_was_not_drawn_with():
    result = analyse(SHIFT_BELOW, direction="decrease")

    with pytest.raises(ValueError, match="does not match"):
        variation_sentence(
            result, kpi_name="Falls", unit="count", latest_value=47, plan=None, direction="higher_is_better"
        )


def test_describe_point_names_type_and_rule():
    result = analyse(SHIFT_BELOW)

    assert (
        describe_point(result.points[-1], result)
        == "Special cause — concern: a run of 6 points below the mean"
    )
    assert describe_point(result.points[0], result) == "Common cause variation"


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False)), min_size=0, max_size=30
    ),
    direction=st.sampled_from(["increase", "decrease", "neutral"]),
    target=st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False)),
    rule_set=st.sampled_from(["mdc", "plotthedots"]),
)
def test_variation_sentence_always_agrees_with_the_chart(values, direction, target, rule_set):
    result = analyse(values, direction=direction, target=target, rule_set=rule_set)

    text = variation_sentence(
        result, kpi_name="X", unit="percent", latest_value=None, plan=None, direction=direction
    )

    latest = next((p for p in reversed(result.points) if p.value is not None), None)
    special = latest is not None and not result.too_few_points and latest.point_type != "common_cause"
    assert ("special cause variation" in text) == special
    assert ("consistently fail" in text) == (result.assurance == "consistent_fail")
    assert ("hit or miss" in text) == (result.assurance == "inconsistent")
    assert "part of" not in text  # every signal is described from the data, not by the fallback
