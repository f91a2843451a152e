"""The benchmarking page: the trust among its national peers, KPI by KPI and overall (DESIGN §8)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kpis.charts import figure_html
from kpis.views.static import plotly_js_version
from pmf.formatting import format_month
from pmf.periods import parse_month
from pmf.permissions import can_manage_data, can_read_benchmarking, request_access, require

from .charts import peer_series_spec, ranked_spec
from .selectors import benchmark_months, benchmarking_for, peer_set_for, peer_sets_for, this_trust


def _chosen_month(text: str, months: list[date]) -> date:
    """The month asked for if the trust has values then, else the latest month it has."""
    try:
        wanted = parse_month(text) if text else None
    except ValueError:
        wanted = None
    return wanted if wanted in months else months[0]


@require(can_read_benchmarking)
def benchmarking(request: HttpRequest) -> HttpResponse:
    """League position and segment, each KPI ranked among the peers, and the trust against the peer median
    and quartiles over time, for the month and peer group chosen (the latest month and same trust type in
    England by default)."""
    trust = this_trust()
    context: dict[str, object] = {"trust": trust, "can_edit_groups": can_manage_data(request_access(request))}
    if trust is None:
        return render(request, "national/benchmarking.html", context)
    months = benchmark_months(trust)
    peer_sets = peer_sets_for(trust)
    peer_set = peer_set_for(trust, request.GET.get("group", "")) or (peer_sets[0] if peer_sets else None)
    context.update(months=[(f"{m:%Y-%m}", format_month(m)) for m in months], peer_sets=peer_sets)
    if not months or peer_set is None:
        return render(request, "national/benchmarking.html", context)
    month = _chosen_month(request.GET.get("month", ""), months)
    page = benchmarking_for(trust, month, peer_set)
    kpis = []
    for index, benchmark in enumerate(page.benchmarks):
        code = benchmark.kpi.code
        ranked = ranked_spec(benchmark.kpi, benchmark.standing, benchmark.names, peer_group=peer_set.name)
        series = peer_series_spec(benchmark.kpi, page.series[code], peer_group=peer_set.name)
        kpis.append(
            {
                "benchmark": benchmark,
                "ranked_chart": figure_html(
                    ranked,
                    div_id=f"ranked-{index}",
                    description=f"{benchmark.kpi.name}: the peers' values, best first, this trust marked",
                ),
                "series_chart": figure_html(
                    series,
                    div_id=f"series-{index}",
                    description=f"{benchmark.kpi.name}: this trust against the peer median and quartiles",
                ),
            }
        )
    context.update(
        page=page,
        month=month,
        month_value=f"{month:%Y-%m}",
        peer_set=peer_set,
        kpis=kpis,
        scored_names=[k.name for k in page.scored_kpis],
        plotly_js_version=plotly_js_version(),
    )
    return render(request, "national/benchmarking.html", context)
