"""Every chart the product draws, built on the server as plotly figures and used by pages and PDFs alike.

- `xmr_figure(result, ...)`: a Making Data Count XmR chart of one `SpcResult`.
- `figure_html(fig, div_id=...)`: the `<div>` a page puts the chart in; `static/js/charts.js` draws it. No
  inline script, so pages keep a Content-Security-Policy without `unsafe-inline`.
- `figure_data(fig)`: the figure as plain data; PDFs draw it as an image with the same plotly.js in the system
  Chromium (`kpis.chart_browser`).

No Django models here: a result, months and labels in, a figure out.
"""

from __future__ import annotations

import functools
import html
import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from kpis.icons import (
    COMMON_CAUSE,
    COMMON_CAUSE_DARK,
    CONCERN,
    CONCERN_DARK,
    FONT,
    IMPROVEMENT,
    IMPROVEMENT_DARK,
    NEITHER,
)
from kpis.narrative import describe_point, points_needed
from kpis.spc.model import PointType, SpcPoint, SpcResult
from pmf.formatting import format_month, format_value, normalise_unit

# Markers are outlined in the darker shade of their colour, so every mark has at least 3:1 contrast with the
# white background (WCAG 2.2 non-text contrast) while keeping the familiar Making Data Count hues.
NHS_BLUE = "#005EB8"
NHS_RED = "#DA291C"
TEXT = "#212B32"
MEAN_LINE = "#425563"
LIMIT_LINE = "#5F6F7A"
NEAR_LIMIT_LINE = "#B3BCC2"
VALUE_LINE = "#8C8C8C"
GRID = "#E8EDEE"
CHART_HEIGHT = 360

# Colour, outline and marker symbol by point type: the symbol tells the types apart without colour.
POINT_STYLES: dict[PointType, dict[str, str]] = {
    "common_cause": {"color": COMMON_CAUSE, "line": COMMON_CAUSE_DARK, "symbol": "circle"},
    "special_cause_improvement": {"color": IMPROVEMENT, "line": IMPROVEMENT_DARK, "symbol": "diamond"},
    "special_cause_concern": {"color": CONCERN, "line": CONCERN_DARK, "symbol": "square"},
    "special_cause_neutral_high": {"color": NEITHER, "line": NEITHER, "symbol": "triangle-up"},
    "special_cause_neutral_low": {"color": NEITHER, "line": NEITHER, "symbol": "triangle-down"},
}
POINT_NAMES: dict[PointType, str] = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause – improvement",
    "special_cause_concern": "Special cause – concern",
    "special_cause_neutral_high": "Special cause – high",
    "special_cause_neutral_low": "Special cause – low",
}

# Passed to Plotly.newPlot by static/js/charts.js. Recent plotly.js offers a "Share chart" button that uploads
# the chart's data to a cloud service: patient-level performance data must never leave the trust that way.
CHART_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "select2d",
        "lasso2d",
        "autoScale2d",
        "toggleSpikelines",
    ],
}

AXIS_TITLES = {
    "percent": "Per cent",
    "seconds": "Minutes:seconds",
    "minutes": "Minutes",
    "currency": "£ thousands",
    "rate_per_1000": "Rate per 1,000",
}

PLOTLY_JS_PATH = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# Reasons longer than this are shortened on the chart; the full reason shows on hover.
MAX_REASON_CHARS = 40


def _escape(text: str) -> str:
    # Plotly renders a little HTML in titles, labels and hovers; text that people typed is shown as written.
    return html.escape(text, quote=False)


def _segment_line(
    points: Sequence[SpcPoint], months: Sequence[date], attr: str
) -> tuple[list[date | None], list[float | None]]:
    """x and y for one line (mean, a limit) drawn segment by segment, with a break between segments."""
    xs: list[date | None] = []
    ys: list[float | None] = []
    previous_segment: int | None = None
    for point, month in zip(points, months, strict=True):
        level = getattr(point, attr)
        if previous_segment is not None and point.segment != previous_segment:
            xs.append(None)
            ys.append(None)
        previous_segment = point.segment
        xs.append(month)
        ys.append(level)
    return xs, ys


