"""Types, constants and option handling shared by the single-series and the vectorised SPC paths.

Nothing here computes a chart: it names the vocabulary (rule sets, directions, point types, icons), holds the
typed results, and turns the caller's options into the settings of one rule set.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, SupportsFloat, get_args

import pandas as pd

RuleSet = Literal["mdc", "plotthedots"]
Direction = Literal["increase", "decrease", "neutral"]
Rule = Literal["outside", "trend", "two_in_three", "shift"]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
VariationIcon = Literal[
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]
Assurance = Literal["consistent_pass", "consistent_fail", "inconsistent"]

RULE_SETS: tuple[RuleSet, ...] = get_args(RuleSet)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
POINT_TYPES: tuple[PointType, ...] = get_args(PointType)
VARIATION_ICONS: tuple[VariationIcon, ...] = get_args(VariationIcon)
ASSURANCES: tuple[Assurance, ...] = get_args(Assurance)

# The order in which the plotthedots rule set lets one rule decide a point's label.
RULE_PRIORITY: tuple[Rule, ...] = ("outside", "trend", "two_in_three", "shift")

# 2.66 = 3 / 1.128 (d2 for moving ranges of two points), written the way both reference tools write it, so
# that the near-limit line is computed as mean ± (2 × 2.66 / 3) × mean moving range exactly as they do.
LIMIT_FACTOR = 2.66
NEAR_LIMIT_FACTOR = 2 * (LIMIT_FACTOR / 3)
# Upper range limit for moving ranges (D4 for n = 2), used by moving-range screening.
SCREEN_FACTOR = 3.267

SIGN_TO_DIRECTION: dict[Direction, int] = {"increase": 1, "decrease": -1, "neutral": 0}


@dataclass(frozen=True, slots=True)
class RuleSetSpec:
    """The settings that make a rule set: run lengths, scope of the rules and how a point is judged."""

    name: RuleSet
    shift_length: int
    trend_length: int
    # mdc lets shift, trend and 2-of-3 run across a recalculation; plotthedots restarts them in each segment.
    rules_cross_segments: bool
    # mdc shows no limits, signals or icons for a chart of this many values or fewer (plotthedots: 0).
    max_points_without_limits: int
    # plotthedots warns about segments with fewer values than this; mdc has no such warning.
    short_group_threshold: int | None
    # mdc counts a target exactly on a limit as pass / fail; plotthedots calls it hit or miss.
    assurance_inclusive: bool
    screen_outliers_default: bool
    min_baseline: int


RULE_SET_SPECS: dict[RuleSet, RuleSetSpec] = {
    "mdc": RuleSetSpec(
        name="mdc",
        shift_length=6,
        trend_length=6,
        rules_cross_segments=True,
        max_points_without_limits=12,
        short_group_threshold=None,
        assurance_inclusive=True,
        screen_outliers_default=False,
        min_baseline=1,
    ),
    "plotthedots": RuleSetSpec(
        name="plotthedots",
        shift_length=7,
        trend_length=7,
        rules_cross_segments=False,
        max_points_without_limits=0,
        short_group_threshold=13,
        assurance_inclusive=False,
        screen_outliers_default=True,
        min_baseline=12,
    ),
}


@dataclass(frozen=True, slots=True)
class SpcOptions:
    """How to chart one series. The same arguments as `analyse`, bundled for `analyse_frame`."""

    rule_set: RuleSet = "mdc"
    direction: Direction = "increase"
    target: float | None = None
    recalculate_at: tuple[int, ...] = ()
    baseline: int | None = None
    screen_outliers: bool | None = None

    @property
    def spec(self) -> RuleSetSpec:
        return RULE_SET_SPECS[self.rule_set]

    @property
    def screens_outliers(self) -> bool:
        if self.screen_outliers is None:
            return self.spec.screen_outliers_default
        return self.screen_outliers

    @property
    def direction_sign(self) -> int:
        return SIGN_TO_DIRECTION[self.direction]

    def segment_starts(self, n: int) -> tuple[int, ...]:
        """0-based first index of every segment of a series of `n` points, starting with 0.

        In mdc a baseline overrides recalculations ("only the baseline is implemented").
        """
        if self.rule_set == "mdc" and self.baseline is not None:
            return (0,)
        return tuple(sorted({0, *(i for i in self.recalculate_at if 0 < i < n)}))


def make_options(
    *,
    rule_set: str = "mdc",
    direction: str = "increase",
    target: float | None = None,
    recalculate_at: Iterable[int] = (),
    baseline: int | None = None,
    screen_outliers: bool | None = None,
) -> SpcOptions:
    """Validate loose arguments and return them as `SpcOptions` (raises ValueError on nonsense)."""
    if rule_set not in RULE_SETS:
        raise ValueError(f"rule_set must be one of {RULE_SETS}, not {rule_set!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    spec = RULE_SET_SPECS[rule_set]
    if target is not None:
        target = float(target)
        if not math.isfinite(target):
            raise ValueError("target must be a finite number or None")
    recalcs = tuple(sorted({int(i) for i in recalculate_at}))
    if recalcs and recalcs[0] < 0:
        raise ValueError("recalculate_at holds 0-based indices and cannot be negative")
    if baseline is not None:
        baseline = int(baseline)
        if baseline < spec.min_baseline:
            raise ValueError(
                f"a {rule_set} baseline needs at least {spec.min_baseline} points, not {baseline}"
            )
    return SpcOptions(
        rule_set=spec.name,
        direction=direction,
        target=target,
        recalculate_at=recalcs,
        baseline=baseline,
        screen_outliers=None if screen_outliers is None else bool(screen_outliers),
    )


def check_options_fit(options: SpcOptions, n: int) -> None:
    """Reject a recalculation that points past the end of a series of `n` points."""
    if options.recalculate_at and options.recalculate_at[-1] >= n:
        raise ValueError(
            f"recalculate_at index {options.recalculate_at[-1]} is beyond a series of {n} points"
        )


def clean_values(values: Iterable[SupportsFloat | None]) -> list[float | None]:
    """Floats with None for a missing month; NaN and pandas' NA count as missing, infinity is refused.

    Anything `float()` accepts is a value, so Decimals straight from the database are fine.
    """
    out: list[float | None] = []
    for v in values:
        if v is None or v is pd.NA:
            out.append(None)
            continue
        f = float(v)
        if math.isnan(f):
            out.append(None)
        elif math.isinf(f):
            raise ValueError("values must be finite (use None for a missing month)")
        else:
            out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class SpcPoint:
    """One month of a chart: its value, the lines in force and the verdict."""

    index: int
    value: float | None
    segment: int
    mean: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None
    # -1 below the mean, 0 on it, 1 above; None when the value (or the mean) is missing.
    relative_to_mean: int | None
    # None when the value or the limits are missing.
    outside_limits: bool | None
    close_to_limits: bool | None
    rule: Rule | None
    point_type: PointType


@dataclass(frozen=True, slots=True)
class SpcSegment:
    """A stretch of the chart between recalculations, with its own mean and limits."""

    index: int
    first_index: int
    n: int
    n_values: int
    mean: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None
    short_group_warning: bool


@dataclass(frozen=True, slots=True)
class SpcResult:
    """Everything a chart, a dashboard tile or a data pack needs to show one series."""

    rule_set: RuleSet
    direction: Direction
    target: float | None
    points: tuple[SpcPoint, ...]
    segments: tuple[SpcSegment, ...]
    variation_icon: VariationIcon | None
    assurance: Assurance | None
    # plotthedots: some segment has fewer than 13 values, so its limits are drawn but not to be trusted.
    short_group_warning: bool
    # mdc: 12 values or fewer, so only the mean is drawn (no limits, signals or icons).
    too_few_points: bool
    n_missing: int = field(default=0)
