"""Building and changing the organisation tree."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pmf.services.audit import Actor, record_audit
from pmf.services.records import upsert

from ..models import LEVEL_DEPTH, Level, LevelLabel, OrgUnit, OrgUnitMove


def _check_parent(level: str, parent: OrgUnit | None) -> None:
    if level == Level.TRUST:
        if parent is not None:
            raise ValidationError("A trust is the top of the tree and has no parent.")
        return
    if parent is None:
        raise ValidationError(f"A {level} needs a parent.")
    if LEVEL_DEPTH[Level(parent.level)] != LEVEL_DEPTH[Level(level)] - 1:
        raise ValidationError(
            f"A {level} must sit directly under a {_level_above(level)}, not a {parent.level}."
        )


def _level_above(level: str) -> str:
    depth = LEVEL_DEPTH[Level(level)]
    return next(lvl for lvl, d in LEVEL_DEPTH.items() if d == depth - 1)


@transaction.atomic
def save_org_unit(
    *,
    actor: Actor,
    code: str,
    name: str,
    level: str,
    parent: OrgUnit | None,
    active_from: date,
    active_to: date | None = None,
    is_synthetic: bool = False,
) -> OrgUnit:
    """Create or update a unit by its code. Moving it to another parent is ``move_org_unit``."""
    _check_parent(level, parent)
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None and existing.parent_id != (parent.pk if parent else None):
        raise ValidationError(
            f"{code} already sits under another parent; record a move with an effective date instead."
        )
    unit, _ = upsert(
        OrgUnit,
        actor=actor,
        lookup={"code": code},
        values={
            "name": name,
            "level": level,
            "parent": parent,
            "active_from": active_from,
            "active_to": active_to,
            "is_synthetic": is_synthetic,
        },
    )
    return unit


@transaction.atomic
def move_org_unit(*, actor: Actor, unit: OrgUnit, new_parent: OrgUnit, effective_from: date) -> OrgUnitMove:
    """Re-parent ``unit`` from ``effective_from``; earlier months keep the old parent.

    Moves happen between financial years, so ``effective_from`` must be 1 April.
    """
    if (effective_from.month, effective_from.day) != (4, 1):
        raise ValidationError("Units move between financial years: the move must take effect on 1 April.")
    _check_parent(unit.level, new_parent)
    if unit.parent_id == new_parent.pk:
        raise ValidationError(f"{unit.code} already sits under {new_parent.code}.")
    assert unit.parent is not None  # a unit with a parent level always has one (checked above)
    move = OrgUnitMove.objects.create(
        unit=unit, from_parent=unit.parent, to_parent=new_parent, effective_from=effective_from
    )
    record_audit(
        actor=actor,
        verb="moved",
        object_type=OrgUnit._meta.label,
        object_id=unit.pk,
        before={"parent": unit.parent.code},
        after={"parent": new_parent.code, "effective_from": effective_from.isoformat()},
    )
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    return move


@transaction.atomic
def set_level_labels(*, actor: Actor, trust: OrgUnit, labels: dict[str, tuple[str, str]]) -> None:
    """Name the levels as the trust does: ``{"service": ("Specialty", "Specialties"), ...}``."""
    for level, (singular, plural) in labels.items():
        upsert(
            LevelLabel,
            actor=actor,
            lookup={"trust": trust, "level": Level(level)},
            values={"singular": singular, "plural": plural},
        )
