"""Writing a person's PDR objectives and the progress recorded on them; every change audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from kpis.models import Kpi
from pmf.models import User
from pmf.services.audit import Actor, record_change, snapshot
from reviews.models import Action
from strategy.models import Priority

from ..models import Objective, ObjectiveStatus, ObjectiveUpdate

FIELDS = ["title", "detail", "kpi", "priority", "action", "due_date"]


@transaction.atomic
def save_objective(
    *,
    actor: Actor,
    person: User,
    year: int,
    title: str,
    detail: str = "",
    kpi: Kpi | None = None,
    priority: Priority | None = None,
    action: Action | None = None,
    due_date: date | None = None,
    objective: Objective | None = None,
) -> Objective:
    """Set one of ``person``'s objectives for ``year`` (a new one when ``objective`` is None).

    1. It needs a title and a link: a KPI, one of the Board's priorities or an action (several may be given).
    2. Saved, and audited with what it said before; saving it unchanged writes nothing.
    """
    if not title.strip():
        raise ValidationError("An objective needs a title.")
    if kpi is None and priority is None and action is None:
        raise ValidationError("Link the objective to a KPI, a priority or an action.")
    values = {
        "title": title.strip(),
        "detail": detail.strip(),
        "kpi": kpi,
        "priority": priority,
        "action": action,
        "due_date": due_date,
    }
    if objective is None:
        objective = Objective(person=person, year=year, **values)
        objective.full_clean()
        objective.save()
        record_change(actor=actor, instance=objective, before=None, note="objective set")
        return objective
    if objective.person_id != person.pk:
        raise ValidationError("The objective is someone else's.")
    attnames = [Objective._meta.get_field(name).attname for name in FIELDS]  # type: ignore[union-attr]
    before = snapshot(objective, attnames)
    for name, value in values.items():
        setattr(objective, name, value)
    if snapshot(objective, attnames) == before:
        return objective
    objective.full_clean()
    objective.save(update_fields=FIELDS)
    record_change(actor=actor, instance=objective, before=before, note="objective changed")
    return objective


@transaction.atomic
def record_progress(
    *, actor: User, objective: Objective, status: str, percent_complete: int | None = None, note: str = ""
) -> ObjectiveUpdate:
    """Progress on an objective, dated and signed: its status, and a percentage complete or a narrative (or
    both). The objective then reads as its latest progress; the update and the change are audited."""
    if status not in ObjectiveStatus.values:
        raise ValidationError(f"{status!r} is not a status of an objective.")
    if percent_complete is None and not note.strip():
        raise ValidationError("Give the percentage complete or say how it is going.")
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise ValidationError("The percentage complete is between 0 and 100.")
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    update = ObjectiveUpdate.objects.create(
        objective=objective, by=actor, status=status, percent_complete=percent_complete, note=note.strip()
    )
    record_change(actor=actor, instance=update, before=None, note="progress recorded")
    fields = ["status", "percent_complete", "narrative"]
    before = snapshot(objective, fields)
    objective.status = status
    if percent_complete is not None:
        objective.percent_complete = percent_complete
    if note.strip():
        objective.narrative = note.strip()
    objective.save(update_fields=fields)
    record_change(actor=actor, instance=objective, before=before, note="progress recorded")
    return update
