"""Giving people roles."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from pmf.formatting import format_date
from pmf.models import User
from pmf.services.audit import Actor, record_audit, update_audited
from pmf.services.records import upsert

from ..models import TRIUMVIRATE_ROLES, UNIT_MANAGER_ROLES, Level, OrgUnit, Role, RoleAssignment
from ..words import trust_words

PERFORMANCE_GROUP = "Performance team"
# What the performance team maintains in the admin: the catalogue, targets and kitemarks, and what ratings,
# PRMs and escalations are set up with (criteria, freedoms, policy breaches, committees, trigger settings,
# terms of reference).
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
    "criterion",
    "freedom",
    "policybreach",
    "committee",
    "triggersetting",
    "termsofreference",
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


def check_assignment(*, role: str, org_unit: OrgUnit | None, start: date, end: date | None) -> None:
    """A divisional role is held for one division, a service or team manager's for one service or team;
    every other role is trust-wide; it ends after it starts."""
    words = trust_words()
    label = words.role(role, Role(role).label)
    if role in UNIT_MANAGER_ROLES:
        level = UNIT_MANAGER_ROLES[role]
        if org_unit is None or org_unit.level != level:
            unit = words.level(level).lower()
            raise ValidationError(f"A {label.lower()} is held for one {unit}: choose the {unit}.")
    elif role in TRIUMVIRATE_ROLES:
        if org_unit is None or org_unit.level != Level.DIVISION:
            division = words.division.lower()
            raise ValidationError(f"A {label.lower()} is held for one {division}: choose the {division}.")
    elif org_unit is not None:
        raise ValidationError(f"{label} is a trust-wide role: leave the {words.division.lower()} blank.")
    if end is not None and end < start:
        raise ValidationError(
            f"The role ends on {format_date(end)}, before it starts on {format_date(start)}."
        )


@transaction.atomic
def assign_role(
    *, actor: Actor, user: User, role: str, org_unit: OrgUnit | None, start: date, end: date | None = None
) -> RoleAssignment:
    """Give ``user`` the role; the performance team also gets the catalogue admin."""
    check_assignment(role=role, org_unit=org_unit, start=start, end=end)
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


@transaction.atomic
def end_role(*, actor: Actor, assignment: RoleAssignment, last_day: date) -> RoleAssignment:
    """End a role on ``last_day`` (the person holds it that day, not after); the assignment is kept."""
    check_assignment(role=assignment.role, org_unit=assignment.org_unit, start=assignment.start, end=last_day)
    update_audited(assignment, actor=actor, verb="role ended", end=last_day)
    return assignment


@transaction.atomic
def add_user(
    *, actor: Actor, username: str, first_name: str, last_name: str, email: str, job_title: str = ""
) -> User:
    """A new person who signs in with single sign-on, or with a password set through a reset or by
    ``changepassword``: none is chosen for them here (``set_unusable_password``)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"The username {username} is taken.")
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, job_title=job_title
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    # Named fields only: the trail never holds a password, even an unusable one.
    record_audit(
        actor=actor,
        verb="created",
        object_type=User._meta.label,
        object_id=user.pk,
        after={"username": username, "name": user.get_full_name(), "email": email, "job_title": job_title},
        note="user added",
    )
    return user


@transaction.atomic
def update_user(
    *, actor: Actor, user: User, first_name: str, last_name: str, email: str, job_title: str, is_active: bool
) -> User:
    """Change a person's name, e-mail, job title, or whether they may sign in at all (``is_active``)."""
    update_audited(
        user,
        actor=actor,
        verb="user updated",
        only_if_changed=True,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        is_active=is_active,
    )
    return user
