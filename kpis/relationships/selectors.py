"""Reads for lead and lag: a KPI's related indicators, a pair's lagged correlation, and the suggestion list.

Each read runs a fixed number of queries, whatever the number of KPIs, relationships or months.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.db.models import Q

from divisions.models import Level, OrgUnit
from kpis.models import Kpi, KpiRelationship, Measurement
from kpis.selectors import standings
from kpis.standing import KpiStanding, Reading, chosen_readings

from .correlation import (
    LAGS,
    MIN_PAIRS,
    SUGGESTION_THRESHOLD,
    LagCorrelation,
    best_lag,
    lagged_correlations,
    strong_pairs,
)

Series = dict[date, float]


def monthly_values(
    kpi_ids: Iterable[int], unit_id: int, *, real_only: bool = False
) -> tuple[dict[int, Series], set[int]]:
    """Each KPI's published monthly values at the unit, the submitted one where a roll-up was published too
    (``kpis.standing.chosen_readings``), and the ids of the KPIs any of whose values are generated for
    demonstration. With ``real_only`` those generated values are left out. One query."""
    query = Measurement.objects.filter(
        status=Measurement.Status.PUBLISHED, org_unit_id=unit_id, kpi_id__in=list(kpi_ids)
    )
    if real_only:
        query = query.filter(is_synthetic=False)
    readings = chosen_readings(
        Reading(kpi, unit, month, value, rollup, synthetic)
        for kpi, unit, month, value, rollup, synthetic in query.order_by().values_list(
            "kpi_id", "org_unit_id", "month", "value", "is_rollup", "is_synthetic"
        )
    )
    values: dict[int, Series] = {}
    synthetic: set[int] = set()
    for reading in readings.values():
        values.setdefault(reading.kpi_id, {})[reading.month] = reading.value
        if reading.is_synthetic:
            synthetic.add(reading.kpi_id)
    return values, synthetic


@dataclass(frozen=True)
class RelatedIndicator:
    """A KPI related to the one on the page: it leads it, or it lags behind it, with its latest standing."""

    relationship: KpiRelationship
    kpi: Kpi
    role: Literal["lead", "lag"]  # what the related KPI is to the page's KPI
    standing: KpiStanding | None


def related_indicators(kpi: Kpi, unit: OrgUnit) -> list[RelatedIndicator]:
    """The accepted relationships of ``kpi``, each with the other KPI's latest standing at ``unit``: the
    relationships in one query, the standings in the fixed few of ``kpis.selectors.standings``."""
    relationships = list(
        KpiRelationship.objects.filter(Q(lead=kpi) | Q(lag=kpi), status=KpiRelationship.Status.ACCEPTED)
        .select_related("lead", "lag")
        .order_by("lead__code", "lag__code")
    )
    if not relationships:
        return []
    others = {r.lag if r.lead_id == kpi.pk else r.lead for r in relationships}
    latest = {
        s.kpi_id: s
        for s in standings([unit.pk], None, kpis=sorted(others, key=lambda k: k.pk), with_spc=True)
    }
    rows = []
    for r in relationships:
        leads = r.lag_id == kpi.pk
        other = r.lead if leads else r.lag
        rows.append(RelatedIndicator(r, other, "lead" if leads else "lag", latest.get(other.pk)))
    return sorted(rows, key=lambda row: (row.role != "lead", row.kpi.code))


@dataclass(frozen=True)
class PairCorrelation:
    """What the relationship page shows for a pair at a unit."""

    lead: Kpi
    lag: Kpi
    unit: OrgUnit
    units: list[OrgUnit]  # the units the page offers: the trust and its divisions
    relationship: KpiRelationship | None
    correlations: list[LagCorrelation]
    first_month: date | None
    last_month: date | None
    synthetic: bool
    min_pairs: int = MIN_PAIRS
    lags: tuple[int, ...] = field(default=LAGS)

    @property
    def best(self) -> LagCorrelation | None:
        return best_lag(self.correlations)

    @property
    def at_expected_delay(self) -> LagCorrelation | None:
        if self.relationship is None:
            return None
        return next((c for c in self.correlations if c.lag == self.relationship.delay_months), None)

    @property
    def any_enough(self) -> bool:
        return any(c.enough_pairs for c in self.correlations)


def unit_choices() -> list[OrgUnit]:
    """The units a relationship can be read at: each trust and its divisions, trust first (one query)."""
    rows = OrgUnit.objects.filter(level__in=[Level.TRUST, Level.DIVISION]).select_related("parent")
    trusts = sorted((u for u in rows if u.level == Level.TRUST), key=lambda u: u.name)
    ordered: list[OrgUnit] = []
    for trust in trusts:
        ordered.append(trust)
        ordered.extend(sorted((u for u in rows if u.parent_id == trust.pk), key=lambda u: u.name))
    return ordered


def pair_correlation(lead: Kpi, lag: Kpi, unit: OrgUnit, units: list[OrgUnit]) -> PairCorrelation:
    """The pair's lagged correlation at ``unit`` (lags 0 to 6) and its recorded relationship: two queries."""
    relationship = KpiRelationship.objects.filter(lead=lead, lag=lag).select_related("decided_by").first()
    values, synthetic = monthly_values([lead.pk, lag.pk], unit.pk)
    lead_values, lag_values = values.get(lead.pk, {}), values.get(lag.pk, {})
    months = sorted({*lead_values, *lag_values})
    return PairCorrelation(
        lead=lead,
        lag=lag,
        unit=unit,
        units=units,
        relationship=relationship,
        correlations=lagged_correlations(lead_values, lag_values),
        first_month=months[0] if months else None,
        last_month=months[-1] if months else None,
        synthetic=bool(synthetic),
    )


