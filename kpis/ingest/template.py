"""The pre-filled file a team fills in: every expected KPI × unit row for one month.

``catalogue_pairs`` says which KPI × unit rows the catalogue expects for a month, so that a new trust's
first template is complete before anything has been reported; ``template_frame`` lays the rows out;
``next_unpublished_month`` is the month a template is for unless another is asked for.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .reader import COLUMNS

# kpi_id, kpi_code, aggregation, reporting_level ("" when the catalogue leaves it to be inferred), for the
# KPIs in force that month
KPI_PAIR_COLUMNS = ["kpi_id", "kpi_code", "aggregation", "reporting_level"]
# org_unit_id, org_code, level, parent_id, active_from, active_to (every unit of the organisation)
UNIT_PAIR_COLUMNS = ["org_unit_id", "org_code", "level", "parent_id", "active_from", "active_to"]
# kpi_id, level: the levels each KPI was reported at lately
REPORTED_LEVEL_COLUMNS = ["kpi_id", "level"]
PAIR_COLUMNS = ["kpi_id", "org_unit_id", "kpi_code", "org_code"]


def catalogue_pairs(
    *, kpis: pd.DataFrame, units: pd.DataFrame, reported_levels: pd.DataFrame, month: date
) -> pd.DataFrame:
    """The KPI × unit rows the catalogue expects for ``month`` (``PAIR_COLUMNS``).

    1. The units are those active that month.
    2. A KPI whose catalogue entry names its reporting level (DESIGN §7) is expected of every unit at that
       level, whatever was reported before. Any other KPI's reporting levels are the levels it was reported
       at lately (``reported_levels``); one never reported yet takes the catalogue's default: an aggregable
       KPI (sum, ratio, weighted mean) is submitted by the units at the bottom of the tree and rolled up from
       them; a KPI that cannot be rolled up (a median, a centile) is submitted by every unit, the trust
       included.
    3. An aggregable KPI is expected of a unit at one of its levels only where no unit below it, at one of
       those levels too, submits it instead (a ward submitting in place of its specialty); the rest is the
       roll-up's work. A KPI that cannot be rolled up is expected of every unit at its levels.
    """
    stamp = pd.Timestamp(month)
    active_to = pd.to_datetime(units["active_to"])
    live = units[
        (pd.to_datetime(units["active_from"]) <= stamp) & (active_to.isna() | (active_to >= stamp)).to_numpy()
    ]
    if live.empty or kpis.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    parents = live.set_index("org_unit_id")["parent_id"]
    ancestors = _ancestors(parents)
    leaves = set(live["org_unit_id"]) - set(live["parent_id"].dropna().astype(int))
    named = kpis["reporting_level"] != ""
    catalogue_levels = kpis[named][["kpi_id", "reporting_level"]].rename(columns={"reporting_level": "level"})
    levels = reported_levels[REPORTED_LEVEL_COLUMNS].drop_duplicates()
    levels = levels[levels["kpi_id"].isin(kpis[~named]["kpi_id"])]
    never_reported = kpis[~named & ~kpis["kpi_id"].isin(levels["kpi_id"])]
    aggregable = never_reported["aggregation"] != "none"
    default_levels = pd.concat(
        [
            never_reported[aggregable][["kpi_id"]].assign(leaf=True, level=""),
            never_reported[~aggregable][["kpi_id"]]
            .merge(live[["level"]].drop_duplicates(), how="cross")
            .assign(leaf=False),
        ]
    )
    chosen = pd.concat([catalogue_levels.assign(leaf=False), levels.assign(leaf=False), default_levels])
    chosen = chosen.merge(kpis[KPI_PAIR_COLUMNS], on="kpi_id")
    by_level = chosen[~chosen["leaf"]].merge(live, on="level")
    at_leaves = chosen[chosen["leaf"]][KPI_PAIR_COLUMNS].merge(
        live[live["org_unit_id"].isin(leaves)], how="cross"
    )
    pairs = pd.concat([by_level, at_leaves])[[*PAIR_COLUMNS, "aggregation"]].drop_duplicates(
        ["kpi_id", "org_unit_id"]
    )
    # Step 3: drop an aggregable KPI's unit when a unit below it is expected to submit the same KPI.
    covered = {
        (kpi_id, ancestor)
        for kpi_id, unit_id in zip(pairs["kpi_id"], pairs["org_unit_id"], strict=True)
        for ancestor in ancestors.get(unit_id, ())
    }
    rolled_up = (pairs["aggregation"] != "none") & pd.Series(
        [(k, u) in covered for k, u in zip(pairs["kpi_id"], pairs["org_unit_id"], strict=True)],
        index=pairs.index,
        dtype=bool,
    )
    return pairs[~rolled_up][PAIR_COLUMNS].sort_values(["kpi_id", "org_unit_id"]).reset_index(drop=True)


def _ancestors(parents: pd.Series) -> dict[int, tuple[int, ...]]:
    """Each unit's chain of parents among ``parents`` (unit id → parent id), nearest first."""
    parent_of = {int(u): int(p) for u, p in parents.dropna().items()}
    chains: dict[int, tuple[int, ...]] = {}
    for unit in parents.index:
        chain: list[int] = []
        here = int(unit)
        while here in parent_of and len(chain) < len(parent_of):
            here = parent_of[here]
            chain.append(here)
        chains[int(unit)] = tuple(chain)
    return chains


def next_unpublished_month(*, latest_published: date | None, today: date) -> date:
    """The month a template is for by default: the month after the latest published one.

    A trust with nothing published yet, or one that is up to date, gets the last month that has ended (a
    month still running cannot be submitted).
    """
    last_ended = (pd.Timestamp(today.year, today.month, 1) - pd.DateOffset(months=1)).date()
    if latest_published is None:
        return last_ended
    following = (pd.Timestamp(latest_published) + pd.DateOffset(months=1)).date()
    return min(following, last_ended)


def template_frame(expected: pd.DataFrame, month: date) -> pd.DataFrame:
    """``expected`` has kpi_code and org_code; the result has ``COLUMNS``, numbers left blank.

    Rows are ordered by unit then KPI, the order in which a team works through its return.
    """
    rows = expected[["kpi_code", "org_code"]].drop_duplicates().sort_values(["org_code", "kpi_code"])
    return rows.assign(month=month.strftime("%Y-%m"), numerator="", denominator="", value="")[list(COLUMNS)]
