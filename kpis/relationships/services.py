"""Recording lead and lag relationships: accepted, suggested or rejected, each change audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kpis.models import Kpi, KpiRelationship
from kpis.models.relationships import MAX_DELAY_MONTHS
from pmf.models import User
from pmf.services.audit import Actor, record_change, snapshot

AUDITED = ["lead_id", "lag_id", "delay_months", "rationale", "status", "decided_by_id", "decided_at"]
VERBS: dict[str, str] = {
    KpiRelationship.Status.ACCEPTED: "accepted relationship",
    KpiRelationship.Status.SUGGESTED: "suggested relationship",
    KpiRelationship.Status.REJECTED: "rejected relationship",
}


@transaction.atomic
def record_relationship(
    *,
    actor: Actor,
    lead: Kpi,
    lag: Kpi,
    delay_months: int,
    rationale: str = "",
    status: str = KpiRelationship.Status.ACCEPTED,
) -> KpiRelationship:
    """Make the pair's relationship say this, and audit what it said before.

    1. Refuse a KPI related to itself, a delay outside 0 to 12 months, or an unknown status.
    2. Lock the pair's row if it exists (two people deciding at once write one after the other).
    3. Set the delay, rationale and status, and who decided it and when.
    4. Audit the change with the verb of the status ("accepted relationship" …), before and after.
    Recording what is already recorded changes nothing, so a loader may run twice.
    A rejected pair is kept, so the suggestion list does not offer it again.
    """
    if lead.pk == lag.pk:
        raise ValidationError("A KPI cannot lead itself: choose two different KPIs.")
    if not 0 <= delay_months <= MAX_DELAY_MONTHS:
        raise ValidationError(f"The delay is between 0 and {MAX_DELAY_MONTHS} months.")
    if status not in KpiRelationship.Status.values:
        raise ValidationError(f"No such status: {status}.")
    relationship = KpiRelationship.objects.select_for_update().filter(lead=lead, lag=lag).first()
    if relationship is not None and (
        relationship.delay_months,
        relationship.rationale,
        relationship.status,
    ) == (
        delay_months,
        rationale.strip(),
        status,
    ):
        return relationship  # as it was: nothing to decide again, nothing to audit (a loader run twice)
    before = None if relationship is None else snapshot(relationship, AUDITED)
    if relationship is None:
        relationship = KpiRelationship(lead=lead, lag=lag)
    relationship.delay_months = delay_months
    relationship.rationale = rationale.strip()
    relationship.status = status
    relationship.decided_by = actor if isinstance(actor, User) and actor.is_authenticated else None
    relationship.decided_at = timezone.now()
    relationship.full_clean()
    relationship.save()
    record_change(actor=actor, instance=relationship, before=before or None, verb=VERBS[relationship.status])
    return relationship
