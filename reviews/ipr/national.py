"""The IPR's national parts: the trust among its peers (the benchmarking section) and where national
figures came from (the data notes).

``ipr_benchmarking(month)`` places the trust among its default peer group (same trust type in England) on
every scored national KPI with ``national.selectors.benchmarking_for``, in three queries whatever the
number of peers and KPIs (four when the month has no peer figures, to name the latest month that has).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from divisions.models import OrgUnit
from kpis.selectors.sources import imported_from, official_file_notes
from national.selectors import Benchmark, benchmark_months, benchmarking_for, standard_peer_sets, this_trust
from pmf.formatting import format_month

from .content import BenchmarkRow, IprBenchmarking, NationalSource, PeerSource

NO_PROFILE = (
    "The trust has no national profile (its ODS code, type and region), so it cannot be placed among its "
    "peers: the performance team starts it with start_trust."
)


def _row(benchmark: Benchmark) -> BenchmarkRow:
    kpi, standing = benchmark.kpi, benchmark.standing
    return BenchmarkRow(
        code=kpi.code,
        name=kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        value=standing.value,
        rank=standing.rank,
        n=standing.n,
        quartile=standing.quartile,
        score=standing.score,
        median=standing.median,
        sources=tuple(PeerSource(s.publication, s.source_file, s.published_on) for s in benchmark.sources),
    )


def ipr_benchmarking(month: date) -> IprBenchmarking:
    """The trust among its default peer group in ``month``: league position, segment and each scored KPI.

    1. The trust as the national reference knows it (its profile); without one, say so.
    2. Its default peer group, and every national KPI's standing in ``month`` (one query for the values).
    3. Keep the scored KPIs the trust has a value for; with none, name the latest month that has figures.
    """
    trust = this_trust()
    if trust is None:
        return IprBenchmarking(month=month, note=NO_PROFILE)
    peer_set = standard_peer_sets(trust)[0]
    found = benchmarking_for(trust, month, peer_set, series_months=1)
    rows = tuple(_row(b) for b in found.benchmarks if b.kpi.scored)
    base = IprBenchmarking(month=month, peer_group=peer_set.name, peer_group_size=len(peer_set.members))
    if not rows:
        months = benchmark_months(trust)
        latest = next((m for m in months if m <= month), None)
        when = f"; the latest month with them is {format_month(latest)}" if latest else ""
        return replace(base, note=f"No national peer figures for {format_month(month)} are loaded{when}.")
    overall = found.overall
    if overall is None:
        return replace(
            base,
            rows=rows,
            note="No overall standing: no peer reports a scored KPI the trust reports this month.",
        )
    return replace(
        base,
        rows=rows,
        league_position=overall.league_position,
        league_of=overall.n,
        segment=overall.segment,
        average_score=overall.average_score,
        kpis_scored=len(overall.kpis_scored),
    )


def national_sources(trust: OrgUnit, month: date) -> tuple[tuple[NationalSource, ...], tuple[str, ...]]:
    """The trust's figures for ``month`` imported from a national publication, and where the official A&E
    file won over the tidy history in the months up to ``month`` (two queries)."""
    sources = tuple(
        NationalSource(s.code, s.name, s.source_file, s.publication) for s in imported_from(trust.pk, month)
    )
    return sources, tuple(official_file_notes(trust.pk, up_to=month))
