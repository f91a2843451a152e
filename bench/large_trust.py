"""A generated "large trust" for benchmarks (DESIGN §6): deterministic from a seed.

Pure: numpy and pandas, no Django. 8 divisions, 60 services, 400 teams, 300 KPIs
and 60 months by default. Each team reports its own subset of KPIs (about 40), so a
month of team-level data is about 16,000 rows, as a real trust's would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pmf.periods import add_months

DOMAINS = ("finance", "workforce", "quality", "operational")
# (unit, aggregation, direction) mix, in the proportions a real catalogue has.
KINDS = (
    ("percent", "ratio", "higher_is_better"),
    ("percent", "ratio", "lower_is_better"),
    ("count", "sum", "lower_is_better"),
    ("count", "sum", "neutral"),
    ("minutes", "none", "lower_is_better"),
)
KIND_WEIGHTS = (0.35, 0.15, 0.25, 0.1, 0.15)


@dataclass(frozen=True)
class LargeTrustSpec:
    divisions: int = 8
    services: int = 60
    teams: int = 400
    kpis: int = 300
    months: int = 60
    kpis_per_team: int = 40
    first_month: date = date(2021, 4, 1)
    seed: int = 20251


@dataclass(frozen=True)
class LargeTrust:
    units: pd.DataFrame  # code, name, level, parent_code
    kpis: pd.DataFrame  # code, name, domain, unit, aggregation, direction, is_key, target
    measurements: pd.DataFrame  # kpi_code, org_code, month, numerator, denominator, value


def generate(spec: LargeTrustSpec = LargeTrustSpec()) -> LargeTrust:
    rng = np.random.default_rng(spec.seed)
    units = _units(spec)
    kpis = _kpis(spec, rng)
    return LargeTrust(units=units, kpis=kpis, measurements=_measurements(spec, rng, units, kpis))


def _units(spec: LargeTrustSpec) -> pd.DataFrame:
    rows = [("LT", "Large Trust (generated)", "trust", "")]
    rows += [(f"LT-D{d:02d}", f"Division {d}", "division", "LT") for d in range(1, spec.divisions + 1)]
    rows += [
        (f"LT-S{s:03d}", f"Service {s}", "service", f"LT-D{s % spec.divisions + 1:02d}")
        for s in range(1, spec.services + 1)
    ]
    rows += [
        (f"LT-T{t:04d}", f"Team {t}", "team", f"LT-S{t % spec.services + 1:03d}")
        for t in range(1, spec.teams + 1)
    ]
    return pd.DataFrame(rows, columns=["code", "name", "level", "parent_code"])


def _kpis(spec: LargeTrustSpec, rng: np.random.Generator) -> pd.DataFrame:
    kinds = rng.choice(len(KINDS), size=spec.kpis, p=KIND_WEIGHTS)
    frame = pd.DataFrame(
        {
            "code": [f"lt-kpi-{i:03d}" for i in range(1, spec.kpis + 1)],
            "name": [f"Generated KPI {i}" for i in range(1, spec.kpis + 1)],
            "domain": [DOMAINS[i % len(DOMAINS)] for i in range(spec.kpis)],
            "unit": [KINDS[k][0] for k in kinds],
            "aggregation": [KINDS[k][1] for k in kinds],
            "direction": [KINDS[k][2] for k in kinds],
            "is_key": rng.random(spec.kpis) < 0.25,
        }
    )
    frame["level"] = np.where(
        frame["unit"] == "percent", rng.uniform(60, 95, spec.kpis), rng.uniform(5, 200, spec.kpis)
    )
    frame["target"] = np.where(
        frame["direction"] == "higher_is_better", frame["level"] * 1.02, frame["level"] * 0.98
    ).round(1)
    frame.loc[frame["direction"] == "neutral", "target"] = np.nan
    return frame


def _measurements(
    spec: LargeTrustSpec, rng: np.random.Generator, units: pd.DataFrame, kpis: pd.DataFrame
) -> pd.DataFrame:
    """Team-level rows: each team's KPI subset, a random walk per series plus noise."""
    teams = units.loc[units["level"] == "team", "code"].to_numpy()
    picks = np.stack([rng.choice(len(kpis), size=spec.kpis_per_team, replace=False) for _ in teams])
    series_team = np.repeat(teams, spec.kpis_per_team)
    series_kpi = picks.ravel()
    n_series = len(series_kpi)

    months = [add_months(spec.first_month, i) for i in range(spec.months)]
    walk = np.cumsum(rng.normal(0, 0.01, size=(n_series, spec.months)), axis=1)
    noise = rng.normal(0, 0.03, size=(n_series, spec.months))
    level = kpis["level"].to_numpy()[series_kpi][:, None]
    is_percent = (kpis["unit"].to_numpy() == "percent")[series_kpi][:, None]
    is_sum = (kpis["aggregation"].to_numpy() == "sum")[series_kpi][:, None]

    denominator = np.where(is_percent, rng.integers(50, 400, size=(n_series, spec.months)), np.nan)
    rate = np.clip(level / 100 * (1 + walk + noise), 0, 1)
    percent_num = np.round(rate * np.nan_to_num(denominator))
    count = np.maximum(0, np.round(level / 10 * (1 + walk + noise)))
    minutes = np.maximum(1, level * (1 + walk + noise))
    value = np.where(
        is_percent, 100 * percent_num / np.where(is_percent, denominator, 1), np.where(is_sum, count, minutes)
    )
    numerator = np.where(is_percent, percent_num, np.where(is_sum, count, np.nan))

    team_rows = pd.DataFrame(
        {
            "kpi_code": np.repeat(kpis["code"].to_numpy()[series_kpi], spec.months),
            "org_code": np.repeat(series_team, spec.months),
            "month": np.tile(np.array(months, dtype="datetime64[D]"), n_series),
            "numerator": numerator.ravel(),
            "denominator": denominator.ravel(),
            "value": value.ravel(),
        }
    )
    return pd.concat(
        [team_rows, _non_aggregable_upper_levels(spec, rng, units, kpis, months)], ignore_index=True
    )


def _non_aggregable_upper_levels(
    spec: LargeTrustSpec,
    rng: np.random.Generator,
    units: pd.DataFrame,
    kpis: pd.DataFrame,
    months: list[date],
) -> pd.DataFrame:
    """Medians and centiles cannot be rolled up, so the trust and divisions submit their own."""
    none_kpis = kpis[kpis["aggregation"] == "none"]
    upper = units.loc[units["level"].isin(["trust", "division"]), "code"].to_numpy()
    n_series = len(none_kpis) * len(upper)
    level = np.repeat(none_kpis["level"].to_numpy(), len(upper))[:, None]
    walk = np.cumsum(rng.normal(0, 0.01, size=(n_series, spec.months)), axis=1)
    value = np.maximum(1, level * (1 + walk + rng.normal(0, 0.03, size=(n_series, spec.months))))
    return pd.DataFrame(
        {
            "kpi_code": np.repeat(np.repeat(none_kpis["code"].to_numpy(), len(upper)), spec.months),
            "org_code": np.repeat(np.tile(upper, len(none_kpis)), spec.months),
            "month": np.tile(np.array(months, dtype="datetime64[D]"), n_series),
            "numerator": np.nan,
            "denominator": np.nan,
            "value": value.ravel(),
        }
    )
