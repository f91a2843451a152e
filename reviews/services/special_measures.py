"""Placing a division in special measures and taking it out (DESIGN §4.5, §4.7).

The Executive Team decides; a division in special measures is reviewed weekly whatever its position. Each
change is audited and re-rates the division's months from the one it affects, so its review frequency
follows at once.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from divisions.models import Level, OrgUnit
from divisions.words import trust_words
from pmf.services.audit import Actor, record_audit, snapshot, update_audited

from ..models import SpecialMeasures
from .ratings import rerate_from


def current_special_measures(division: OrgUnit) -> SpecialMeasures | None:
    """The division's special measures with no end yet, if any."""
    return (
        SpecialMeasures.objects.filter(division=division, to_month__isnull=True)
        .order_by("-from_month")
        .first()
    )


@transaction.atomic
def start_special_measures(
    *, actor: Actor, division: OrgUnit, from_month: date, note: str
) -> SpecialMeasures:
    """Put ``division`` in special measures from ``from_month``; if it already is, keep the current record."""
    if division.level != Level.DIVISION:
        raise ValidationError(f"Only a {trust_words().division.lower()} can be placed in special measures.")
    current = current_special_measures(division)
    if current is not None:
        return current
    record = SpecialMeasures.objects.create(division=division, from_month=from_month, note=note)
    record_audit(
        actor=actor,
        verb="placed in special measures",
        object_type=SpecialMeasures._meta.label,
        object_id=record.pk,
        after=snapshot(record),
        note=f"{division.name}: {note}",
    )
    rerate_from(from_month, actor=actor)
    return record


@transaction.atomic
def end_special_measures(
    *, actor: Actor, record: SpecialMeasures, last_month: date, note: str
) -> SpecialMeasures:
    """End special measures with ``last_month`` as the last month in them (never before the first)."""
    if record.to_month is not None:
        return record
    update_audited(
        record,
        actor=actor,
        verb="ended special measures",
        why=f"{record.division.name}: {note}",
        to_month=max(record.from_month, last_month),
        note=f"{record.note}\n{note}".strip(),
    )
    rerate_from(record.from_month, actor=actor)
    return record
