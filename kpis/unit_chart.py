"""A unit's SPC chart of a KPI as a page shows it: the stored chart, what it tells us, and the figure.

The KPI page draws it, and so does any page that shows the chart of a KPI it is about (an escalation case).
"""

from __future__ import annotations

from dataclasses import dataclass

from divisions.models import OrgUnit

from .charts import figure_html, xmr_spec
from .charts_data import stored_result
from .models import Kpi
from .narrative import variation_sentence
from .selectors import chart_for
from .selectors.standing import ChartData
from .spc import SpcResult


@dataclass(frozen=True)
class UnitChart:
    data: ChartData
    result: SpcResult | None = None  # None while nothing is charted
    sentence: str = ""
    html: str = ""


def unit_chart(kpi: Kpi, unit: OrgUnit, *, div_id: str = "spc-chart") -> UnitChart:
    """``kpi``'s stored chart for ``unit`` with its "what the chart tells us" sentence and the figure's
    markup (``static/js/charts.js`` draws it); the queries of ``chart_for``, whatever the number of months."""
    data = chart_for(kpi, unit)
    if data.series is None:
        return UnitChart(data)
    result = stored_result(data.series, data.points)
    sentence = variation_sentence(
        result,
        kpi_name=kpi.name,
        unit=kpi.unit,
        latest_value=data.latest_value,
        plan=data.plan,
        direction=kpi.direction,
        month=data.latest.month if data.latest else None,
    )
    figure = xmr_spec(
        result,
        months=data.months,
        title=f"{kpi.name} — {unit.name}",
        unit=kpi.unit,
        target=data.series.target,
        trajectory=data.trajectory if any(v is not None for v in data.trajectory) else None,
        recalculations=[(i, r.reason) for i, r in data.recalculations],
    )
    return UnitChart(data, result, sentence, figure_html(figure, div_id=div_id, description=sentence))
