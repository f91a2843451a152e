"""Writing the audit trail. Every service that changes data or records a decision calls this."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from pmf.models import AuditEvent, User

Actor = User | AnonymousUser | None
M = TypeVar("M", bound=models.Model)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The model's concrete field values, JSON-ready, for the before/after of an event."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    encoder = DjangoJSONEncoder()
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, str | int | float | bool | None):
            values[name] = value
        elif isinstance(value, list | dict):  # a JSON field: a copy, so later edits do not rewrite history
            values[name] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
        else:
            values[name] = encoder.default(value)
    return values


def record_audit(
    *,
    actor: Actor,
    verb: str,
    object_type: str,
    object_id: object = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    username = actor.get_username() if actor is not None and actor.is_authenticated else ""
    return AuditEvent.objects.create(
        actor=username,
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        note=note,
    )


def record_change(
    *,
    actor: Actor,
    instance: models.Model,
    before: dict[str, Any] | None,
    verb: str | None = None,
    note: str = "",
) -> AuditEvent | None:
    """Audit a create or update of ``instance``; nothing is written when nothing changed."""
    after = snapshot(instance, list(before) if before else None)
    if before == after:
        return None
    return record_audit(
        actor=actor,
        verb=verb or ("created" if before is None else "updated"),
        object_type=instance._meta.label,
        object_id=instance.pk,
        before=before,
        after=after,
        note=note,
    )


def update_audited(
    instance: M,
    *,
    actor: Actor,
    verb: str,
    why: str = "",
    audited: Sequence[str] | None = None,
    object_id: object = None,
    only_if_changed: bool = False,
    context: dict[str, Any] | None = None,
    **fields: Any,
) -> AuditEvent | None:
    """Set ``fields`` on ``instance``, save them, and audit the change: the one way services update a row.

    1. Snapshot the ``audited`` fields (by default the ones being set) as they stand.
    2. Set each of ``fields`` and save only those columns, so a concurrent write to another is kept.
    3. Record one event with ``verb``, ``why`` as its note, and the audited fields before and after; the
       object is named by ``object_id`` where a row has a better name than its key (a case's reference).
       With ``only_if_changed``, no event is written when the audited values are as they were (a form
       saved without edits). ``context`` adds to the event's after what is no column of the row but
       belongs to the change (the reference a failure was logged under, the stage at which it happened).
    """
    names = list(fields)
    snapshotted = list(audited) if audited is not None else [_attname(instance, name) for name in names]
    before = snapshot(instance, snapshotted)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save(update_fields=names)
    after = snapshot(instance, snapshotted)
    if only_if_changed and before == after:
        return None
    return record_audit(
        actor=actor,
        verb=verb,
        object_type=instance._meta.label,
        object_id=instance.pk if object_id is None else object_id,
        before=before,
        after={**after, **(context or {})},
        note=why,
    )


def _attname(instance: models.Model, name: str) -> str:
    """``approved_by`` is stored as ``approved_by_id``: snapshots read the stored column."""
    return instance._meta.get_field(name).attname  # type: ignore[union-attr]