def _pair_of_lines(
    points: Sequence[SpcPoint], months: Sequence[date], lower: str, upper: str
) -> tuple[list[date | None], list[float | None]]:
    """The upper and the lower line as one trace (one legend entry), each broken at recalculations."""
    ux, uy = _segment_line(points, months, upper)
    lx, ly = _segment_line(points, months, lower)
    return [*ux, None, *lx], [*uy, None, *ly]


def _midpoint(before: date, after: date) -> datetime:
    start = datetime(before.year, before.month, before.day)
    return start + (datetime(after.year, after.month, after.day) - start) / 2


def _nice_step(span: float) -> float:
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400):
        if span / step <= 6:
            return step
    return 86400 * math.ceil(span / (6 * 86400))


def _seconds_ticks(levels: Sequence[float]) -> tuple[list[float], list[str]]:
    """Tick positions and m:ss labels for an axis of seconds (plotly has no duration format of its own)."""
    lo, hi = min(levels), max(levels)
    step = _nice_step(max(hi - lo, 1.0))
    first = math.floor(lo / step) * step
    ticks = []
    tick = first
    while tick <= hi + step:
        ticks.append(tick)
        tick += step
    return ticks, [format_value(t, "seconds") for t in ticks]


def y_axis(unit: str, levels: Sequence[float]) -> dict[str, Any]:
    """The value axis for a KPI's unit: its title, grid and tick format (per cent, pounds, thousands
    separators; seconds as m:ss ticks spanning ``levels``). The benchmarking charts share it."""
    axis: dict[str, Any] = {
        "title": {"text": AXIS_TITLES.get(unit, ""), "font": {"size": 12}},
        "gridcolor": GRID,
        "zeroline": False,
        "linecolor": "#AEB7BD",
        "ticks": "outside",
        "tickcolor": "#AEB7BD",
    }
    if unit == "percent":
        axis["ticksuffix"] = "%"
    elif unit == "currency":
        axis.update(tickprefix="£", ticksuffix="k", tickformat=",")
    elif unit in ("count", "rate_per_1000", "minutes"):
        axis["tickformat"] = ","
    elif unit == "seconds" and levels:
        values, labels = _seconds_ticks(levels)
        axis.update(tickmode="array", tickvals=values, ticktext=labels)
    return axis


