"""Who line-manages whom: set by the performance team, each change audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from pmf.models import User
from pmf.services.audit import Actor
from pmf.services.records import delete_audited, upsert

from ..models import LineManagement


@transaction.atomic
def set_line_manager(*, actor: Actor, person: User, manager: User | None) -> LineManagement | None:
    """Make ``manager`` the line manager of ``person`` (None: nobody line-manages them now).

    Nobody manages themselves, and nobody is their own manager's manager, however far up: the chain of
    line managers above ``manager`` must not reach ``person``.
    """
    current = LineManagement.objects.filter(person=person).first()
    if manager is None:
        if current is not None:
            delete_audited(current, actor=actor, note="line manager removed")
        return None
    if manager.pk == person.pk:
        raise ValidationError("Nobody is their own line manager.")
    above = dict(LineManagement.objects.values_list("person_id", "manager_id"))
    node: int | None = manager.pk
    while node is not None:
        if node == person.pk:
            raise ValidationError(f"{manager} is line-managed by {person}, directly or further up.")
        node = above.get(node)
    held, _ = upsert(LineManagement, actor=actor, lookup={"person": person}, values={"manager": manager})
    return held
