"""SPC for every KPI at trust and division level of the large trust, 60 months (about 2,700 series)."""

from __future__ import annotations

import pandas as pd

from bench.large_trust import LargeTrust
from kpis.rollup import roll_up
from kpis.spc import SpcOptions, analyse, analyse_frame

from . import Measure, best_of
from .rollup import frames


def trust_and_division_series(trust: LargeTrust) -> tuple[pd.DataFrame, dict[tuple[int, int], SpcOptions]]:
    submitted, structure, kpis = frames(trust)
    values = pd.concat([submitted, roll_up(submitted, structure, kpis)], ignore_index=True)
    upper = structure.loc[structure["depth"] <= 1, "unit_id"].unique()
    values = values[values["unit_id"].isin(upper)][["kpi_id", "unit_id", "month", "value"]]
    values = values.sort_values(["kpi_id", "unit_id", "month"], ignore_index=True)
    directions = trust.kpis["direction"].map(
        {"higher_is_better": "increase", "lower_is_better": "decrease", "neutral": "neutral"}
    )
    options = {
        (int(k), int(u)): SpcOptions(direction=directions.iloc[int(k)], target=_target(trust, int(k)))
        for k, u in values[["kpi_id", "unit_id"]].drop_duplicates().itertuples(index=False)
    }
    return values, options


def _target(trust: LargeTrust, kpi_id: int) -> float | None:
    target = trust.kpis["target"].iloc[kpi_id]
    return None if pd.isna(target) else float(target)


def run(trust: LargeTrust) -> list[Measure]:
    values, options = trust_and_division_series(trust)
    groups = [(key, group["value"].tolist()) for key, group in values.groupby(["kpi_id", "unit_id"])]

    def per_series() -> None:
        for key, series in groups:
            option = options[key]
            analyse(series, direction=option.direction, target=option.target)

    return [
        Measure(
            part="spc",
            what=f"vectorised SPC of {len(groups):,} series ({len(values):,} points)",
            seconds=best_of(
                3, lambda: analyse_frame(values, by=["kpi_id", "unit_id"], options_by_series=options)
            ),
            baseline="the same series one at a time through the per-series engine",
            baseline_seconds=best_of(1, per_series),
            goal="under 1 s, far below the per-series time",
        )
    ]