def xmr_spec(
    result: SpcResult,
    *,
    months: Sequence[date],
    title: str,
    unit: str,
    target: float | None = None,
    trajectory: Sequence[float | None] | None = None,
    recalculations: Sequence[tuple[int, str]] = (),
    decimals: int | None = None,
) -> dict[str, Any]:
    """A Making Data Count XmR chart of one analysed series, as a plotly figure in plain data: ``{"data":
    [...], "layout": {...}}`` (months as dates; `figure_data` makes it JSON-ready). Built as plain data rather
    than through plotly's figure classes, which check every property and took 50 ms a chart.

    1. The values as a grey line, broken where a month is missing, with a marker per value whose colour AND
       symbol give its type (circle common cause, diamond improvement, square concern, triangles for a
       signal on a measure with no preferred direction). The hover names the month, the value and, in words,
       the rule that fired.
    2. Per segment, the mean (solid), the process limits (dashed) and, lightly, the near-limit lines; a
       recalculation starts new lines rather than joining the old ones. A chart with too few points for
       limits shows its mean and a note instead.
    3. The target (red dashed) and the trajectory (dotted) when given, each labelled; `target` defaults to the
       target the result was analysed with.
    4. A dotted vertical line at each recalculation, `(index of the first point of the new segment, reason)`,
       with the reason written above the chart.

    `unit` is a catalogue unit ("percent", "seconds", "currency", "count", ...); `decimals` fixes the number
    of decimals in hovers and labels in place of the unit's usual precision (see ``pmf.formatting``).
    """
    points = result.points
    if len(months) != len(points):
        raise ValueError(f"{len(months)} months given for a chart of {len(points)} points")
    if trajectory is not None and len(trajectory) != len(points):
        raise ValueError(f"{len(trajectory)} trajectory values given for a chart of {len(points)} points")
    unit = normalise_unit(unit)
    target = result.target if target is None else target

    def fmt(value: float | None) -> str:
        return format_value(value, unit, decimals=decimals)

    traces: list[dict[str, Any]] = []
    values = [p.value for p in points]
    traces.append(
        _scatter(
            x=list(months),
            y=values,
            mode="lines",
            name="Value",
            meta="values",
            line={"color": VALUE_LINE, "width": 1.5},
            connectgaps=False,
            hoverinfo="skip",
            showlegend=False,
        )
    )

    has_limits = any(s.lpl is not None and s.upl is not None for s in result.segments)
    if points:
        xs, ys = _segment_line(points, months, "mean")
        traces.append(
            _scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Mean",
                meta="mean",
                line={"color": MEAN_LINE, "width": 1.5},
                hovertemplate=[_hover_line("Mean", y, fmt) for y in ys],
            )
        )
    if points and has_limits:
        xs, ys = _pair_of_lines(points, months, "lpl", "upl")
        traces.append(
            _scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Process limits",
                meta="limits",
                line={"color": LIMIT_LINE, "width": 1.5, "dash": "dash"},
                hovertemplate=[_hover_line("Process limit", y, fmt) for y in ys],
            )
        )
        xs, ys = _pair_of_lines(points, months, "near_lpl", "near_upl")
        traces.append(
            _scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Near-limit lines",
                meta="near_limits",
                line={"color": NEAR_LIMIT_LINE, "width": 1, "dash": "dot"},
                hoverinfo="skip",
            )
        )

    annotations: list[dict[str, Any]] = []
    if target is not None and points:
        traces.append(
            _scatter(
                x=[months[0], months[-1]],
                y=[target, target],
                mode="lines",
                name=f"Target {_escape(fmt(target))}",
                meta="target",
                showlegend=False,
                line={"color": NHS_RED, "width": 2, "dash": "dash"},
                hovertemplate=f"Target: {_escape(fmt(target))}<extra></extra>",
            )
        )
        annotations.append(_end_label(f"Target {_escape(fmt(target))}", months[-1], target, NHS_RED))
    if trajectory is not None and any(v is not None for v in trajectory):
        plan = [None if v is None else float(v) for v in trajectory]
        traces.append(
            _scatter(
                x=list(months),
                y=plan,
                mode="lines",
                name="Trajectory",
                meta="trajectory",
                showlegend=False,
                line={"color": NHS_BLUE, "width": 2, "dash": "dot"},
                connectgaps=False,
                hovertemplate=[_hover_line("Trajectory", y, fmt) for y in plan],
            )
        )
        last = max(i for i, v in enumerate(plan) if v is not None)
        annotations.append(_end_label("Trajectory", months[last], plan[last], NHS_BLUE))

    # Markers last, so they sit on top of the lines.
    for kind, style in POINT_STYLES.items():
        chosen = [p for p in points if p.value is not None and p.point_type == kind]
        if not chosen:
            continue
        traces.append(
            _scatter(
                x=[months[p.index] for p in chosen],
                y=[p.value for p in chosen],
                mode="markers",
                name=POINT_NAMES[kind],
                meta=f"points:{kind}",
                marker={
                    "color": style["color"],
                    "symbol": style["symbol"],
                    "size": 9 if kind == "common_cause" else 11,
                    "line": {"color": style["line"], "width": 1.5},
                },
                text=[_hover_point(p, months[p.index], result, fmt) for p in chosen],
                hovertemplate="%{text}<extra></extra>",
            )
        )

    shapes: list[dict[str, Any]] = []
    for index, reason in recalculations:
        if not 0 <= index < len(months):
            raise ValueError(f"recalculation at index {index} is outside a chart of {len(months)} points")
        x = _midpoint(months[index - 1], months[index]) if index > 0 else months[index]
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": MEAN_LINE, "width": 1.5, "dash": "dot"},
            }
        )
        short = reason if len(reason) <= MAX_REASON_CHARS else reason[: MAX_REASON_CHARS - 1].rstrip() + "…"
        annotations.append(
            {
                "text": _escape(f"Recalculated: {short}"),
                "hovertext": _escape(f"Limits recalculated from {format_month(months[index])}: {reason}"),
                "x": x,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": MEAN_LINE},
            }
        )

    n_values = sum(v is not None for v in values)
    note = ""
    if n_values == 0:
        note = "No data yet."
    elif result.too_few_points:
        needed = points_needed(result)
        note = f"Not enough data points for process limits: {needed} are needed, {n_values} so far."
    elif result.short_group_warning:
        note = "Some limits rest on fewer than 13 points: treat them with caution."

    levels = [
        v
        for v in (
            *values,
            *(getattr(s, a) for s in result.segments for a in ("lpl", "upl", "mean")),
            target,
            *(trajectory or ()),
        )
        if v is not None
    ]
    layout = dict(
        title={
            "text": _escape(title),
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 16, "color": TEXT},
            "subtitle": {"text": _escape(note), "font": {"size": 12, "color": MEAN_LINE}},
        },
        height=CHART_HEIGHT,
        autosize=True,
        margin={"l": 64, "r": 96, "t": 84 if note else 64, "b": 40},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT, "size": 12, "color": TEXT},
        hovermode="closest",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT, "size": 12, "color": TEXT}},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.12,
            "yanchor": "top",
            "font": {"size": 11},
        },
        xaxis={
            "type": "date",
            "tickformat": "%b %Y",
            "gridcolor": GRID,
            "linecolor": "#AEB7BD",
            "ticks": "outside",
            "tickcolor": "#AEB7BD",
            "zeroline": False,
        },
        yaxis=y_axis(unit, levels),
        shapes=shapes,
        annotations=annotations,
    )
    return {"data": traces, "layout": layout}


