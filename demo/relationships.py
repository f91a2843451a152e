"""The demonstration trust's lead and lag relationships, each with what its published data shows.

Chosen so that the demonstration shows each thing the relationship page can say: a relationship the data
bears out as a correlation (patients not meeting the criteria to reside and A&E four hours), one it does not
bear out (bed occupancy and A&E four hours), one the data is too short to test (12-hour waits from the
decision to admit, published for the trust from June 2024 only), and a suggestion the performance team
rejected (two series that both trend over nine years). tests/demo/test_relationships.py checks that each
rationale still says what the loaded data shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpis.models import Kpi, KpiRelationship
from kpis.relationships.services import record_relationship
from pmf.models import User


@dataclass(frozen=True)
class DemoRelationship:
    lead: str
    lag: str
    delay_months: int
    status: str
    rationale: str


ACCEPTED, REJECTED = KpiRelationship.Status.ACCEPTED, KpiRelationship.Status.REJECTED

RELATIONSHIPS = {
    "rwd": [
        DemoRelationship(
            "AE-DTA-12H",
            "AE-4H",
            0,
            ACCEPTED,
            "When the hospital is short of beds, admitted patients wait in the emergency department: "
            "waits of over 12 hours from the decision to admit rise, the department crowds, and four-hour "
            "performance falls in the same month. The published data cannot test this yet: NHS England's "
            "monthly file gives the trust's 12-hour waits from June 2024, 14 months, fewer than the 24 "
            "paired months the relationship page needs before it reports a correlation.",
        ),
        DemoRelationship(
            "BED-OCC",
            "AE-4H",
            0,
            ACCEPTED,
            "Expected: with the general and acute beds fuller, patients wait longer in A&E for a bed. The "
            "trust's data does not bear it out: over 40 months (April 2022 to July 2025) the correlation is "
            "weak at every lag from 0 to 6 months, and in the same month r = -0.23 with a 95% confidence "
            "interval (-0.51 to 0.08) that includes zero. Occupancy stayed in a narrow band (88% to 94%), "
            "which leaves it little room to move with anything. Kept as a relationship to watch.",
        ),
        DemoRelationship(
            "NCTR",
            "AE-4H",
            0,
            ACCEPTED,
            "Patients who no longer meet the criteria to reside occupy the beds that A&E's admitted patients "
            "wait for. The data bears this out as a correlation: over 35 months the two move in opposite "
            "directions (in the same month r = -0.65, 95% confidence interval -0.81 to -0.40), and still "
            "clearly at lags up to 4 months. A correlation, not evidence of cause: both also follow winter "
            "pressure.",
        ),
        DemoRelationship(
            "AE-4H",
            "AE-ATT",
            5,
            REJECTED,
            "Suggested by the data (r = -0.86 at a lag of 5 months over 78 paired months) and rejected: "
            "attendances have risen and four-hour performance has fallen over the nine years, so the two "
            "correlate at every lag; four-hour performance does not bring attendances five months later.",
        ),
    ],
}


def seed_demo_relationships(*, actor: User, trust: str) -> list[KpiRelationship]:
    """Record the trust's demonstration relationships as its performance team (idempotent: recording what is
    recorded already changes nothing)."""
    kpis = {k.code: k for k in Kpi.objects.all()}
    return [
        record_relationship(
            actor=actor,
            lead=kpis[r.lead],
            lag=kpis[r.lag],
            delay_months=r.delay_months,
            rationale=r.rationale,
            status=r.status,
        )
        for r in RELATIONSHIPS.get(trust, [])
        if r.lead in kpis and r.lag in kpis
    ]
