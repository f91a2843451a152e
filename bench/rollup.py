"""Roll-up of the large trust: every team-level row up to the trust, 60 months."""

from __future__ import annotations

import pandas as pd

from bench.large_trust import LargeTrust
from kpis.rollup import roll_up

from . import Measure, best_of

DEPTH = {"trust": 0, "division": 1, "service": 2, "team": 3}


def frames(trust: LargeTrust) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The roll-up's three inputs, built straight from the generated data (no database)."""
    units = trust.units.reset_index(names="unit_id")
    ids = dict(zip(units["code"], units["unit_id"], strict=True))
    months = pd.to_datetime(trust.measurements["month"]).drop_duplicates()
    structure = units.assign(parent_id=units["parent_code"].map(ids), depth=units["level"].map(DEPTH))
    structure = structure.merge(pd.DataFrame({"month": months}), how="cross")[
        ["unit_id", "month", "parent_id", "depth"]
    ]
    kpis = trust.kpis.reset_index(names="kpi_id")
    kpi_ids = dict(zip(kpis["code"], kpis["kpi_id"], strict=True))
    kpis["scale"] = kpis["unit"].map({"percent": 100.0}).fillna(1.0)
    submitted = trust.measurements.assign(
        kpi_id=trust.measurements["kpi_code"].map(kpi_ids),
        unit_id=trust.measurements["org_code"].map(ids),
        month=pd.to_datetime(trust.measurements["month"]),
    )
    return submitted, structure, kpis[["kpi_id", "aggregation", "scale"]]


def run(trust: LargeTrust) -> list[Measure]:
    submitted, structure, kpis = frames(trust)
    result = roll_up(submitted, structure, kpis)
    assert len(result) > 0

    def bare_sums() -> None:
        # The least any roll-up must do: one grouped sum of every row per level.
        rows = submitted.merge(structure, on=["unit_id", "month"])
        for _ in range(3):
            rows.groupby(["kpi_id", "parent_id", "month"])[["numerator", "denominator"]].sum()

    return [
        Measure(
            part="rollup",
            what=f"roll-up of {len(submitted):,} team rows to {len(result):,} values",
            seconds=best_of(3, lambda: roll_up(submitted, structure, kpis)),
            baseline="bare grouped sums of the same rows, three levels",
            baseline_seconds=best_of(3, bare_sums),
            goal="a small multiple of the bare arithmetic",
        )
    ]
