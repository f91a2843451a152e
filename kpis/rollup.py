"""Roll-up arithmetic: team → service → division → trust (DESIGN §4.2).

Pure: pandas in, pandas out, no Django. The service in ``kpis/services/rollup.py``
reads the database into these frames and writes the result back.

Rules:

1. A unit's value is its own submitted value where it has one; the roll-up never
   replaces it.
2. Otherwise, for an aggregable KPI, the value is computed from the unit's children
   in that month's structure: ``sum`` adds numerators; ``ratio`` and
   ``mean_weighted`` divide Σnumerator by Σdenominator (then scale, ×100 for a
   percentage) — never a mean of the children's percentages. ``none`` is never
   computed.
3. Each computed value records how many children contributed and how many were
   expected. A child is expected if it has a value for the KPI in any month of the
   same financial year, so a ward that reports every month but not this one makes the
   roll-up incomplete, while a ward that never reports the KPI does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUBMITTED_COLUMNS = ["kpi_id", "unit_id", "month", "numerator", "denominator", "value", "is_synthetic"]
STRUCTURE_COLUMNS = ["unit_id", "month", "parent_id", "depth"]
KPI_COLUMNS = ["kpi_id", "aggregation", "scale"]
RESULT_COLUMNS = [*SUBMITTED_COLUMNS, "children_contributing", "children_expected"]

AGGREGABLE = ("sum", "ratio", "mean_weighted")
NUMBER_COLUMNS = ["numerator", "denominator", "value"]


def financial_year_start(months: pd.Series) -> pd.Series:
    """The calendar year in which each month's NHS financial year starts."""
    stamps = pd.to_datetime(months)
    return stamps.dt.year - (stamps.dt.month < 4).astype(int)


def roll_up(submitted: pd.DataFrame, structure: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """Compute every roll-up value implied by the submitted values.

    ``submitted``: one row per submitted (kpi_id, unit_id, month) with numerator,
    denominator and value. ``structure``: for each unit and month it existed, its
    parent (NaN for the trust) and its depth (trust 0 … team 3); every parent is one
    level above its child. ``kpis``: each KPI's aggregation and scale.

    Returns only the computed rows, with ``RESULT_COLUMNS``.

    Steps:
    1. Start from the submitted rows: they are the current values.
    2. From the deepest level up, attach each current child row to its parent for
       that month, keep aggregable KPIs and rows with what the aggregation needs.
    3. Sum numerators and denominators per (KPI, parent, month), count contributors,
       and count expected children per (KPI, parent, financial year).
    4. Drop groups where the parent submitted its own value; the rest become the
       parent's computed values and join the current values for the next level.
    """
    if "is_synthetic" not in submitted:
        submitted = submitted.assign(is_synthetic=False)
    current = submitted[SUBMITTED_COLUMNS].copy()
    current["month"] = pd.to_datetime(current["month"])
    # Floats with NaN for a missing number: a column the database gives as all None would sum to 0 and divide.
    current[NUMBER_COLUMNS] = current[NUMBER_COLUMNS].astype("float64")
    structure = structure[STRUCTURE_COLUMNS].copy()
    structure["month"] = pd.to_datetime(structure["month"])
    kpis = kpis[KPI_COLUMNS].set_index("kpi_id")
    own = pd.MultiIndex.from_frame(current[["kpi_id", "unit_id", "month"]])

    computed: list[pd.DataFrame] = []
    max_depth = int(structure["depth"].max()) if len(structure) else 0
    for depth in range(max_depth, 0, -1):
        level = structure[structure["depth"] == depth]
        children = current.merge(level[["unit_id", "month", "parent_id"]], on=["unit_id", "month"])
        children = children.join(kpis, on="kpi_id")
        children = children[children["aggregation"].isin(AGGREGABLE) & children["parent_id"].notna()]
        if children.empty:
            continue
        parents = _aggregate(children)
        parents = parents[~pd.MultiIndex.from_frame(parents[["kpi_id", "unit_id", "month"]]).isin(own)]
        computed.append(parents)
        current = pd.concat([current, parents[SUBMITTED_COLUMNS]], ignore_index=True)

    if not computed:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    result = pd.concat(computed, ignore_index=True)[RESULT_COLUMNS]
    return result.sort_values(["kpi_id", "unit_id", "month"], ignore_index=True)


def _aggregate(children: pd.DataFrame) -> pd.DataFrame:
    is_sum = children["aggregation"] == "sum"
    # A count may be submitted as a value alone; for a sum that value is the numerator.
    children = children.assign(
        numerator=children["numerator"].where(~is_sum | children["numerator"].notna(), children["value"])
    )
    usable = children["numerator"].notna() & (is_sum | (children["denominator"].notna()))
    children = children.assign(parent_id=children["parent_id"].astype("int64"))
    children["fy"] = financial_year_start(children["month"])

    expected = (
        children.groupby(["kpi_id", "parent_id", "fy"])["unit_id"].nunique().rename("children_expected")
    )
    groups = (
        children[usable]
        .groupby(["kpi_id", "parent_id", "month"])
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            children_contributing=("unit_id", "nunique"),
            is_synthetic=("is_synthetic", "any"),
            aggregation=("aggregation", "first"),
            scale=("scale", "first"),
            fy=("fy", "first"),
        )
        .reset_index()
    )
    groups = groups.join(expected, on=["kpi_id", "parent_id", "fy"])
    ratio = groups["aggregation"] != "sum"
    with np.errstate(divide="ignore", invalid="ignore"):
        groups["value"] = np.where(
            ratio, groups["numerator"] / groups["denominator"] * groups["scale"], groups["numerator"]
        )
    groups.loc[~ratio, "denominator"] = np.nan
    # A ratio with nothing underneath it (Σdenominator = 0) has no value to report.
    groups = groups[~ratio | (groups["denominator"] > 0)]
    return groups.rename(columns={"parent_id": "unit_id"})
