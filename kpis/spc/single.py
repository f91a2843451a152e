"""`analyse`: one series, point by point, in plain Python.

This is the readable statement of the method. `analyse_frame` computes the same thing for thousands of series
at once with array arithmetic, and the tests hold the two to identical answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import SupportsFloat

from kpis.spc import rules
from kpis.spc.model import (
    LIMIT_FACTOR,
    NEAR_LIMIT_FACTOR,
    SCREEN_FACTOR,
    PointType,
    Rule,
    SpcOptions,
    SpcPoint,
    SpcResult,
    SpcSegment,
    VariationIcon,
    check_options_fit,
    clean_values,
    make_options,
)


def analyse(
    values: Iterable[SupportsFloat | None],
    *,
    rule_set: str = "mdc",
    direction: str = "increase",
    target: float | None = None,
    recalculate_at: Iterable[int] = (),
    baseline: int | None = None,
    screen_outliers: bool | None = None,
) -> SpcResult:
    """Chart one monthly series with the Making Data Count rules.

    `values` are in time order, None (or NaN) for a missing month. `recalculate_at` lists the 0-based index of
    the first point of each new segment. `baseline` is the number of points the limits are fixed on (mdc: the
    first N points of the chart, extended forward, overriding recalculations; plotthedots: the first N points
    of each segment, N >= 12). `screen_outliers=None` takes the rule set's default (mdc off, plotthedots on).
    """
    options = make_options(
        rule_set=rule_set,
        direction=direction,
        target=target,
        recalculate_at=recalculate_at,
        baseline=baseline,
        screen_outliers=screen_outliers,
    )
    return analyse_series(clean_values(values), options)


@dataclass(frozen=True, slots=True)
class _Lines:
    mean: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None


def _running_sum(numbers: Sequence[float]) -> float:
    # Left to right, one addition at a time: the vectorised path adds in the same order, so both get the
    # same last bit (Python's sum() may compensate on newer versions; this never does).
    total = 0.0
    for x in numbers:
        total += x
    return total


def segment_lines(values: Sequence[float | None], *, baseline: int | None, screen: bool) -> _Lines:
    """Mean, process limits and near-limit lines of one segment.

    1. Use the first `baseline` points of the segment (all of them without a baseline); missing points count
       towards the baseline's length but contribute nothing.
    2. Mean = mean of the values present (added up as offsets from the first, see below).
    3. Moving ranges = |difference| between neighbouring months that both have a value (none across a gap).
    4. With screening, drop every moving range not below 3.267 × their mean, once, and average the rest.
    5. Limits = mean ± 2.66 × mean moving range; near-limit lines at 2/3 of that distance.
    """
    used = values[:baseline] if baseline is not None else values
    present = [v for v in used if v is not None]
    if not present:
        return _Lines(None, None, None, None, None)
    # Summed as offsets from the first value: a flat series then has its mean exactly on its values, where a
    # plain running sum can drift by a rounding error and invent a shift below (or above) the mean.
    reference = present[0]
    mean = reference + _running_sum([v - reference for v in present]) / len(present)
    moving_ranges = [
        abs(b - a) for a, b in zip(used, used[1:], strict=False) if a is not None and b is not None
    ]
    if screen and moving_ranges:
        cut = SCREEN_FACTOR * (_running_sum(moving_ranges) / len(moving_ranges))
        moving_ranges = [mr for mr in moving_ranges if mr < cut]
    if not moving_ranges:
        return _Lines(mean, None, None, None, None)
    amr = _running_sum(moving_ranges) / len(moving_ranges)
    return _Lines(
        mean=mean,
        lpl=mean - LIMIT_FACTOR * amr,
        upl=mean + LIMIT_FACTOR * amr,
        near_lpl=mean - NEAR_LIMIT_FACTOR * amr,
        near_upl=mean + NEAR_LIMIT_FACTOR * amr,
    )


@dataclass(slots=True)
class _Signals:
    """Which rules fire at one point, split by the direction they point in (high = above / rising)."""

    high: dict[Rule, bool]
    low: dict[Rule, bool]
    # For a point inside a trend: the direction of the trend to its right (the later one at a peak or trough).
    trend_direction: int = 0

    def any(self) -> bool:
        return any(self.high.values()) or any(self.low.values())


def _scope_signals(
    values: Sequence[float | None],
    sides: Sequence[int | None],
    outside: Sequence[bool | None],
    close: Sequence[bool | None],
    options: SpcOptions,
) -> list[_Signals]:
    """Run every rule over one stretch of points within which runs and windows may continue."""
    spec = options.spec
    shift = rules.expand_run_ends(rules.run_ends(sides, spec.shift_length), spec.shift_length)
    ends = rules.trend_ends(values, spec.trend_length)
    rising = rules.expand_run_ends([1 if e > 0 else 0 for e in ends], spec.trend_length)
    falling = rules.expand_run_ends([1 if e < 0 else 0 for e in ends], spec.trend_length)
    two_of_three = rules.two_in_three_flags(close, sides)
    out = []
    for i, side in enumerate(sides):
        trend_direction = 0
        if rising[i] and falling[i]:
            # A peak or a trough belongs to both trends; it takes the direction of the step to its right.
            after, here = values[i + 1], values[i]
            assert after is not None and here is not None  # both inside a trend
            trend_direction = 1 if after > here else -1
        elif rising[i] or falling[i]:
            trend_direction = 1 if rising[i] else -1
        out.append(
            _Signals(
                high={
                    "outside": bool(outside[i]) and side == 1,
                    "trend": bool(rising[i]),
                    "two_in_three": bool(two_of_three[i]) and side == 1,
                    "shift": bool(shift[i]) and side == 1,
                },
                low={
                    "outside": bool(outside[i]) and side == -1,
                    "trend": bool(falling[i]),
                    "two_in_three": bool(two_of_three[i]) and side == -1,
                    "shift": bool(shift[i]) and side == -1,
                },
                trend_direction=trend_direction,
            )
        )
    return out


def judge_point(signals: _Signals, side: int | None, options: SpcOptions) -> tuple[Rule | None, int]:
    """Decide which rule labels a point and which way the signal points (+1 high, -1 low, 0 none).

    plotthedots: the first rule by priority (outside, trend, 2-of-3, shift) decides, whatever its direction.
    mdc: every rule counts; a point with both an improving and a concerning signal shows improvement. For a
    neutral measure with signals both ways the side of the mean decides (on the mean: the trend to its right).
    """
    if not signals.any():
        return None, 0
    if options.rule_set == "plotthedots":
        rule = rules.first_rule({r: signals.high[r] or signals.low[r] for r in signals.high})
        assert rule is not None
        if rule == "trend":
            return rule, signals.trend_direction
        return rule, 1 if signals.high[rule] else -1
    high, low = any(signals.high.values()), any(signals.low.values())
    better = options.direction_sign
    if better:
        shown = better if (high if better > 0 else low) else -better
    elif high and low:
        shown = side if side else signals.trend_direction
    else:
        shown = 1 if high else -1
    return rules.first_rule(signals.high if shown > 0 else signals.low), shown


def point_type_for(shown: int, direction_sign: int) -> PointType:
    """Name a signal: improvement or concern against the measure's direction, or high / low when neutral."""
    if shown == 0:
        return "common_cause"
    if direction_sign == 0:
        return "special_cause_neutral_high" if shown > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if shown == direction_sign else "special_cause_concern"


