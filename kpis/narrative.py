"""What a chart tells us, in words: each point's signal and the sentences that sit under an exception chart
in the IPR and in data packs. Values and months are written by `pmf.formatting`, as everywhere else.

Pure: an `SpcResult` and plain values in, strings out. No Django, no plotting, so the words are the same on a
page, in a PDF and in a test.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kpis.spc.model import RULE_SET_SPECS, Direction, SpcPoint, SpcResult
from pmf.formatting import format_month, format_value

# The catalogue says "higher_is_better"; the SPC engine says "increase". Both are accepted.
DIRECTION_ALIASES: dict[str, Direction] = {
    "increase": "increase",
    "higher_is_better": "increase",
    "decrease": "decrease",
    "lower_is_better": "decrease",
    "neutral": "neutral",
}

POINT_TYPE_LABELS = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause — improvement",
    "special_cause_concern": "Special cause — concern",
    "special_cause_neutral_high": "Special cause — neither improvement nor concern",
    "special_cause_neutral_low": "Special cause — neither improvement nor concern",
}


def normalise_direction(direction: str) -> Direction:
    """The SPC engine's direction for either vocabulary ("higher_is_better" → "increase")."""
    try:
        return DIRECTION_ALIASES[direction]
    except KeyError:
        raise ValueError(f"unknown direction {direction!r}") from None


def signal_side(point: SpcPoint, direction: str) -> int:
    """Which way a point's signal points: +1 high (above the mean, rising), -1 low, 0 no signal.

    Improvement is high for a measure where higher is better and low where lower is better; concern is the
    opposite; a measure with no preferred direction names the side itself.
    """
    better = {"increase": 1, "decrease": -1, "neutral": 0}[normalise_direction(direction)]
    return {
        "common_cause": 0,
        "special_cause_improvement": better,
        "special_cause_concern": -better,
        "special_cause_neutral_high": 1,
        "special_cause_neutral_low": -1,
    }[point.point_type]


def rule_phrase(point: SpcPoint, result: SpcResult) -> str:
    """The rule that labelled a point, in words: "a run of 6 points below the mean". Empty without a rule."""
    spec = RULE_SET_SPECS[result.rule_set]
    high = signal_side(point, result.direction) > 0
    if point.rule == "outside":
        return f"outside the process limits ({'above the upper' if high else 'below the lower'} limit)"
    if point.rule == "trend":
        return f"a trend of {spec.trend_length} points {'rising' if high else 'falling'}"
    if point.rule == "two_in_three":
        return f"2 of 3 points close to the {'upper' if high else 'lower'} limit"
    if point.rule == "shift":
        return f"a run of {spec.shift_length} points {'above' if high else 'below'} the mean"
    return ""


def describe_point(point: SpcPoint, result: SpcResult) -> str:
    """A point's verdict in words: "Special cause — concern: a run of 6 points below the mean"."""
    if point.value is None:
        return "No value"
    if result.too_few_points:
        return "No process limits yet (too few points)"
    label = POINT_TYPE_LABELS[point.point_type]
    phrase = rule_phrase(point, result)
    return f"{label}: {phrase}" if phrase else label


def points_needed(result: SpcResult) -> int:
    """How many values a chart needs before it shows process limits (13 for the mdc rule set)."""
    return RULE_SET_SPECS[result.rule_set].max_points_without_limits + 1


def _latest_point(result: SpcResult) -> SpcPoint | None:
    return next((p for p in reversed(result.points) if p.value is not None), None)


def _months(n: int) -> str:
    return "month" if n == 1 else f"{n} months"


def _scope(result: SpcResult, latest: SpcPoint) -> tuple[SpcPoint, ...]:
    """The points up to the latest over which runs may continue: all of them, or (plotthedots) its segment."""
    first = 0
    if not RULE_SET_SPECS[result.rule_set].rules_cross_segments:
        first = next(s.first_index for s in result.segments if s.index == latest.segment)
    return result.points[first : latest.index + 1]


def _run_on_side(scope: Sequence[SpcPoint], side: int) -> int:
    """How many months up to the latest sit on one side of their mean; a missing month ends the run."""
    count = 0
    for p in reversed(scope):
        if p.value is None or p.relative_to_mean != side:
            break
        count += 1
    return count


def _moves_in_direction(scope: Sequence[SpcPoint], side: int) -> int:
    """How many month-on-month moves in one direction end at the latest point (ties and gaps end them)."""
    count = 0
    values = [p.value for p in scope]
    for before, after in zip(reversed(values[:-1]), reversed(values), strict=False):
        if before is None or after is None or (after - before) * side <= 0:
            break
        count += 1
    return count


def _signal_detail(result: SpcResult, latest: SpcPoint, unit: str) -> str:
    """Why the latest point is special, counted from the data ("the last 7 months were below the mean").

    1. Describe the rule that labelled the point (outside, trend, 2 of 3 or shift), with counts taken from
       the values over the stretch where runs may continue.
    2. Should a count ever fall short of the rule's own length, describe the rule instead, so the sentence
       never states a number the chart does not show.
    3. When the labelling rule was not the shift but the latest months also form one, say so too: "below
       the mean for 7 months" is often the most telling part.
    """
    spec = RULE_SET_SPECS[result.rule_set]
    scope = _scope(result, latest)
    side = signal_side(latest, result.direction)
    high = side > 0
    run = _run_on_side(scope, side)
    shift = f"the last {run} months were {'above' if high else 'below'} the mean"
    detail = f"the latest month is part of {rule_phrase(latest, result)}"
    if latest.rule == "outside":
        limit, where = (latest.upl, "above the upper") if high else (latest.lpl, "below the lower")
        detail = f"the latest month was {where} process limit ({format_value(limit, unit)})"
    elif latest.rule == "trend":
        moves = _moves_in_direction(scope, side)
        if moves >= spec.trend_length - 1:
            detail = f"the value has {'risen' if high else 'fallen'} in each of the last {_months(moves)}"
    elif latest.rule == "two_in_three":
        close = sum(1 for p in scope[-3:] if p.close_to_limits and p.relative_to_mean == side)
        if close >= 2:
            detail = (
                f"{close} of the last 3 months were close to the {'upper' if high else 'lower'} process limit"
            )
    elif latest.rule == "shift":
        return shift if run >= spec.shift_length else detail
    else:
        return ""
    return f"{detail}, and {shift}" if run >= spec.shift_length else detail


