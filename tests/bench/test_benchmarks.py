"""The benchmarks run (on a small trust here) and measure what they say they measure."""

from pathlib import Path

from bench import national, rollup, spc
from bench.large_trust import LargeTrustSpec, generate
from national.models import PeerValue

NATIONAL_DATA = Path(__file__).resolve().parents[1] / "data" / "national"

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


def test_national_benchmark_loads_and_ranks_against_a_bare_pandas_rank(db, tmp_path):
    for name in ("ae_official_RTG_RK5.csv", "rtt_two_months.csv", "ambsys_three_months.csv"):
        (tmp_path / name).write_bytes((NATIONAL_DATA / name).read_bytes())

    loading, ranking = national.run(None, folder=tmp_path)

    assert "loading 3 published files" in loading.what
    for measure in (loading, ranking):
        assert measure.part == "national" and measure.seconds > 0 and measure.baseline_seconds > 0
        assert measure.baseline == "a bare pandas groupby().rank() of the same values"
    assert not PeerValue.objects.exists()  # each repeat is rolled back
