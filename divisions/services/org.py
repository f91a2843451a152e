"""Building and changing the organisation tree."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pmf.formatting import format_date
from pmf.services.audit import Actor, record_audit, update_audited
from pmf.services.records import upsert

from ..models import LEVEL_DEPTH, Level, LevelLabel, OrgUnit, OrgUnitMove
from ..signals import level_labels_changed
from ..words import trust_words


def _check_parent(level: str, parent: OrgUnit | None) -> None:
    if level == Level.TRUST:
        if parent is not None:
            raise ValidationError("A trust is the top of the tree and has no parent.")
        return
    if parent is None:
        raise ValidationError(f"A {_word(level)} needs a parent: a {_word(_level_above(level))}.")
    if LEVEL_DEPTH[Level(parent.level)] != LEVEL_DEPTH[Level(level)] - 1:
        above, found = _word(_level_above(level)), _word(parent.level)
        raise ValidationError(f"A {_word(level)} must sit directly under a {above}, not a {found}.")


def check_one_trust(code: str) -> None:
    """One deployment serves one trust: refuse a trust with another code when one exists."""
    other = OrgUnit.objects.filter(level=Level.TRUST).exclude(code=code).first()
    if other is not None:
        raise ValidationError(
            f"This deployment already serves {other.name} ({other.code}); one deployment serves one trust."
        )


def check_placement(*, unit: OrgUnit | None, code: str, level: str, parent: OrgUnit | None) -> None:
    """What the tree allows for a unit being added (``unit`` None) or edited, with a message per rule.

    1. One trust per deployment. 2. Strictly level by level: a division under the trust, a service under a
    division, a team under a service. 3. An existing unit changes parent only through a dated move, and
    changes level only while nothing sits under it.
    """
    if level == Level.TRUST:
        check_one_trust(code)
    _check_parent(level, parent)
    if unit is None or unit.pk is None:
        return
    if unit.parent_id != (parent.pk if parent else None):
        raise ValidationError(
            f"{unit.code} sits under {unit.parent.code if unit.parent else 'nothing'}: to move it, record a "
            "move with the date it takes effect, so earlier months keep their structure."
        )
    if unit.level != level and unit.children.exists():
        raise ValidationError(f"{unit.code} has units under it, so it stays a {_word(unit.level)}.")


def _word(level: str) -> str:
    """The trust's word for a level, in the middle of a sentence ("service line" at an ambulance trust)."""
    return trust_words().level(level).lower()


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
    check_placement(unit=OrgUnit.objects.filter(code=code).first(), code=code, level=level, parent=parent)
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
def add_org_unit(
    *, actor: Actor, code: str, name: str, level: str, parent: OrgUnit | None, active_from: date
) -> OrgUnit:
    """Add a new unit to the tree; a code already in use is refused (a unit keeps its code for life)."""
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        raise ValidationError(f"The code {code} is already {existing.name}'s; choose another.")
    return save_org_unit(
        actor=actor, code=code, name=name, level=level, parent=parent, active_from=active_from
    )


def check_retirement(unit: OrgUnit, last_day: date) -> None:
    """A unit may end on ``last_day`` unless it is the trust, the day is before it started, or a unit under
    it is still active after that day (retire or move those first)."""
    if unit.level == Level.TRUST:
        raise ValidationError("The trust is not retired: it is the deployment.")
    if last_day < unit.active_from:
        raise ValidationError(
            f"{unit.code} started on {format_date(unit.active_from)}; it cannot end before that."
        )
    still_active = [
        child.code for child in unit.children.all() if child.active_to is None or child.active_to > last_day
    ]
    if still_active:
        raise ValidationError(
            f"{unit.code} still has active units under it after {format_date(last_day)}: "
            f"{', '.join(still_active)}. Retire or move them first."
        )


@transaction.atomic
def retire_org_unit(*, actor: Actor, unit: OrgUnit, last_day: date) -> OrgUnit:
    """Retire ``unit``: its last day is ``last_day`` (``active_to``); its history stays.

    Refused while a unit under it is still active after that day (retire or move those first), and for the
    trust itself.
    """
    check_retirement(unit, last_day)
    update_audited(unit, actor=actor, verb="retired", active_to=last_day)
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
    """Name the levels as the trust does: ``{"service": ("Specialty", "Specialties"), ...}``; the default
    texts seeded in the earlier words follow (``level_labels_changed``)."""
    before = trust_words()
    for level, (singular, plural) in labels.items():
        upsert(
            LevelLabel,
            actor=actor,
            lookup={"trust": trust, "level": Level(level)},
            values={"singular": singular, "plural": plural},
        )
    after = trust_words()
    if after != before:
        level_labels_changed.send(sender=LevelLabel, before=before, after=after, actor=actor)
