"""Reads of the organisation tree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from django.db.models import QuerySet

from .models import LEVEL_DEPTH, Level, LevelLabel, OrgUnit, OrgUnitMove


def trusts() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(level=Level.TRUST).order_by("name")


def default_trust() -> OrgUnit | None:
    return trusts().first()


def divisions_of(trust: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent=trust, level=Level.DIVISION).order_by("name")


def level_labels(trust: OrgUnit) -> dict[str, str]:
    """Singular label per level, with the generic name where the trust set none."""
    labels = {level.value: level.label for level in Level}
    labels.update(LevelLabel.objects.filter(trust=trust).values_list("level", "singular"))
    return labels


def descendant_ids(root: OrgUnit) -> set[int]:
    """The ids of ``root`` and everything under it today (one query)."""
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    found = {root.pk}
    changed = True
    while changed:
        before = len(found)
        found |= {unit for unit, parent in parents.items() if parent in found}
        changed = len(found) != before
    return found


def structure_frame(months: Iterable[date]) -> pd.DataFrame:
    """Each unit's parent and depth in each month it was active (two queries).

    A unit that moved keeps its old parent for the months before the move.
    """
    months = sorted(set(months))
    units = pd.DataFrame(
        OrgUnit.objects.values_list("id", "parent_id", "level", "active_from", "active_to"),
        columns=["unit_id", "parent_id", "level", "active_from", "active_to"],
    )
    if units.empty or not months:
        return pd.DataFrame(columns=["unit_id", "month", "parent_id", "depth"])
    units["depth"] = units["level"].map({level.value: depth for level, depth in LEVEL_DEPTH.items()})
    grid = units.merge(pd.DataFrame({"month": months}), how="cross")
    active = (grid["active_from"] <= grid["month"]) & (
        grid["active_to"].isna() | (grid["active_to"].fillna(date.max) >= grid["month"])
    )
    grid = grid[active].copy()

    moves = pd.DataFrame(
        OrgUnitMove.objects.values_list("unit_id", "from_parent_id", "effective_from"),
        columns=["unit_id", "from_parent_id", "effective_from"],
    )
    if not moves.empty:
        # For a month before a move, the parent is the one the earliest later move left.
        candidates = grid[["unit_id", "month"]].merge(moves, on="unit_id")
        candidates = candidates[candidates["month"] < candidates["effective_from"]]
        earliest = candidates.sort_values("effective_from").drop_duplicates(["unit_id", "month"])
        grid = grid.merge(
            earliest[["unit_id", "month", "from_parent_id"]], on=["unit_id", "month"], how="left"
        )
        grid["parent_id"] = grid["from_parent_id"].combine_first(grid["parent_id"])
    grid["month"] = pd.to_datetime(grid["month"])
    return grid[["unit_id", "month", "parent_id", "depth"]].reset_index(drop=True)
