"""Giving people roles."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from pmf.models import User
from pmf.services.audit import Actor
from pmf.services.records import upsert

from ..models import OrgUnit, Role, RoleAssignment

PERFORMANCE_GROUP = "Performance team"
# What the performance team maintains in the admin: the catalogue, targets and kitemarks.
CATALOGUE_MODELS = (
    "domain",
    "strategicobjective",
    "tag",
    "kpi",
    "kpisuite",
    "kpisuiteentry",
    "target",
    "trajectory",
    "kitemark",
)
# What it may read there but change only through the product's own pages.
READ_ONLY_MODELS = (
    "upload",
    "measurement",
    "orgunit",
    "levellabel",
    "roleassignment",
    "auditevent",
    "jobrun",
)


def performance_group() -> Group:
    """The admin group of the performance team, with its permissions brought up to date."""
    group, _ = Group.objects.get_or_create(name=PERFORMANCE_GROUP)
    wanted = Permission.objects.filter(
        content_type__model__in=CATALOGUE_MODELS, codename__regex=r"^(add|change|view)_"
    ) | Permission.objects.filter(content_type__model__in=READ_ONLY_MODELS, codename__startswith="view_")
    group.permissions.set(wanted)
    return group


@transaction.atomic
def assign_role(
    *, actor: Actor, user: User, role: str, org_unit: OrgUnit | None, start: date, end: date | None = None
) -> RoleAssignment:
    """Give ``user`` the role; the performance team also gets the catalogue admin."""
    assignment, _ = upsert(
        RoleAssignment,
        actor=actor,
        lookup={"user": user, "role": role, "org_unit": org_unit, "start": start},
        values={"end": end},
    )
    if role == Role.PERFORMANCE_TEAM:
        user.groups.add(performance_group())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return assignment
