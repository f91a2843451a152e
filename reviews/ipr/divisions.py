"""The IPR's divisional breakdown (DESIGN §4.8): each division's position and its KPI grid for the month.

Part of the IPR content (`reviews.ipr.selectors.ipr_content`), so it is frozen in a published report's
snapshot with the rest. The cells are the divisions' standings (`kpis.selectors.standings`), read by the IPR
with the trust's; this reads only the divisions' ratings for the month (one query).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from divisions.models import OrgUnit
from kpis.assessment import Outcome
from kpis.models import Kpi
from kpis.selectors import Standings
from kpis.selectors.standing import applies_at

from ..models import DivisionRating
from ..ratings import ulht_label

# The grid's three states (DESIGN §4.3): within tolerance is still not met; no value is not met for the
# reason "no data", shown apart so the Board sees a gap in the data rather than a failure of care.
GRID_STATES = {
    Outcome.MET: "met",
    Outcome.WITHIN_TOLERANCE: "not_met",
    Outcome.NOT_MET: "not_met",
    Outcome.NO_DATA: "no_data",
    Outcome.NOT_ASSESSED: "not_assessed",
}
# A division with no value for a KPI the catalogue does not expect of it (``kpis.standing.applies``) is
# "not applicable": not a gap in the data, so not counted as one.
NOT_APPLICABLE = "not_applicable"


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


def divisional_breakdown(
    divisions: list[OrgUnit], month: date, kpis: list[Kpi], standings: Standings
) -> dict[str, Any]:
    """Each division with its position for ``month``, and the division × KPI grid.

    1. Read the divisions' stored ratings for the month.
    2. The grid lists every KPI that at least one division reported this month, in catalogue order; a
       division without a value for it shows "no data".
    3. Each cell is the division's standing: met, not met (including within tolerance) or no data against
       its own plan for the month; KPIs with no direction or no plan are "not assessed". A cell with no
       value for a KPI the catalogue does not expect of the division (``applies_at``) is "not applicable".
    """
    ids = [d.pk for d in divisions]
    ratings = {r.division_id: r for r in DivisionRating.objects.filter(division_id__in=ids, month=month)}
    cells = {
        (k.pk, d): standing
        for k in kpis
        for d in ids
        if (standing := standings.at(k.pk, d, month)) is not None
    }
    reported = {kpi_id for (kpi_id, _), standing in cells.items() if standing.reading is not None}
    shown = [k for k in kpis if k.pk in reported]

    def cell(kpi: Kpi, division: OrgUnit) -> dict[str, Any]:
        standing = cells[(kpi.pk, division.pk)]
        state = GRID_STATES[standing.outcome]
        if standing.reading is None and not applies_at(kpi, division, month):
            state = NOT_APPLICABLE
        return {"value": standing.value, "plan": standing.plan.plan, "state": state}

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
    """Per division, in the breakdown's order: how many of its grid KPIs are met, not met, without data (a KPI
    that does not apply to the division is none of these)."""
    counts = [{"met": 0, "not_met": 0, "no_data": 0} for _ in breakdown.get("divisions", [])]
    for row in breakdown.get("grid", []):
        for i, c in enumerate(row["cells"]):
            if c["state"] in counts[i]:
                counts[i][c["state"]] += 1
    return counts
