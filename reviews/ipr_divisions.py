"""The IPR's divisional breakdown (DESIGN §4.8): each division's position and its KPI grid for the month.

Part of the IPR content (`reviews.ipr_selectors.ipr_content`), so it is frozen in a published report's
snapshot with the rest. Five queries whatever the number of divisions, KPIs and months: the divisions,
their ratings for the month, their published values for the month, and the plans (targets, trajectories).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from divisions.models import Level, OrgUnit
from kpis.assessment import Outcome, assess
from kpis.models import Kpi, Measurement
from kpis.plans import REQUEST_COLUMNS
from kpis.selectors import plans

from .models import DivisionRating
from .ratings import ulht_label

# The grid's three states (DESIGN §4.3): within tolerance is still not met; no value is not met for the
# reason "no data", shown apart so the Board sees a gap in the data rather than a failure of care.
GRID_STATES = {
    Outcome.MET: "met",
    Outcome.WITHIN_TOLERANCE: "not_met",
    Outcome.NOT_MET: "not_met",
    Outcome.NO_DATA: "no_data",
    Outcome.NOT_ASSESSED: "not_assessed",
}


def _position(rating: DivisionRating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "position": rating.effective_position,
        "label": ulht_label(rating.effective_position),
        "computed_position": rating.computed_position,
        "review_frequency": rating.review_frequency,
        "in_special_measures": rating.in_special_measures,
        "reason": rating.effective_reason or rating.explanation,
        "criteria": [{"code": c["code"], "name": c["name"], "met": c["all_met"]} for c in rating.criteria],
    }


def divisional_breakdown(trust: OrgUnit, month: date, kpis: list[Kpi]) -> dict[str, Any]:
    """Each division of ``trust`` with its position for ``month``, and the division × KPI grid.

    1. Read the divisions, their stored ratings for the month and their published values for the month.
    2. The grid lists every KPI that at least one division reported this month, in catalogue order; a
       division without a value for it shows "no data".
    3. Each cell is assessed against the division's own plan for the month: met, not met (including within
       tolerance) or no data; KPIs with no direction or no plan are "not assessed".
    """
    divisions = list(OrgUnit.objects.filter(parent=trust, level=Level.DIVISION).order_by("name"))
    ids = [d.pk for d in divisions]
    ratings = {r.division_id: r for r in DivisionRating.objects.filter(division_id__in=ids, month=month)}
    values = {
        (kpi_id, unit_id): value
        for kpi_id, unit_id, value in Measurement.objects.filter(
            org_unit_id__in=ids, month=month, status=Measurement.Status.PUBLISHED
        ).values_list("kpi_id", "org_unit_id", "value")
    }
    reported = {kpi_id for kpi_id, _ in values}
    shown = [k for k in kpis if k.pk in reported]
    plan_at: dict[tuple[int, int], tuple[float | None, float]] = {}
    requests = pd.DataFrame([(k.pk, d, month) for k in shown for d in ids], columns=REQUEST_COLUMNS)
    if len(requests):
        resolved = plans(requests, unit_ids=ids)
        for kpi_id, unit_id, plan, tolerance in resolved[
            ["kpi_id", "unit_id", "plan", "tolerance"]
        ].itertuples(index=False):
            plan_at[(int(kpi_id), int(unit_id))] = (None if pd.isna(plan) else float(plan), float(tolerance))

    def cell(kpi: Kpi, division: OrgUnit) -> dict[str, Any]:
        value = values.get((kpi.pk, division.pk))
        plan, tolerance = plan_at.get((kpi.pk, division.pk), (None, 0.0))
        outcome = assess(value, plan, kpi.direction, tolerance).outcome
        return {"value": value, "plan": plan, "state": GRID_STATES[outcome]}

    return {
        "divisions": [
            {"code": d.code, "name": d.name, "rating": _position(ratings.get(d.pk))} for d in divisions
        ],
        "grid": [
            {
                "code": k.code,
                "name": k.name,
                "unit": k.unit,
                "domain": k.domain.name,
                "is_key": k.is_key,
                "cells": [cell(k, d) for d in divisions],
            }
            for k in shown
        ],
    }


def grid_counts(breakdown: dict[str, Any]) -> list[dict[str, int]]:
    """Per division, in the breakdown's order: how many of its grid KPIs are met, not met, without data."""
    counts = [{"met": 0, "not_met": 0, "no_data": 0} for _ in breakdown.get("divisions", [])]
    for row in breakdown.get("grid", []):
        for i, c in enumerate(row["cells"]):
            if c["state"] in counts[i]:
                counts[i][c["state"]] += 1
    return counts
