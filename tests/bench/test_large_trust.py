import pandas as pd
import pytest

from bench.large_trust import LargeTrustSpec, generate


def test_default_large_trust_has_the_documented_shape():
    trust = generate()
    levels = trust.units["level"].value_counts()
    assert (levels["trust"], levels["division"], levels["service"], levels["team"]) == (1, 8, 60, 400)
    assert len(trust.kpis) == 300
    team_rows = trust.measurements[trust.measurements["org_code"].str.startswith("LT-T")]
    assert team_rows["month"].nunique() == 60
    assert len(team_rows) / 60 == 16_000


def test_same_seed_gives_identical_data_and_another_seed_does_not():
    small = LargeTrustSpec(teams=20, services=5, kpis=30, months=6, kpis_per_team=5)
    a, b = generate(small), generate(small)
    pd.testing.assert_frame_equal(a.measurements, b.measurements)
    c = generate(LargeTrustSpec(**{**small.__dict__, "seed": small.seed + 1}))
    assert not a.measurements["value"].equals(c.measurements["value"])


def test_generated_percentages_are_consistent_with_numerator_and_denominator():
    m = generate(LargeTrustSpec(teams=20, services=5, kpis=30, months=6, kpis_per_team=5)).measurements
    pct = m[m["denominator"].notna()]
    assert (pct["numerator"] <= pct["denominator"]).all()
    assert pct["value"].to_numpy() == pytest.approx((100 * pct["numerator"] / pct["denominator"]).to_numpy())
