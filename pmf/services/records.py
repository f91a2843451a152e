"""Create-or-update with an audit event, the building block of idempotent loaders."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.db import models, transaction

from .audit import Actor, record_audit, record_change, snapshot

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], *, actor: Actor, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Make the row found by ``lookup`` hold ``values``; return it and whether anything changed.

    Writes (and audits) only when a field differs, so running a loader twice leaves
    the database, including the audit trail, exactly as it was.
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        record_change(actor=actor, instance=instance, before=None)
        return instance, True

    fields = [model._meta.get_field(name).attname for name in values]  # type: ignore[union-attr]
    before = snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    after = snapshot(instance, fields)
    if after == before:
        return instance, False
    instance.full_clean()
    instance.save(update_fields=list(values))
    record_change(actor=actor, instance=instance, before=before)
    return instance, True


def save_form(form: forms.ModelForm, *, actor: Actor, note: str = "") -> models.Model:
    """Save a validated model form's row and audit the change with the row's before and after."""
    instance = form.instance
    before = snapshot(type(instance)._default_manager.get(pk=instance.pk)) if instance.pk else None
    with transaction.atomic():
        saved = form.save()
        record_change(actor=actor, instance=saved, before=before, note=note)
    return saved


@transaction.atomic
def delete_audited(instance: models.Model, *, actor: Actor, note: str = "") -> None:
    """Delete a row, keeping what it held in the audit trail."""
    before = snapshot(instance)
    instance.delete()
    record_audit(
        actor=actor,
        verb="deleted",
        object_type=instance._meta.label,
        object_id=before.get("id", ""),
        before=before,
        note=note,
    )
