"""Who may see and do what: every rule in one place (DESIGN §1 audiences, §6 security).

A user's roles are read once per request (``access_for``); views ask the ``Access``
object questions such as ``access.can_view_unit(unit)``. Roles come from
``divisions.RoleAssignment`` in force today; the three triumvirate roles are held for
one division and reach everything under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from divisions.models import TRIUMVIRATE_ROLES, OrgUnit, Role, RoleAssignment

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

TRUST_WIDE_READERS = {Role.PERFORMANCE_TEAM, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.VIEWER}


@dataclass(frozen=True)
class Access:
    """What one signed-in user may do, worked out from their roles in force today."""

    is_authenticated: bool
    roles: frozenset[str] = frozenset()
    divisions: frozenset[int] = field(default_factory=frozenset)  # where the user is in the triumvirate
    is_superuser: bool = False

    def has(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles & set(roles))

    @property
    def is_performance_team(self) -> bool:
        return self.has(Role.PERFORMANCE_TEAM)

    @property
    def is_executive(self) -> bool:
        return self.has(Role.EXECUTIVE)

    @property
    def is_commissioner_only(self) -> bool:
        """Commissioners see contractual exception reports and nothing else."""
        return not self.is_superuser and self.roles == {Role.COMMISSIONER}

    @property
    def reads_published_data(self) -> bool:
        """Every internal role reads published figures for the whole trust."""
        return self.has(*TRUST_WIDE_READERS) or bool(self.divisions)

    def division_of(self, unit: OrgUnit, parents: Mapping[int, int | None]) -> int | None:
        """The division above (or at) ``unit``, from an id → parent id map."""
        node: int | None = unit.pk
        while node is not None:
            if node in self.divisions:
                return node
            node = parents.get(node)
        return None

    def is_in_division(self, unit: OrgUnit, parents: Mapping[int, int | None]) -> bool:
        return self.division_of(unit, parents) is not None

    def can_view_unpublished(self, unit: OrgUnit, parents: Mapping[int, int | None]) -> bool:
        """Unpublished figures: the performance team, executives and the division concerned."""
        return self.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE) or self.is_in_division(unit, parents)

    def can_write_for(self, unit: OrgUnit, parents: Mapping[int, int | None]) -> bool:
        """Commentary and action updates: the division's own triumvirate, and the performance team."""
        return self.is_performance_team or self.is_in_division(unit, parents)

    @property
    def can_manage_data(self) -> bool:
        """Uploads, publishing, recalculations, the catalogue: the performance team."""
        return self.is_performance_team

    @property
    def can_view_audit(self) -> bool:
        return self.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE)


ANONYMOUS = Access(is_authenticated=False)


def access_for(user: Any, *, on: date | None = None) -> Access:
    """The user's ``Access``, from one query for their roles in force on ``on`` (today)."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    day = on or date.today()
    assignments = RoleAssignment.objects.filter(user=user, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    roles, divisions = set(), set()
    for role, unit_id in assignments.values_list("role", "org_unit_id"):
        roles.add(role)
        if role in TRIUMVIRATE_ROLES and unit_id is not None:
            divisions.add(unit_id)
    return Access(
        is_authenticated=True,
        roles=frozenset(roles),
        divisions=frozenset(divisions),
        is_superuser=bool(user.is_superuser),
    )


def request_access(request: HttpRequest) -> Access:
    """``access_for`` the request's user, worked out once per request."""
    cached = getattr(request, "_pmf_access", None)
    if cached is None:
        cached = access_for(request.user)
        request._pmf_access = cached  # type: ignore[attr-defined]
    return cached


def require(
    test: Callable[[Access], bool],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """View decorator: anonymous users go to sign in; signed-in users failing ``test`` get 403."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            access = request_access(request)
            if not access.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_test = test  # type: ignore[attr-defined]  # read by pmf.navigation
        return wrapped

    return decorator


def internal_reader(access: Access) -> bool:
    return access.reads_published_data


def executive(access: Access) -> bool:
    return access.is_executive