def variation_icon_for(point: SpcPoint, options: SpcOptions) -> VariationIcon:
    """The variation icon from the latest point.

    The colour is the point's type. High or low: plotthedots takes the direction of the signal; mdc takes the
    side of the mean the value sits on (the signal's direction for a value exactly on the mean).
    """
    kind = point.point_type
    if kind == "common_cause":
        return "common_cause"
    better = options.direction_sign
    shown = {
        "special_cause_improvement": better,
        "special_cause_concern": -better,
        "special_cause_neutral_high": 1,
        "special_cause_neutral_low": -1,
    }[kind]
    if options.rule_set == "mdc" and point.relative_to_mean:
        shown = point.relative_to_mean
    high = shown > 0
    icons: dict[str, tuple[VariationIcon, VariationIcon]] = {
        "special_cause_improvement": ("improvement_high", "improvement_low"),
        "special_cause_concern": ("concern_high", "concern_low"),
        "special_cause_neutral_high": ("neutral_high", "neutral_low"),
        "special_cause_neutral_low": ("neutral_high", "neutral_low"),
    }
    return icons[kind][0 if high else 1]


def analyse_series(values: list[float | None], options: SpcOptions) -> SpcResult:
    """Chart one cleaned series (floats and None) with validated options.

    1. Split the points into segments at the recalculations.
    2. Work out each segment's mean and limits (`segment_lines`). An mdc chart of 12 values or fewer keeps
       its mean only.
    3. Place every point: side of the mean, beyond a limit, beyond a near-limit line.
    4. Run the rules over each stretch where runs may continue: the whole chart for mdc, each segment for
       plotthedots. Missing months break every run and window.
    5. Judge each point (`judge_point`), then the icons from the latest value and the assurance from the
       latest segment's limits.
    """
    spec = options.spec
    n = len(values)
    check_options_fit(options, n)
    starts = options.segment_starts(n) if n else ()
    segment_of = rules.segment_ids(n, starts)
    bounds = list(zip(starts, (*starts[1:], n) if n else (), strict=True))
    n_values = sum(v is not None for v in values)
    too_few = spec.max_points_without_limits > 0 and n_values <= spec.max_points_without_limits

    lines = []
    for start, stop in bounds:
        found = segment_lines(values[start:stop], baseline=options.baseline, screen=options.screens_outliers)
        if too_few:
            found = _Lines(found.mean, None, None, None, None)
        lines.append(found)

    sides: list[int | None] = []
    outside: list[bool | None] = []
    close: list[bool | None] = []
    for i, v in enumerate(values):
        line = lines[segment_of[i]]
        sides.append(None if v is None or line.mean is None else (v > line.mean) - (v < line.mean))
        if v is None or line.lpl is None or line.upl is None:
            outside.append(None)
            close.append(None)
            continue
        assert line.near_lpl is not None and line.near_upl is not None
        beyond = v > line.upl or v < line.lpl
        outside.append(beyond)
        close.append(not beyond and (v < line.near_lpl or v > line.near_upl))

    scopes = [(0, n)] if spec.rules_cross_segments else bounds
    signals: list[_Signals] = []
    for start, stop in scopes:
        window = slice(start, stop)
        signals += _scope_signals(values[window], sides[window], outside[window], close[window], options)

    points = []
    for i, v in enumerate(values):
        line = lines[segment_of[i]]
        rule, shown = (None, 0) if too_few else judge_point(signals[i], sides[i], options)
        points.append(
            SpcPoint(
                index=i,
                value=v,
                segment=segment_of[i],
                mean=line.mean,
                lpl=line.lpl,
                upl=line.upl,
                near_lpl=line.near_lpl,
                near_upl=line.near_upl,
                relative_to_mean=sides[i],
                outside_limits=outside[i],
                close_to_limits=close[i],
                rule=rule,
                point_type=point_type_for(shown, options.direction_sign),
            )
        )

    counts = [sum(v is not None for v in values[start:stop]) for start, stop in bounds]
    threshold = spec.short_group_threshold
    short = rules.short_group_warnings(counts, threshold) if threshold else [False] * len(bounds)
    segments = [
        SpcSegment(
            index=s,
            first_index=start,
            n=stop - start,
            n_values=counts[s],
            mean=lines[s].mean,
            lpl=lines[s].lpl,
            upl=lines[s].upl,
            near_lpl=lines[s].near_lpl,
            near_upl=lines[s].near_upl,
            short_group_warning=short[s],
        )
        for s, (start, stop) in enumerate(bounds)
    ]

    latest = next((p for p in reversed(points) if p.value is not None), None)
    variation_icon = None if latest is None or too_few else variation_icon_for(latest, options)
    last_lines = segments[-1] if segments and not too_few else None
    return SpcResult(
        rule_set=spec.name,
        direction=options.direction,
        target=options.target,
        points=tuple(points),
        segments=tuple(segments),
        variation_icon=variation_icon,
        assurance=rules.assurance(
            last_lines.lpl if last_lines else None,
            last_lines.upl if last_lines else None,
            target=options.target,
            direction=options.direction,
            rule_set=spec.name,
        ),
        short_group_warning=any(s.short_group_warning for s in segments),
        too_few_points=too_few,
        n_missing=n - n_values,
    )
