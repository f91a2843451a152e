"""The benchmarking charts, built on the server as plotly figures in plain data (as ``kpis.charts`` builds the
SPC charts, whose look, axes and page ``<div>`` they share).

- ``ranked_spec``: every peer's value for one KPI and month, best first, the trust's bar in NHS blue and
  labelled (so colour is not the only signal), with the peer median and upper quartile as lines.
- ``peer_series_spec``: the trust month by month against the peers' median and the band between the
  quartiles.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from kpis.charts import GRID, MEAN_LINE, NHS_BLUE, TEXT, y_axis
from pmf.formatting import format_month, format_value

from .catalogue import NationalKpi
from .ranking import KpiStanding
from .selectors import SeriesPoint

PEER_BAR = "#AEB7BD"
QUARTILE_BAND = "rgba(174, 183, 189, 0.35)"
UPPER_QUARTILE_LINE = "#330072"
HEIGHT = 320


def _layout(title: str, unit: str, levels: Sequence[float], **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": html.escape(title, quote=False), "font": {"size": 15, "color": TEXT}},
        "height": HEIGHT,
        "margin": {"l": 70, "r": 30, "t": 50, "b": 50},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"color": TEXT},
        "yaxis": y_axis(unit, levels),
        "legend": {"orientation": "h", "y": -0.2},
        **extra,
    }


def _level_line(name: str, value: float, unit: str, colour: str, dash: str) -> dict[str, Any]:
    """A horizontal line across a categorical axis (from the first bar to the last), in the legend."""
    return {
        "type": "scatter",
        "mode": "lines",
        "name": f"{name} {format_value(value, unit)}",
        "x": [0, 1],
        "xaxis": "x2",
        "y": [value, value],
        "line": {"color": colour, "dash": dash, "width": 2},
        "hoverinfo": "skip",
    }


def ranked_spec(
    kpi: NationalKpi, standing: KpiStanding, names: Mapping[str, str], *, peer_group: str
) -> dict[str, Any]:
    """Every peer's value, best first; the trust's bar highlighted and labelled."""
    unit = kpi.unit
    peers = standing.peers
    colours = [NHS_BLUE if p.org_code == standing.org_code else PEER_BAR for p in peers]
    hover = [
        f"<b>{html.escape(names.get(p.org_code, p.org_code), quote=False)}</b> ({p.org_code})<br>"
        f"{format_value(p.value, unit)}, rank {format_value(p.rank)} of {standing.n}<extra></extra>"
        for p in peers
    ]
    mine = next(i for i, p in enumerate(peers) if p.org_code == standing.org_code)
    bars = {
        "type": "bar",
        "name": "Peers, best first",
        "x": [p.org_code for p in peers],
        "y": [p.value for p in peers],
        "marker": {"color": colours, "line": {"color": MEAN_LINE, "width": 0.5}},
        "hovertemplate": hover,
        "showlegend": False,
    }
    label = {
        "x": peers[mine].org_code,
        "y": peers[mine].value,
        "text": f"This trust: {format_value(standing.value, unit)}",
        "showarrow": True,
        "arrowhead": 2,
        "ax": 0,
        "ay": -40,
        "font": {"color": NHS_BLUE, "size": 12},
        "bgcolor": "white",
    }
    levels = [p.value for p in peers]
    return {
        "data": [
            bars,
            _level_line("Peer median", standing.median, unit, MEAN_LINE, "dash"),
            _level_line("Upper quartile", standing.upper_quartile, unit, UPPER_QUARTILE_LINE, "dot"),
        ],
        "layout": _layout(
            f"{kpi.name}: {peer_group}",
            unit,
            levels,
            xaxis={
                "type": "category",
                "showticklabels": len(peers) <= 30,
                "tickangle": -60,
                "tickfont": {"size": 9},
            },
            xaxis2={"overlaying": "x", "range": [0, 1], "visible": False},
            annotations=[label],
            bargap=0.15,
        ),
    }


def peer_series_spec(kpi: NationalKpi, points: Sequence[SeriesPoint], *, peer_group: str) -> dict[str, Any]:
    """The trust against the peer median and the interquartile band, month by month."""
    unit = kpi.unit
    months = [p.month for p in points]
    low = [min(p.lower_quartile, p.upper_quartile) for p in points]
    high = [max(p.lower_quartile, p.upper_quartile) for p in points]
    trust_hover = [
        f"<b>{format_month(p.month)}</b><br>This trust {format_value(p.value, unit)}, rank "
        f"{format_value(p.rank)} of {p.n}<br>Median {format_value(p.median, unit)}<extra></extra>"
        for p in points
    ]
    levels = [*low, *high, *(p.value for p in points)]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": months,
                "y": low,
                "line": {"width": 0},
                "showlegend": False,
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": months,
                "y": high,
                "fill": "tonexty",
                "fillcolor": QUARTILE_BAND,
                "line": {"width": 0},
                "name": "Middle half of peers (quartiles)",
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": months,
                "y": [p.median for p in points],
                "line": {"color": MEAN_LINE, "dash": "dash", "width": 2},
                "name": "Peer median",
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": months,
                "y": [p.value for p in points],
                "line": {"color": NHS_BLUE, "width": 2.5},
                "marker": {"symbol": "diamond", "size": 7},
                "name": "This trust",
                "hovertemplate": trust_hover,
            },
        ],
        "layout": _layout(
            f"{kpi.name} over time: {peer_group}",
            unit,
            levels,
            xaxis={"type": "date", "tickformat": "%b %Y", "gridcolor": GRID},
        ),
    }
