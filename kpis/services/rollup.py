"""Recomputing roll-up values after a publish (the arithmetic is in ``kpis/rollup.py``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import pandas as pd
from django.db import transaction

from divisions.selectors import structure_frame
from pmf.periods import FinancialYear

from .. import rollup
from ..models import Kpi, Measurement
from ..selectors.published import KEY, current_values
from .revisions import apply_changes


@dataclass(frozen=True)
class RollupResult:
    added: int
    restated: int
    unchanged: int
    withdrawn: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.restated or self.withdrawn)


@transaction.atomic
def refresh_rollups(*, months: list[date]) -> RollupResult:
    """Bring the computed values for every financial year touching ``months`` up to date.

    Steps:
    1. Widen to whole financial years (expected children are counted per year).
    2. Read the submitted current values and the structure of those months.
    3. Compute the roll-up; insert new values, re-issue changed ones as new revisions,
       and withdraw (supersede) computed values that no longer have any children.
    """
    years = {FinancialYear.containing(m) for m in months}
    all_months = sorted(m for fy in years for m in fy.months)
    submitted = current_values(months=all_months, is_rollup=False).rename(columns={"org_unit_id": "unit_id"})
    kpis = pd.DataFrame(
        [(k.pk, k.aggregation, k.scale) for k in Kpi.objects.only("id", "aggregation", "unit")],
        columns=rollup.KPI_COLUMNS,
    )
    computed = rollup.roll_up(submitted, structure_frame(all_months), kpis)
    computed = computed.rename(columns={"unit_id": "org_unit_id"})
    computed["month"] = pd.to_datetime(computed["month"]).dt.date
    for column in ("kpi_id", "org_unit_id", "children_contributing", "children_expected"):
        computed[column] = computed[column].astype(int)

    existing = current_values(months=all_months, is_rollup=True)
    added, restated, unchanged = apply_changes(
        incoming=computed,
        existing=existing,
        upload=None,
        is_rollup=True,
        extra=["children_contributing", "children_expected", "is_synthetic"],
    )
    gone = existing.merge(computed[KEY], on=KEY, how="left", indicator=True)
    gone_ids = gone.loc[gone["_merge"] == "left_only", "id"].astype(int).tolist()
    Measurement.objects.filter(pk__in=gone_ids).update(status=Measurement.Status.SUPERSEDED)
    return RollupResult(added=added, restated=restated, unchanged=unchanged, withdrawn=len(gone_ids))
