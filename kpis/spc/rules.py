"""The SPC rules as small pure functions on plain lists.

Each helper does one job and is tested on its own; `analyse` composes them. Inputs use 0 / False / None for
"no information", so that a missing month can never complete a run or a window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kpis.spc.model import RULE_PRIORITY, Assurance, Direction, Rule, RuleSet


def segment_ids(n: int, recalculate_at: Iterable[int]) -> list[int]:
    """Number each of `n` points with its segment: 0 until the first recalculation, then 1, and so on.

    `recalculate_at` holds the 0-based index of the first point of each new segment; 0 and repeats change
    nothing, because a segment always starts at the first point.
    """
    starts = {i for i in recalculate_at if i > 0}
    ids: list[int] = []
    current = 0
    for i in range(n):
        if i in starts:
            current += 1
        ids.append(current)
    return ids


def run_ends(signs: Sequence[int | None], length: int) -> list[int]:
    """Mark (1) each point that is the `length`-th or later in a row with the same non-zero sign.

    This is the shift detector's first step: `signs` are the points' sides of the mean (-1, 0, 1, None when
    missing); a point on the mean (0) or a missing point (None) ends the run.
    """
    out: list[int] = []
    run = 0
    previous: int | None = 0
    for s in signs:
        if not s:
            run = 0
        elif s == previous:
            run += 1
        else:
            run = 1
        previous = s
        out.append(1 if run >= length else 0)
    return out


def expand_run_ends(markers: Sequence[int], length: int) -> list[int]:
    """Mark each marked point (any non-zero marker) and the `length - 1` points before it.

    Turns "this point completes a run" into "this point belongs to a run".
    """
    out = [0] * len(markers)
    for i, marker in enumerate(markers):
        if marker:
            for j in range(max(0, i - length + 1), i + 1):
                out[j] = 1
    return out


def trend_ends(values: Sequence[float | None], length: int) -> list[int]:
    """Mark +1 / -1 each point that ends `length` points in a row strictly rising / falling.

    1. Each step between neighbours is +1 (rise), -1 (fall) or 0 (a tie, or either side missing).
    2. Count how many equal non-zero steps end at each point.
    3. `length` points need `length - 1` steps; mark the point with the steps' sign once the count gets there.
    """
    out: list[int] = []
    steps_in_row = 0
    previous_step = 0
    for i, value in enumerate(values):
        step = 0
        before = values[i - 1] if i > 0 else None
        if value is not None and before is not None and value != before:
            step = 1 if value > before else -1
        if step == 0:
            steps_in_row = 0
        elif step == previous_step:
            steps_in_row += 1
        else:
            steps_in_row = 1
        previous_step = step
        out.append(step if steps_in_row >= length - 1 else 0)
    return out


def two_in_three_windows(close: Sequence[bool | int | None], sides: Sequence[int | None]) -> list[int]:
    """Mark each point that sits in some window of 3 consecutive points which fires the 2-of-3 rule.

    A window fires when at least 2 of its points are beyond a near-limit line (`close`) and all 3 points are
    on the same side of the mean (`sides`, -1 / 1; 0 or None never qualify). Windows stop at both ends.
    """
    n = len(close)
    fires = []
    for start in range(n - 2):
        window = range(start, start + 3)
        same_side = sides[start] in (-1, 1) and all(sides[j] == sides[start] for j in window)
        fires.append(same_side and sum(1 for j in window if close[j]) >= 2)
    out = [0] * n
    for start, fired in enumerate(fires):
        if fired:
            for j in range(start, start + 3):
                out[j] = 1
    return out


def two_in_three_flags(close: Sequence[bool | int | None], sides: Sequence[int | None]) -> list[int]:
    """The 2-of-3 rule's verdict: only the points of a firing window that are themselves near a limit.

    A point beyond a process limit is not "close" (the outside rule flags it instead), so never counts here.
    """
    windows = two_in_three_windows(close, sides)
    return [1 if w and close[i] else 0 for i, w in enumerate(windows)]


def first_rule(fired: Mapping[Rule, bool]) -> Rule | None:
    """The rule that labels a point when several fire: outside, then trend, then 2-of-3, then shift."""
    for rule in RULE_PRIORITY:
        if fired.get(rule, False):
            return rule
    return None


def assurance(
    lpl: float | None, upl: float | None, *, target: float | None, direction: Direction, rule_set: RuleSet
) -> Assurance | None:
    """Whether the process will meet its target, from the target's place against the process limits.

    1. No target, a neutral measure or no limits: no assurance.
    2. Higher is better: target below the lower limit = consistently passes, above the upper = consistently
       fails, between = hit or miss ("inconsistent"). Lower is better is the mirror image.
    3. A target exactly on a limit: mdc counts it as beyond (pass / fail), plotthedots as between.
    """
    if target is None or direction == "neutral" or lpl is None or upl is None:
        return None
    if rule_set == "mdc":
        below, above = target <= lpl, target >= upl
    else:
        below, above = target < lpl, target > upl
    if direction == "increase":
        # Checked first so that a flat process sitting exactly on its target passes.
        if below:
            return "consistent_pass"
        if above:
            return "consistent_fail"
    else:
        if above:
            return "consistent_pass"
        if below:
            return "consistent_fail"
    return "inconsistent"


def short_group_warnings(segment_sizes: Sequence[int], threshold: int = 13) -> list[bool]:
    """Flag each segment with fewer than `threshold` values: its limits are drawn, but on too little data."""
    return [size < threshold for size in segment_sizes]
