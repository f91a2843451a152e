"""Writing the audit trail. Every service that changes data or records a decision calls this."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from pmf.models import AuditEvent, User

Actor = User | AnonymousUser | None


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The model's concrete field values, JSON-ready, for the before/after of an event."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    encoder = DjangoJSONEncoder()
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name)
        values[name] = value if isinstance(value, str | int | float | bool | None) else encoder.default(value)
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
