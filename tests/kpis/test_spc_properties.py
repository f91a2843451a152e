"""Properties of the SPC engine that must hold for any series, checked on generated data."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kpis.spc import SpcOptions, SpcResult, analyse, analyse_frame

# No example database: the runs stay cheap and leave nothing behind in the working tree.
PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

RULE_SETS = st.sampled_from(["mdc", "plotthedots"])
DIRECTIONS = st.sampled_from(["increase", "decrease", "neutral"])


@st.composite
def series(
    draw: st.DrawFn, *, gaps: bool = True, integers: bool = False, max_size: int = 40
) -> list[float | None]:
    """A monthly series, some months missing: either noise, or runs of rises, falls and level stretches.

    Integers make ties (on the mean, between neighbours) likely; the runs make shifts and trends likely, so
    that every rule, and every place where a run meets a gap or a recalculation, gets exercised.
    """
    number = (
        st.integers(-30, 30).map(float)
        if integers
        else st.one_of(st.integers(-30, 30).map(float), st.floats(-1e3, 1e3, allow_nan=False))
    )
    size = draw(st.integers(0, max_size))
    values: list[float | None] = []
    if draw(st.booleans()):
        values = draw(st.lists(number, min_size=size, max_size=size))
    else:
        while len(values) < size:
            start, step = draw(st.integers(-30, 30)), draw(st.integers(-3, 3))
            length = draw(st.integers(2, 10))
            values += [float(start + k * step) for k in range(length)]
        values = values[:size]
    if gaps and size:
        missing = draw(st.sets(st.integers(0, size - 1), max_size=size // 4))
        values = [None if i in missing else v for i, v in enumerate(values)]
    return values


@st.composite
def options(draw: st.DrawFn, n: int, *, rule_set: str | None = None) -> dict[str, Any]:
    """Valid options for a series of `n` points, any rule set, direction, recalculations and baseline."""
    chosen = rule_set or draw(RULE_SETS)
    recalcs = draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=3)) if n else []
    baseline = draw(st.none() | st.integers(12 if chosen == "plotthedots" else 1, 30))
    return {
        "rule_set": chosen,
        "direction": draw(DIRECTIONS),
        "target": draw(st.none() | st.integers(-40, 40).map(float)),
        "recalculate_at": tuple(recalcs),
        "baseline": baseline,
        "screen_outliers": draw(st.none() | st.booleans()),
    }


def lines_of(result: SpcResult) -> list[float]:
    return [
        x for s in result.segments for x in (s.lpl, s.near_lpl, s.mean, s.near_upl, s.upl) if x is not None
    ]


def near_a_line(result: SpcResult, gap: float = 1e-6) -> bool:
    """Whether a value sits within rounding of a limit or near-limit line (where ± a constant may flip it)."""
    for p in result.points:
        if p.value is None or p.lpl is None:
            continue
        for line in (p.lpl, p.upl, p.near_lpl, p.near_upl):
            assert line is not None
            if abs(p.value - line) <= gap * max(1.0, abs(line)):
                return True
    return False


@PROPERTY
@given(data=st.data(), values=series())
def test_limits_are_symmetric_about_the_mean(data: st.DataObject, values: list[float | None]) -> None:
    result = analyse(values, **data.draw(options(len(values))))
    for s in result.segments:
        if s.lpl is None:
            assert s.upl is None and s.near_lpl is None and s.near_upl is None
            continue
        assert s.mean is not None and s.upl is not None and s.near_lpl is not None and s.near_upl is not None
        assert math.isclose(s.upl - s.mean, s.mean - s.lpl, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(s.near_upl - s.mean, s.mean - s.near_lpl, rel_tol=1e-9, abs_tol=1e-9)
        assert s.lpl <= s.near_lpl <= s.mean <= s.near_upl <= s.upl
        assert math.isclose((s.near_upl - s.mean) * 3, (s.upl - s.mean) * 2, rel_tol=1e-9, abs_tol=1e-9)


@PROPERTY
@given(data=st.data(), values=series(integers=True), shift=st.integers(-1000, 1000).map(float))
def test_adding_a_constant_moves_the_chart_and_keeps_every_verdict(
    data: st.DataObject, values: list[float | None], shift: float
) -> None:
    chosen = data.draw(options(len(values)))
    before = analyse(values, **chosen)
    moved_target = None if chosen["target"] is None else chosen["target"] + shift
    after = analyse([None if v is None else v + shift for v in values], **{**chosen, "target": moved_target})
    # A value exactly on a limit in exact arithmetic may land either side after rounding; leave those out.
    assume(not near_a_line(before) and not near_a_line(after))
    if chosen["target"] is not None:
        assume(all(abs(chosen["target"] - x) > 1e-6 for x in lines_of(before)))
    for a, b in zip(lines_of(before), lines_of(after), strict=True):
        assert math.isclose(a + shift, b, rel_tol=1e-9, abs_tol=1e-9)
    assert [(p.point_type, p.rule, p.relative_to_mean) for p in before.points] == [
        (p.point_type, p.rule, p.relative_to_mean) for p in after.points
    ]
    assert (before.variation_icon, before.assurance) == (after.variation_icon, after.assurance)


SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
    "common_cause": "common_cause",
}
ICON_SWAP = {
    "improvement_high": "concern_high",
    "improvement_low": "concern_low",
    "concern_high": "improvement_high",
    "concern_low": "improvement_low",
    "common_cause": "common_cause",
    None: None,
}
ASSURANCE_SWAP = {
    "consistent_pass": "consistent_fail",
    "consistent_fail": "consistent_pass",
    "inconsistent": "inconsistent",
    None: None,
}


@PROPERTY
@given(data=st.data(), values=series())
def test_reversing_the_direction_swaps_improvement_and_concern(
    data: st.DataObject, values: list[float | None]
) -> None:
    chosen = {**data.draw(options(len(values))), "direction": "increase"}
    up = analyse(values, **chosen)
    down = analyse(values, **{**chosen, "direction": "decrease"})
    neutral = analyse(values, **{**chosen, "direction": "neutral"})
    flat = any(s.lpl is not None and s.lpl == s.upl for s in up.segments)
    for u, d, n in zip(up.points, down.points, neutral.points, strict=True):
        if chosen["rule_set"] == "plotthedots":
            assert d.point_type == SWAP[u.point_type]
            assert d.rule == u.rule
            expected_neutral = {
                "special_cause_improvement": "special_cause_neutral_high",
                "special_cause_concern": "special_cause_neutral_low",
                "common_cause": "common_cause",
            }[u.point_type]
            assert n.point_type == expected_neutral
        elif (u.point_type, d.point_type) != ("special_cause_improvement", "special_cause_improvement"):
            # mdc: a point with signals both ways shows improvement whichever way is better; every other
            # point swaps.
            assert d.point_type == SWAP[u.point_type]
        assert (n.point_type == "common_cause") == (u.point_type == "common_cause")
    latest = [(u, d) for u, d in zip(up.points, down.points, strict=True) if u.value is not None]
    conflict = (
        bool(latest) and latest[-1][0].point_type == latest[-1][1].point_type == "special_cause_improvement"
    )
    if chosen["rule_set"] == "mdc" and conflict:
        assert down.variation_icon == up.variation_icon
    else:
        assert down.variation_icon == ICON_SWAP[up.variation_icon]
    if not flat:
        assert down.assurance == ASSURANCE_SWAP[up.assurance]
    assert neutral.assurance is None


@PROPERTY
@given(
    data=st.data(),
    level=st.floats(-1e6, 1e6, allow_nan=False),
    length=st.integers(0, 40),
    missing=st.sets(st.integers(0, 39)),
)
def test_a_constant_series_has_no_signal(
    data: st.DataObject, level: float, length: int, missing: set[int]
) -> None:
    values = [None if i in missing else level for i in range(length)]
    result = analyse(values, **data.draw(options(length)))
    assert {p.point_type for p in result.points} <= {"common_cause"}
    assert {p.rule for p in result.points} <= {None}
    assert result.variation_icon in (None, "common_cause")


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[tuple[str, str], SpcOptions]]:
    """Several series in one long table, in shuffled row order, each with its own options."""
    rows: list[tuple[str, str, int, float | None]] = []
    per_series: dict[tuple[str, str], SpcOptions] = {}
    for k in range(draw(st.integers(1, 6))):
        values = draw(series(max_size=30))
        if not values:
            continue
        key = (f"kpi{k % 3}", f"unit{k}")
        per_series[key] = SpcOptions(**draw(options(len(values))))
        rows += [(*key, month, v) for month, v in enumerate(values)]
    frame = pd.DataFrame(rows, columns=["kpi", "unit", "month", "value"])
    permutation = draw(st.permutations(range(len(frame))))
    return frame.iloc[list(permutation)], per_series


def _same(ours: Any, theirs: Any) -> bool:
    if theirs is pd.NA or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None
    if isinstance(theirs, np.generic):
        theirs = theirs.item()
    return bool(ours == theirs)


@PROPERTY
@given(case=frames())
def test_vectorised_path_agrees_exactly_with_the_single_series_path(
    case: tuple[pd.DataFrame, dict[tuple[str, str], SpcOptions]],
) -> None:
    frame, per_series = case
    result = analyse_frame(frame, order_by="month", options_by_series=per_series)
    points = result.points.set_index(["kpi", "unit", "position"])
    series = result.series.set_index(["kpi", "unit"])
    segments = result.segments.set_index(["kpi", "unit", "segment"])
    assert len(series) == len(per_series)
    for key, o in per_series.items():
        values = frame[(frame["kpi"] == key[0]) & (frame["unit"] == key[1])].sort_values("month")["value"]
        single = analyse(
            [None if pd.isna(v) else float(v) for v in values],
            rule_set=o.rule_set,
            direction=o.direction,
            target=o.target,
            recalculate_at=o.recalculate_at,
            baseline=o.baseline,
            screen_outliers=o.screen_outliers,
        )
        for p in single.points:
            row = points.loc[(*key, p.index)]
            for field in (
                "value",
                "segment",
                "mean",
                "lpl",
                "upl",
                "near_lpl",
                "near_upl",
                "relative_to_mean",
                "outside_limits",
                "close_to_limits",
                "rule",
                "point_type",
            ):
                assert _same(getattr(p, field), row[field]), (
                    key,
                    p.index,
                    field,
                    getattr(p, field),
                    row[field],
                )
        for s in single.segments:
            row = segments.loc[(*key, s.index)]
            for field in ("first_index", "n", "n_values", "mean", "lpl", "upl", "short_group_warning"):
                assert _same(getattr(s, field), row[field]), (key, s.index, field)
        summary = series.loc[key]
        assert _same(single.variation_icon, summary["variation_icon"])
        assert _same(single.assurance, summary["assurance"])
        assert summary["short_group_warning"] == single.short_group_warning
        assert summary["too_few_points"] == single.too_few_points