@dataclass(frozen=True)
class Suggestion:
    lead: Kpi
    lag: Kpi
    best: LagCorrelation
    recorded: KpiRelationship | None = None  # a suggestion someone recorded, awaiting a decision


@dataclass(frozen=True)
class Suggestions:
    trust: OrgUnit | None
    rows: list[Suggestion]
    undecided: list[Suggestion]  # recorded as suggested, with what the data shows now
    threshold: float = SUGGESTION_THRESHOLD
    min_pairs: int = MIN_PAIRS


def suggestions(trust: OrgUnit | None) -> Suggestions:
    """Strong lagged correlations across every pair of KPIs at the trust, not yet accepted or rejected.

    1. Read every KPI, the recorded relationships and the trust's published values, real ones only (a
       series generated for demonstration would suggest what no trust's data shows): three queries.
    2. Scan every pair (``correlation.strong_pairs``), leaving out the pairs already recorded either way.
    3. List the relationships recorded as suggested, with their strongest lag now, for a decision.
    """
    if trust is None:
        return Suggestions(None, [], [])
    kpis = {k.pk: k for k in Kpi.objects.all()}
    recorded = list(KpiRelationship.objects.all())
    values, _ = monthly_values(kpis, trust.pk, real_only=True)
    found = strong_pairs(values, leave_out=[(r.lead_id, r.lag_id) for r in recorded])
    undecided = []
    for r in recorded:
        if r.status != KpiRelationship.Status.SUGGESTED:
            continue
        best = best_lag(lagged_correlations(values.get(r.lead_id, {}), values.get(r.lag_id, {})))
        undecided.append(
            Suggestion(kpis[r.lead_id], kpis[r.lag_id], best or LagCorrelation(r.delay_months, 0), r)
        )
    return Suggestions(
        trust=trust,
        rows=[Suggestion(kpis[c.lead], kpis[c.lag], c.best) for c in found],
        undecided=undecided,
    )


def relationship_list() -> list[KpiRelationship]:
    """Every recorded relationship, accepted first: one query."""
    order = {s: i for i, s in enumerate(KpiRelationship.Status.values)}
    rows = list(KpiRelationship.objects.select_related("lead", "lag", "decided_by"))
    return sorted(rows, key=lambda r: (order[r.status], r.lead.code, r.lag.code))