def _variation_text(result: SpcResult, latest: SpcPoint, kpi_name: str, unit: str) -> str:
    newest = latest.index == len(result.points) - 1
    opening = f"For {kpi_name}, the latest month {'shows' if newest else 'with a value shows'}"
    kind = latest.point_type
    if kind == "common_cause":
        lines = ""
        if latest.lpl is not None and latest.upl is not None and latest.mean is not None:
            lines = (
                f", varying around a mean of {format_value(latest.mean, unit)} within process limits of "
                f"{format_value(latest.lpl, unit)} and {format_value(latest.upl, unit)}"
            )
        return f"{opening} common cause variation{lines}: there is no sign that the process has changed."
    nature = {
        "special_cause_improvement": "special cause variation of an improving nature",
        "special_cause_concern": "special cause variation of a concerning nature",
        "special_cause_neutral_high": (
            "special cause variation that is neither improvement nor concern, as the measure has no "
            "preferred direction"
        ),
        "special_cause_neutral_low": (
            "special cause variation that is neither improvement nor concern, as the measure has no "
            "preferred direction"
        ),
    }[kind]
    detail = _signal_detail(result, latest, unit)
    return f"{opening} {nature}: {detail}." if detail else f"{opening} {nature}."


def _target_position(target: float, lpl: float, upl: float, unit: str) -> str:
    if target > upl:
        return f"above the upper process limit ({format_value(upl, unit)})"
    if target == upl:
        return f"on the upper process limit ({format_value(upl, unit)})"
    if target < lpl:
        return f"below the lower process limit ({format_value(lpl, unit)})"
    if target == lpl:
        return f"on the lower process limit ({format_value(lpl, unit)})"
    return f"between the process limits ({format_value(lpl, unit)} and {format_value(upl, unit)})"


def _assurance_text(result: SpcResult, direction: Direction, unit: str) -> str:
    target = result.target
    if target is None:
        return "There is no target, so the chart gives no assurance about meeting one."
    shown_target = format_value(target, unit)
    if direction == "neutral":
        return (
            f"The measure has no preferred direction, so the target of {shown_target} is not assessed for "
            "assurance."
        )
    last = result.segments[-1] if result.segments else None
    if result.assurance is None or last is None or last.lpl is None or last.upl is None:
        return f"There are no process limits yet, so no assurance about the target of {shown_target}."
    position = _target_position(target, last.lpl, last.upl, unit)
    outcome = {
        "consistent_pass": "so the process will consistently meet it",
        "consistent_fail": "so the process will consistently fail to meet it unless something changes",
        "inconsistent": "so the process will sometimes meet and sometimes miss it (hit or miss)",
    }[result.assurance]
    return f"The target of {shown_target} lies {position}, {outcome}."


def _latest_text(latest_value: float | None, plan: float | None, month: date | None, unit: str) -> str:
    when = format_month(month) if month else None
    if latest_value is None:
        missing = f"No value has been reported for {when}." if when else "There is no latest value."
        return f"{missing} The plan was {format_value(plan, unit)}." if plan is not None else missing
    value = format_value(latest_value, unit)
    start = f"In {when} the value was {value}" if when else f"The latest value was {value}"
    if plan is None:
        return f"{start}; there was no plan for that month."
    return f"{start} against a plan of {format_value(plan, unit)}."


def variation_sentence(
    result: SpcResult,
    *,
    kpi_name: str,
    unit: str,
    latest_value: float | None,
    plan: float | None,
    direction: str | None = None,
    month: date | None = None,
) -> str:
    """The "what the chart tells us" paragraph under a chart.

    1. Variation: what the latest point shows and why, counted from the data (or that there are not yet
       enough points for process limits).
    2. Assurance: where the target lies against the latest process limits and what that means.
    3. The latest value against the plan, for `month` when given.

    `direction` may use the catalogue's words ("higher_is_better") or the engine's ("increase"); it defaults
    to the chart's own and must agree with it.
    """
    chart_direction = result.direction
    if direction is not None and normalise_direction(direction) != chart_direction:
        raise ValueError(f"direction {direction!r} does not match the chart's direction {chart_direction!r}")
    latest = _latest_point(result)
    parts = []
    if latest is None:
        parts.append(f"There is no data for {kpi_name} yet.")
    elif result.too_few_points:
        have = sum(p.value is not None for p in result.points)
        parts.append(
            f"There are not yet enough data points ({points_needed(result)} are needed) for process limits. "
            f"So far {have} {'month has' if have == 1 else 'months have'} a value."
        )
    else:
        parts.append(_variation_text(result, latest, kpi_name, unit))
        if result.short_group_warning:
            parts.append(
                "Some process limits rest on fewer than 13 points, so treat them with caution until more "
                "data arrive."
            )
        parts.append(_assurance_text(result, chart_direction, unit))
    parts.append(_latest_text(latest_value, plan, month, unit))
    return " ".join(parts)
