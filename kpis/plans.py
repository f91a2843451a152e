"""What the plan was: targets and trajectories resolved for many (KPI, unit, month) at once.

Pure: pandas in, pandas out. DESIGN §3: the plan for a month is the unit's trajectory if
one exists, else the target. The target is the one in force for the month's financial
year: the unit's own target beats the all-units one, and within those the latest
``effective_from`` on or before the month wins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REQUEST_COLUMNS = ["kpi_id", "unit_id", "month"]
TARGET_COLUMNS = ["kpi_id", "unit_id", "financial_year", "effective_from", "value", "tolerance"]
TRAJECTORY_COLUMNS = ["kpi_id", "unit_id", "month", "value"]


def financial_year_labels(months: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(months)
    start = stamps.dt.year - (stamps.dt.month < 4).astype(int)
    return start.astype(str) + "/" + ((start + 1) % 100).astype(str).str.zfill(2)


def resolve_plans(requests: pd.DataFrame, targets: pd.DataFrame, trajectories: pd.DataFrame) -> pd.DataFrame:
    """``requests`` with ``target``, ``tolerance`` and ``plan`` added (NaN where there is none).

    ``targets.unit_id`` is NaN for a target that applies to all units.
    """
    out = requests[REQUEST_COLUMNS].copy()
    out["month"] = pd.to_datetime(out["month"])
    out["financial_year"] = financial_year_labels(out["month"])
    out["_row"] = np.arange(len(out))

    t = targets[TARGET_COLUMNS].copy()
    t["effective_from"] = pd.to_datetime(t["effective_from"])
    candidates = out.merge(t, on=["kpi_id", "financial_year"], suffixes=("", "_target"))
    applies = (
        candidates["unit_id_target"].isna() | (candidates["unit_id_target"] == candidates["unit_id"])
    ) & (candidates["effective_from"] <= candidates["month"])
    candidates = candidates[applies].assign(own=candidates["unit_id_target"].notna())
    best = candidates.sort_values(["_row", "own", "effective_from"]).drop_duplicates("_row", keep="last")
    out = out.merge(
        best[["_row", "value", "tolerance"]].rename(columns={"value": "target"}), on="_row", how="left"
    )

    tr = trajectories[TRAJECTORY_COLUMNS].rename(columns={"value": "trajectory"})
    tr = tr.assign(month=pd.to_datetime(tr["month"]))
    out = out.merge(tr, on=REQUEST_COLUMNS, how="left")
    out["plan"] = out["trajectory"].combine_first(out["target"])
    out["tolerance"] = out["tolerance"].fillna(0.0)
    return out.sort_values("_row").drop(columns=["_row", "financial_year"]).reset_index(drop=True)
