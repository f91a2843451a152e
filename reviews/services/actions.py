"""The action log: actions agreed at (or after) a PRM, and their dated progress updates. All audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from divisions.models import Level, OrgUnit
from divisions.words import trust_words
from kpis.models import Kpi, StrategicObjective
from pmf.models import User
from pmf.services.audit import record_audit, snapshot, update_audited

from ..models import Action, ActionStatus, ActionUpdate, Meeting

ACTION_FIELDS = ["division_id", "meeting_id", "title", "owner", "due_date", "status", "escalate_to_fpec"]


@transaction.atomic
def create_action(
    *,
    actor: User,
    division: OrgUnit,
    title: str,
    owner: str,
    due_date: date,
    detail: str = "",
    meeting: Meeting | None = None,
    kpis: Iterable[Kpi] = (),
    objective: StrategicObjective | None = None,
    escalate_to_fpec: bool = False,
) -> Action:
    """Record an action for a division, from a meeting or on its own."""
    if division.level != Level.DIVISION:
        raise ValidationError(f"Actions belong to a {trust_words().division.lower()}.")
    if meeting is not None and meeting.division_id != division.pk:
        raise ValidationError(f"The meeting is not {division.name}'s.")
    if not title.strip() or not owner.strip():
        raise ValidationError("An action needs a title and an owner.")
    action = Action.objects.create(
        division=division,
        meeting=meeting,
        title=title.strip(),
        detail=detail.strip(),
        owner=owner.strip(),
        due_date=due_date,
        objective=objective,
        escalate_to_fpec=escalate_to_fpec,
        created_by=actor,
    )
    action.kpis.set(list(kpis))
    record_audit(
        actor=actor,
        verb="created",
        object_type=Action._meta.label,
        object_id=action.pk,
        after={**snapshot(action, ACTION_FIELDS), "kpis": sorted(k.code for k in action.kpis.all())},
    )
    return action


@transaction.atomic
def update_action(*, actor: User, action: Action, note: str, status: str) -> ActionUpdate:
    """A dated progress note from the owning division, moving the action to ``status``."""
    if status not in ActionStatus.values:
        raise ValidationError(f"{status!r} is not an action status.")
    if not note.strip():
        raise ValidationError("Write what has happened.")
    action = Action.objects.select_for_update().get(pk=action.pk)
    update = ActionUpdate.objects.create(action=action, by=actor, note=note.strip(), status=status)
    update_audited(action, actor=actor, verb="action updated", status=status, context={"note": update.note})
    return update


def seed_demo_actions(*, actor: User, due: date) -> int:
    """One example action per division for a demonstration trust; nothing when any action exists."""
    if Action.objects.exists():
        return 0
    divisions = list(OrgUnit.objects.filter(level=Level.DIVISION).order_by("code"))
    for division in divisions:
        create_action(
            actor=actor,
            division=division,
            title="Agree a recovery plan for the key KPIs off plan",
            owner="Managing director",
            due_date=due,
            detail="Example action created with the demonstration trust.",
        )
    return len(divisions)
