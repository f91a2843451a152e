"""The roll-up against an independent pandas oracle, on generated trees with children missing.

``kpis/rollup.py`` climbs the tree one level at a time. The oracle instead lists every
(ancestor, descendant) pair once and answers each parent's value with a single groupby:
a submitted row counts towards an ancestor when no unit strictly between them submitted
its own value (that unit's own value stands in for its whole branch). The two methods
share no code, so agreement on random trees, data and gaps is evidence for both.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpis.rollup import roll_up

MONTHS = list(pd.date_range("2024-01-01", "2025-06-01", freq="MS"))  # spans three financial years
KPIS = pd.DataFrame(
    [(1, "sum", 1.0), (2, "ratio", 100.0), (3, "mean_weighted", 1.0), (4, "none", 1.0)],
    columns=["kpi_id", "aggregation", "scale"],
)
AGGREGATION = dict(zip(KPIS["kpi_id"], KPIS["aggregation"], strict=True))
SCALE = dict(zip(KPIS["kpi_id"], KPIS["scale"], strict=True))


def generated_tree(rng: np.random.Generator, levels: int) -> pd.DataFrame:
    """unit_id, parent_id, depth: one trust and ``levels`` levels below it, 1–3 children each."""
    units = [(1, np.nan, 0)]
    frontier, next_id = [1], 2
    for depth in range(1, levels + 1):
        below = []
        for parent in frontier:
            for _ in range(int(rng.integers(1, 4))):
                units.append((next_id, parent, depth))
                below.append(next_id)
                next_id += 1
        frontier = below
    return pd.DataFrame(units, columns=["unit_id", "parent_id", "depth"])


def generated_submissions(
    rng: np.random.Generator, tree: pd.DataFrame, months: list, *, missing: float, own_above: float
) -> pd.DataFrame:
    """Random values for the leaves (each missing with probability ``missing``) and a few higher units."""
    leaves = set(tree["unit_id"]) - set(tree["parent_id"].dropna().astype(int))
    rows = []
    for unit in tree["unit_id"]:
        chance = 1 - missing if unit in leaves else own_above
        for month in months:
            for kpi, aggregation in AGGREGATION.items():
                if rng.random() >= chance:
                    continue
                denominator = float(rng.integers(1, 400))
                numerator = float(rng.integers(0, int(denominator) + 1))
                if aggregation == "sum":
                    # A count arrives as the numerator, or as the value alone.
                    alone = rng.random() < 0.3
                    rows.append((kpi, unit, month, np.nan if alone else numerator, np.nan, numerator))
                elif aggregation == "none":
                    rows.append((kpi, unit, month, np.nan, np.nan, float(rng.normal(50, 10))))
                else:
                    value = numerator / denominator * SCALE[kpi]
                    rows.append((kpi, unit, month, numerator, denominator, value))
    frame = pd.DataFrame(rows, columns=["kpi_id", "unit_id", "month", "numerator", "denominator", "value"])
    frame["month"] = pd.to_datetime(frame["month"])
    return frame.assign(is_synthetic=rng.random(len(frame)) < 0.1)


def ancestor_pairs(tree: pd.DataFrame) -> pd.DataFrame:
    """Every (ancestor, descendant) pair with the units strictly between them."""
    parent = dict(zip(tree["unit_id"], tree["parent_id"], strict=True))
    pairs = []
    for unit in tree["unit_id"]:
        between: list[int] = []
        above = parent[unit]
        while not np.isnan(above):
            pairs.append((int(above), int(unit), tuple(between)))
            between.append(int(above))
            above = parent[int(above)]
    return pd.DataFrame(pairs, columns=["ancestor", "unit_id", "between"])


def oracle(submitted: pd.DataFrame, tree: pd.DataFrame) -> pd.DataFrame:
    """The computed values by closure over ancestors, one groupby, completeness from direct children."""
    data = submitted[submitted["kpi_id"].map(AGGREGATION) != "none"].copy()
    is_sum = data["kpi_id"].map(AGGREGATION) == "sum"
    data["numerator"] = data["numerator"].fillna(data["value"].where(is_sum))
    own = set(zip(data["kpi_id"], data["unit_id"], data["month"], strict=True))
    all_own = set(zip(submitted["kpi_id"], submitted["unit_id"], submitted["month"], strict=True))

    reach = data.merge(ancestor_pairs(tree), on="unit_id")
    blocked = [
        (k, a, m) in all_own or any((k, b, m) in all_own for b in between)
        for k, a, m, between in zip(
            reach["kpi_id"], reach["ancestor"], reach["month"], reach["between"], strict=True
        )
    ]
    reach = reach[~np.array(blocked, dtype=bool)]
    totals = (
        reach.groupby(["kpi_id", "ancestor", "month"])
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            is_synthetic=("is_synthetic", "any"),
        )
        .reset_index()
        .rename(columns={"ancestor": "unit_id"})
    )
    ratio = totals["kpi_id"].map(AGGREGATION) != "sum"
    totals["value"] = np.where(
        ratio, totals["numerator"] / totals["denominator"] * totals["kpi_id"].map(SCALE), totals["numerator"]
    )
    totals.loc[~ratio, "denominator"] = np.nan

    # Completeness: which direct children hold a value (their own or a computed one).
    holding = pd.concat([data[["kpi_id", "unit_id", "month"]], totals[["kpi_id", "unit_id", "month"]]])
    holding = holding.merge(tree[["unit_id", "parent_id"]], on="unit_id").dropna(subset=["parent_id"])
    holding["parent_id"] = holding["parent_id"].astype(int)
    contributing = holding.groupby(["kpi_id", "parent_id", "month"])["unit_id"].nunique()
    holding["fy"] = holding["month"].dt.year - (holding["month"].dt.month < 4)
    expected = holding.groupby(["kpi_id", "parent_id", "fy"])["unit_id"].nunique()
    totals["children_contributing"] = [
        contributing[(k, u, m)]
        for k, u, m in zip(totals["kpi_id"], totals["unit_id"], totals["month"], strict=True)
    ]
    totals["children_expected"] = [
        expected[(k, u, m.year - (m.month < 4))]
        for k, u, m in zip(totals["kpi_id"], totals["unit_id"], totals["month"], strict=True)
    ]
    assert not any(
        key in own for key in zip(totals["kpi_id"], totals["unit_id"], totals["month"], strict=True)
    )
    return totals.sort_values(["kpi_id", "unit_id", "month"], ignore_index=True)


def structure_for(tree: pd.DataFrame, months: list) -> pd.DataFrame:
    return tree.merge(pd.DataFrame({"month": months}), how="cross")[
        ["unit_id", "month", "parent_id", "depth"]
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    levels=st.integers(1, 4),
    missing=st.sampled_from([0.0, 0.2, 0.5, 0.9]),
    own_above=st.sampled_from([0.0, 0.05, 0.2]),
    month_count=st.integers(1, 18),
)
def test_rollup_agrees_with_a_pandas_oracle_on_generated_trees(seed, levels, missing, own_above, month_count):
    rng = np.random.default_rng(seed)
    tree = generated_tree(rng, levels)
    months = MONTHS[:month_count]
    submitted = generated_submissions(rng, tree, months, missing=missing, own_above=own_above)

    got = roll_up(submitted, structure_for(tree, months), KPIS)
    want = oracle(submitted, tree)

    keys = ["kpi_id", "unit_id", "month"]
    assert got[keys].astype({"kpi_id": int, "unit_id": int}).values.tolist() == want[keys].values.tolist()
    assert 4 not in set(got["kpi_id"])  # "none" is never computed
    for column in ("numerator", "denominator", "value"):
        np.testing.assert_allclose(got[column].astype(float), want[column].astype(float), rtol=1e-9)
    assert got["children_contributing"].astype(int).tolist() == want["children_contributing"].tolist()
    assert got["children_expected"].astype(int).tolist() == want["children_expected"].tolist()
    assert got["is_synthetic"].astype(bool).tolist() == want["is_synthetic"].astype(bool).tolist()
    assert (got["children_contributing"] <= got["children_expected"]).all()


def test_the_oracle_sees_a_missing_child_as_incomplete():
    """The oracle itself, on a case worked by hand: team 4 misses May, so service 2 has 1 of 2."""
    tree = pd.DataFrame(
        [(1, np.nan, 0), (2, 1, 1), (3, 2, 2), (4, 2, 2)], columns=["unit_id", "parent_id", "depth"]
    )
    apr, may = MONTHS[3], MONTHS[4]
    submitted = pd.DataFrame(
        [(2, 3, apr, 9.0, 10.0, 90.0), (2, 4, apr, 1.0, 10.0, 10.0), (2, 3, may, 8.0, 10.0, 80.0)],
        columns=["kpi_id", "unit_id", "month", "numerator", "denominator", "value"],
    ).assign(is_synthetic=False)
    want = oracle(submitted, tree).set_index(["unit_id", "month"])
    assert want.loc[(2, apr), "value"] == pytest.approx(50.0)
    assert (want.loc[(2, may), "children_contributing"], want.loc[(2, may), "children_expected"]) == (1, 2)
    assert want.loc[(1, may), "value"] == pytest.approx(80.0)
