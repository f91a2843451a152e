"""Reads of the organisation and people pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from divisions.models import OrgUnit, RoleAssignment
from pmf.models import User


def organisation_tree() -> list[tuple[OrgUnit, int]]:
    """Every unit, retired ones included, with its depth, each under its parent in code order (one query)."""
    units = list(OrgUnit.objects.select_related("parent").order_by("code"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            visit(unit.pk, depth + 1)

    visit(None, 0)
    return ordered


def people() -> QuerySet[User]:
    """Everyone who may sign in, or once could, with their roles and the units they hold them for."""
    roles = RoleAssignment.objects.select_related("org_unit").order_by("-start")
    return User.objects.order_by("username").prefetch_related(Prefetch("role_assignments", queryset=roles))