def xmr_figure(result: SpcResult, **options: Any) -> go.Figure:
    """The chart of `xmr_spec` as a plotly figure object, which checks every property (tests use it)."""
    return go.Figure(xmr_spec(result, **options))


def _scatter(**trace: Any) -> dict[str, Any]:
    return {"type": "scatter", **trace}


def _hover_line(label: str, value: float | None, fmt: Any) -> str:
    return "" if value is None else f"{label}: {_escape(fmt(value))}<extra></extra>"


def _hover_point(point: SpcPoint, month: date, result: SpcResult, fmt: Any) -> str:
    verdict = _escape(describe_point(point, result))
    return f"<b>{format_month(month)}</b><br>{_escape(fmt(point.value))}<br>{verdict}"


def _end_label(text: str, month: date, value: float | None, colour: str) -> dict[str, Any]:
    return {
        "text": text,
        "x": month,
        "xref": "x",
        "y": value,
        "yref": "y",
        "xanchor": "left",
        "xshift": 6,
        "showarrow": False,
        "font": {"size": 11, "color": colour},
    }


@functools.cache
def _default_template() -> dict[str, Any]:
    """The look plotly gives every figure it builds (its default template), for figures in plain data."""
    template: dict[str, Any] = json.loads(go.Figure().to_json())["layout"]["template"]
    return template


def _json_value(value: object) -> str:
    if isinstance(value, date):  # dates and datetimes, as plotly writes them
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def figure_data(
    fig: go.Figure | Mapping[str, Any], *, config: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The figure as JSON-ready data with the page config: {"data": [...], "layout": {...}, "config": {...}}.

    `fig` is a figure object or a figure in plain data (`xmr_spec`); plain data gets plotly's default
    template, as a figure object would, so both draw the same."""
    if isinstance(fig, go.Figure):
        spec = json.loads(fig.to_json())
    else:
        spec = json.loads(json.dumps({"data": fig["data"], "layout": fig["layout"]}, default=_json_value))
        spec["layout"] = {"template": _default_template(), **spec["layout"]}  # one template, shared
    return {"data": spec["data"], "layout": spec["layout"], "config": config or CHART_CONFIG}


def figure_html(fig: go.Figure | Mapping[str, Any], *, div_id: str, description: str | None = None) -> str:
    """The `<div>` that holds a chart on a page, with the figure in a `data-figure` attribute.

    `static/js/charts.js` draws every `.spc-chart` it finds, so the page needs no inline script. The div is a
    figure to assistive technology, labelled with `description` (for instance the `variation_sentence`) or
    else the chart's title; not an image, because plotly puts its buttons inside it and an image may not
    hold controls.
    """
    data = figure_data(fig)
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if description is None:
        title = data["layout"].get("title", {}).get("text") or "Chart"
        description = f"{html.unescape(title)}: statistical process control chart"
    return (
        f'<div id="{html.escape(div_id, quote=True)}" class="spc-chart" role="figure" '
        f'aria-label="{html.escape(description, quote=True)}" '
        f'data-figure="{html.escape(payload, quote=True)}"></div>'
    )
