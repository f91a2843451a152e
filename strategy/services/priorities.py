"""Setting the Board's priorities and milestones, and the owners' monthly updates. Every write is audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from divisions.models import OrgUnit
from kpis.models import Kpi
from pmf.models import User
from pmf.periods import FinancialYear, month_start
from pmf.services.audit import Actor, record_audit, snapshot

from ..models import Milestone, Priority, PriorityStatus, PriorityUpdate

PRIORITY_FIELDS = ["year", "title", "description", "owner_id", "objectives", "division_id"]
MILESTONE_FIELDS = ["priority_id", "title", "due_date", "completed_on", "org_unit_id"]
UPDATE_FIELDS = ["priority_id", "month", "status", "narrative", "evidence", "author_id"]


def _links(priority: Priority) -> dict[str, Any]:
    """The priority's KPIs and actions, as the audit trail records them."""
    return {
        "kpis": sorted(priority.kpis.values_list("code", flat=True)),
        "actions": sorted(priority.actions.values_list("pk", flat=True)),
    }


@transaction.atomic
def save_priority(
    *,
    actor: Actor,
    year: int,
    title: str,
    owner: User,
    priority: Priority | None = None,
    description: str = "",
    objectives: str = "",
    division: OrgUnit | None = None,
    kpis: Iterable[Kpi] = (),
    actions: Iterable[Any] = (),  # reviews.Action rows: this app sits below reviews
) -> Priority:
    """Create a priority for financial year ``year``, or change ``priority``; its KPIs and actions become
    those given."""
    if not title.strip():
        raise ValidationError("A priority needs a title.")
    FinancialYear(year)  # a plausible year is checked by the database too
    clash = Priority.objects.filter(year=year, title__iexact=title.strip())
    if priority is not None:
        clash = clash.exclude(pk=priority.pk)
    if clash.exists():
        raise ValidationError(f"{FinancialYear(year).label} already has a priority called {title.strip()!r}.")
    before = None
    if priority is None:
        priority = Priority(year=year)
    else:
        priority = Priority.objects.select_for_update().get(pk=priority.pk)
        before = {**snapshot(priority, PRIORITY_FIELDS), **_links(priority)}
    priority.year = year
    priority.title = title.strip()
    priority.description = description.strip()
    priority.owner = owner
    priority.objectives = objectives.strip()
    priority.division = division
    priority.save()
    priority.kpis.set(list(kpis))
    priority.actions.set(list(actions))
    _audit(actor, priority, before, {**snapshot(priority, PRIORITY_FIELDS), **_links(priority)})
    return priority


@transaction.atomic
def save_milestone(
    *,
    actor: Actor,
    priority: Priority,
    title: str,
    due_date: date,
    milestone: Milestone | None = None,
    completed_on: date | None = None,
    org_unit: OrgUnit | None = None,
) -> Milestone:
    """Add a milestone to ``priority``, or change ``milestone`` (its dates, its unit, or marking it done)."""
    if not title.strip():
        raise ValidationError("A milestone needs a title.")
    clash = Milestone.objects.filter(priority=priority, title__iexact=title.strip())
    if milestone is not None:
        clash = clash.exclude(pk=milestone.pk)
    if clash.exists():
        raise ValidationError(f"{priority.title} already has a milestone called {title.strip()!r}.")
    before = None
    if milestone is None:
        milestone = Milestone(priority=priority)
    else:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, priority=priority)
        before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.title = title.strip()
    milestone.due_date = due_date
    milestone.completed_on = completed_on
    milestone.org_unit = org_unit
    milestone.save()
    _audit(actor, milestone, before, snapshot(milestone, MILESTONE_FIELDS))
    return milestone


@transaction.atomic
def write_update(
    *,
    actor: User,
    priority: Priority,
    month: date,
    status: str,
    narrative: str,
    evidence: str = "",
    today: date | None = None,
) -> PriorityUpdate:
    """The owner's update for ``month``: written once, and edited by writing it again (the audit keeps what
    it said before).

    1. The month is a month of the priority's financial year, and not after the current one.
    2. The status is one of on track, at risk, off track or complete, and the narrative is not empty.
    3. Create the month's update, or replace the one there, and audit the change.
    """
    today = today or date.today()
    month = month_start(month)
    if month not in FinancialYear(priority.year).months:
        raise ValidationError(f"{priority.title} is a priority for {FinancialYear(priority.year).label}.")
    if month > month_start(today):
        raise ValidationError("An update cannot be written for a month still to come.")
    if status not in PriorityStatus.values:
        raise ValidationError(f"{status!r} is not a priority status.")
    if not narrative.strip():
        raise ValidationError("Write how the priority is progressing.")
    update = PriorityUpdate.objects.select_for_update().filter(priority=priority, month=month).first()
    before = snapshot(update, UPDATE_FIELDS) if update is not None else None
    if update is None:
        update = PriorityUpdate(priority=priority, month=month)
    update.status = status
    update.narrative = narrative.strip()
    update.evidence = evidence.strip()
    update.author = actor
    update.save()
    _audit(
        actor,
        update,
        before,
        snapshot(update, UPDATE_FIELDS),
        verbs=("priority update written", "priority update edited"),
    )
    return update


def _audit(
    actor: Actor,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    *,
    verbs: tuple[str, str] = ("created", "updated"),
) -> None:
    """Record a create (no ``before``) or a change; nothing when a save changed nothing."""
    if before != after:
        record_audit(
            actor=actor,
            verb=verbs[0] if before is None else verbs[1],
            object_type=instance._meta.label,
            object_id=instance.pk,
            before=before,
            after=after,
        )
