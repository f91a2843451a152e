"""Rebuilding a stored chart as the engine's ``SpcResult``, so pages draw it without recomputing."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Protocol

from .models import SpcSeries
from .spc import SpcPoint, SpcResult, SpcSegment

# The columns of a stored point a result is rebuilt from: read them with ``values_list(..., named=True)``
# where many charts are read at once, which is much cheaper than a model instance per point.
STORED_POINT_FIELDS = ("value", "segment", "mean", "lpl", "upl", "near_lpl", "near_upl", "rule", "point_type")


class StoredPoint(Protocol):
    """A stored chart point: the model (``kpis.models.SpcPoint``) or a named row of its columns."""

    @property
    def value(self) -> float | None: ...
    @property
    def segment(self) -> int: ...
    @property
    def mean(self) -> float | None: ...
    @property
    def lpl(self) -> float | None: ...
    @property
    def upl(self) -> float | None: ...
    @property
    def near_lpl(self) -> float | None: ...
    @property
    def near_upl(self) -> float | None: ...
    @property
    def rule(self) -> str: ...
    @property
    def point_type(self) -> str: ...


def _side(value: float | None, mean: float | None) -> int | None:
    if value is None or mean is None:
        return None
    return (value > mean) - (value < mean)


def _beyond(value: float | None, low: float | None, high: float | None) -> bool | None:
    if value is None or low is None or high is None:
        return None
    return value < low or value > high


def _point(index: int, p: StoredPoint) -> SpcPoint:
    outside = _beyond(p.value, p.lpl, p.upl)
    return SpcPoint(
        index=index,
        value=p.value,
        segment=p.segment,
        mean=p.mean,
        lpl=p.lpl,
        upl=p.upl,
        near_lpl=p.near_lpl,
        near_upl=p.near_upl,
        relative_to_mean=_side(p.value, p.mean),
        outside_limits=outside,
        close_to_limits=None
        if outside is None
        else bool(_beyond(p.value, p.near_lpl, p.near_upl)) and not outside,
        rule=p.rule or None,  # type: ignore[arg-type]
        point_type=p.point_type,  # type: ignore[arg-type]
    )


def stored_result(series: SpcSeries, points: Sequence[StoredPoint]) -> SpcResult:
    """The ``SpcResult`` the engine gave when ``series`` was stored (points in month order)."""
    rebuilt = tuple(_point(i, p) for i, p in enumerate(points))
    segments = []
    for number, members in groupby(rebuilt, key=lambda p: p.segment):
        group = list(members)
        first = group[0]
        segments.append(
            SpcSegment(
                index=number,
                first_index=first.index,
                n=len(group),
                n_values=sum(p.value is not None for p in group),
                mean=next((p.mean for p in group if p.mean is not None), None),
                lpl=next((p.lpl for p in group if p.lpl is not None), None),
                upl=next((p.upl for p in group if p.upl is not None), None),
                near_lpl=next((p.near_lpl for p in group if p.near_lpl is not None), None),
                near_upl=next((p.near_upl for p in group if p.near_upl is not None), None),
                short_group_warning=False,
            )
        )
    return SpcResult(
        rule_set=series.rule_set,  # type: ignore[arg-type]
        direction=series.direction,  # type: ignore[arg-type]
        target=series.target,
        points=rebuilt,
        segments=tuple(segments),
        variation_icon=series.variation_icon or None,  # type: ignore[arg-type]
        assurance=series.assurance or None,  # type: ignore[arg-type]
        short_group_warning=False,
        too_few_points=series.lpl is None and series.n_points > 0 and series.rule_set == "mdc",
        n_missing=sum(p.value is None for p in rebuilt),
    )
