"""The benchmarks run (on a small trust here) and measure what they say they measure."""

from bench import rollup, spc
from bench.large_trust import LargeTrustSpec, generate

SMALL = LargeTrustSpec(divisions=3, services=6, teams=24, kpis=40, months=24, kpis_per_team=10)


def test_rollup_benchmark_reports_a_ratio_against_bare_sums():
    (measure,) = rollup.run(generate(SMALL))
    assert measure.part == "rollup" and measure.seconds > 0 and measure.baseline_seconds > 0


def test_spc_benchmark_covers_every_kpi_at_trust_and_division_level():
    trust = generate(SMALL)
    values, options = spc.trust_and_division_series(trust)
    assert values[["kpi_id", "unit_id"]].drop_duplicates().shape[0] == len(options)
    assert len(options) <= SMALL.kpis * (SMALL.divisions + 1)
    (measure,) = spc.run(trust)
    assert measure.ratio < 1, "the vectorised path should beat one call per series"
