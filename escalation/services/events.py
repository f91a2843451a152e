"""Every step of a case is an EscalationEvent (who, when, why) and an AuditEvent (before → after)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pmf.services.audit import Actor, record_audit, snapshot, update_audited

from ..models import EscalationCase, EscalationEvent

CASE_FIELDS = [
    "status",
    "level",
    "committee_id",
    "decision",
    "plan_agreed_on",
    "special_measures_id",
    "closed_at",
]


def case_state(case: EscalationCase) -> dict[str, Any]:
    return snapshot(case, CASE_FIELDS)


def record_step(
    *, case: EscalationCase, kind: str, actor: Actor, note: str, before: dict[str, Any] | None
) -> EscalationEvent:
    """Write the case's event and the audit event for one step (the case is already saved, or unchanged)."""
    record_audit(
        actor=actor,
        verb=_verb(kind),
        object_type=EscalationCase._meta.label,
        object_id=case.reference,
        before=before,
        after=case_state(case),
        note=note,
    )
    return _event(case, kind=kind, actor=actor, note=note)


def take_step(
    *,
    case: EscalationCase,
    kind: str,
    actor: Actor,
    note: str,
    context: dict[str, Any] | None = None,
    **fields: Any,
) -> EscalationEvent:
    """Move ``case`` one step: save ``fields``, audit the case's state before and after (with ``context``,
    what the step knew that is no field of the case), record the event."""
    update_audited(
        case,
        actor=actor,
        verb=_verb(kind),
        why=note,
        audited=CASE_FIELDS,
        object_id=case.reference,
        context=context,
        **fields,
    )
    return _event(case, kind=kind, actor=actor, note=note)


def _verb(kind: str) -> str:
    return f"escalation {kind.replace('_', ' ')}"


def _event(case: EscalationCase, *, kind: str, actor: Actor, note: str) -> EscalationEvent:
    by = actor if actor is not None and actor.is_authenticated else None
    return EscalationEvent.objects.create(case=case, at=timezone.now(), by=by, kind=kind, note=note)
