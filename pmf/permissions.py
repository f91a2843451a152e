"""Who may see and do what: every rule in one place (DESIGN §1 audiences, §6 security).

A user's roles are read once per request (``access_for``); views ask the ``Access``
object questions such as ``access.can_view_unit(unit)``, or wrap themselves in
``require(rule)`` with one of the rules at the foot of this module, each named after what it
allows. No view tests a role itself: the main menu reads each view's rule
(``pmf.navigation``), so a rule written in a view would drift from the menu and from the
permission matrix (tests/test_permissions.py). Roles (``pmf.roles``) come from the user's
role assignments in force today (``user.role_assignments``, kept by ``divisions``); the three
triumvirate roles are held for one division and reach everything under it; a service manager and a
ward (or station) manager hold theirs for one service or team, reach it and everything under it, and
read above it only what every internal reader reads. The rules import no app: a unit is anything
with a ``pk`` and a ``parent_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from pmf.models import User
from pmf.roles import TRIUMVIRATE_ROLES, UNIT_MANAGER_ROLES, Role

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from django.http import HttpRequest
    from django.http.response import HttpResponseBase


class Unit(Protocol):
    """A place in the organisation tree, as far as the access rules need one (``divisions.OrgUnit``)."""

    @property
    def pk(self) -> Any: ...

    @property
    def parent_id(self) -> int | None: ...


TRUST_WIDE_READERS = {Role.PERFORMANCE_TEAM, Role.EXECUTIVE, Role.BOARD_MEMBER, Role.VIEWER}


@dataclass(frozen=True)
class Access:
    """What one signed-in user may do, worked out from their roles in force today."""

    is_authenticated: bool
    roles: frozenset[str] = frozenset()
    divisions: frozenset[int] = field(default_factory=frozenset)  # where the user is in the triumvirate
    is_superuser: bool = False
    managed: frozenset[int] = field(default_factory=frozenset)  # the services and teams the user manages

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
        return self.has(*TRUST_WIDE_READERS) or bool(self.divisions) or bool(self.managed)

    def division_of(self, unit: Unit, parents: Mapping[int, int | None]) -> int | None:
        """The division above (or at) ``unit``, from an id → parent id map."""
        return _first_above(unit, parents, self.divisions)

    def manages(self, unit: Unit, parents: Mapping[int, int | None]) -> bool:
        """Whether ``unit`` is a service or team the user manages, or is under one (never above one)."""
        return _first_above(unit, parents, self.managed) is not None

    def is_in_division(self, unit: Unit, parents: Mapping[int, int | None]) -> bool:
        return self.division_of(unit, parents) is not None

    def can_view_unpublished(self, unit: Unit, parents: Mapping[int, int | None]) -> bool:
        """Unpublished figures: the performance team, executives, the division concerned and the managers
        of the unit (or of a unit above it)."""
        return (
            self.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE)
            or self.is_in_division(unit, parents)
            or self.manages(unit, parents)
        )

    def can_write_for(self, unit: Unit, parents: Mapping[int, int | None]) -> bool:
        """Commentary and action updates: the division's own triumvirate, the managers of a service or team
        for it and what is under it (never for the division above), and the performance team."""
        return self.is_performance_team or self.is_in_division(unit, parents) or self.manages(unit, parents)

    @property
    def can_manage_data(self) -> bool:
        """Uploads, publishing, recalculations, the catalogue: the performance team."""
        return self.is_performance_team

    @property
    def can_view_audit(self) -> bool:
        return self.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE)


ANONYMOUS = Access(is_authenticated=False)


def _first_above(unit: Unit, parents: Mapping[int, int | None], among: frozenset[int]) -> int | None:
    """The first of ``among`` met walking up from ``unit`` (itself included), from an id → parent id map."""
    node: int | None = unit.pk
    while node is not None:
        if node in among:
            return node
        node = parents.get(node)
    return None


def access_for(user: Any, *, on: date | None = None) -> Access:
    """The user's ``Access``, from one query for their roles in force on ``on`` (today)."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    day = on or date.today()
    assignments = user.role_assignments.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
    roles, divisions, managed = set(), set(), set()
    for role, unit_id in assignments.values_list("role", "org_unit_id"):
        roles.add(role)
        if role in TRIUMVIRATE_ROLES and unit_id is not None:
            divisions.add(unit_id)
        if role in UNIT_MANAGER_ROLES and unit_id is not None:
            managed.add(unit_id)
    return Access(
        is_authenticated=True,
        roles=frozenset(roles),
        divisions=frozenset(divisions),
        is_superuser=bool(user.is_superuser),
        managed=frozenset(managed),
    )


def request_access(request: HttpRequest) -> Access:
    """``access_for`` the request's user, worked out once per request."""
    cached = getattr(request, "_pmf_access", None)
    if cached is None:
        cached = access_for(request.user)
        request._pmf_access = cached  # type: ignore[attr-defined]
    return cached


def signed_in(request: HttpRequest) -> User:
    """The request's user, typed, for a view that ``require`` has already let in.

    ``require`` sends anonymous visitors to sign in before the view runs, so an anonymous user here
    means the view forgot its decorator: refuse rather than write an action nobody took.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


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


def can_manage_data(access: Access) -> bool:
    """Uploads, publishing, recalculations and the work that follows a publish: the performance team."""
    return access.can_manage_data


def internal_reader(access: Access) -> bool:
    return access.reads_published_data


def executive(access: Access) -> bool:
    return access.is_executive


# --- the rules views are wrapped in, named after what they allow -------------------------------------------


def can_prepare_ipr(access: Access) -> bool:
    """The performance team and executives see IPR drafts, edit them, publish and build packs."""
    return access.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE)


def can_write_trust_commentary(access: Access) -> bool:
    """The trust-level commentary on a KPI, from the IPR: its owner (an executive lead), the other
    executives and the performance team (a division writes its own from its dashboard)."""
    return access.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE)


def can_read_meetings(access: Access) -> bool:
    """Meetings, packs and actions: the performance team, executives and divisional triumvirates."""
    return access.is_performance_team or access.is_executive or bool(access.divisions)


def can_read_all_reviews(access: Access) -> bool:
    """Every division's meetings and actions, and packs before issue: the performance team and executives."""
    return access.is_performance_team or access.is_executive


def can_read_division_reviews(access: Access, division: Unit) -> bool:
    """One division's meetings and actions: those who read them all, and the division's own triumvirate."""
    return can_read_all_reviews(access) or division.pk in access.divisions


def can_read_unit_actions(access: Access, unit: Unit, parents: Mapping[int, int | None]) -> bool:
    """The open actions on a service's or team's dashboard (its division's actions on the KPIs it reports):
    those who read the division's actions, and the managers of the unit or of a unit above it."""
    return (
        can_read_all_reviews(access) or access.is_in_division(unit, parents) or access.manages(unit, parents)
    )


def can_record_meetings(access: Access) -> bool:
    """Attendance, minutes and decisions: the performance team and executives."""
    return access.is_performance_team or access.is_executive


def can_prepare_packs(access: Access) -> bool:
    """Building, editing, issuing and circulating data packs: the performance team."""
    return access.is_performance_team


def can_create_actions(access: Access) -> bool:
    """New actions in the log: the performance team (a division posts updates, see ``can_write_for``)."""
    return access.is_performance_team


def can_add_meeting_actions(access: Access, *, chair_id: int | None, user_id: int | None) -> bool:
    """Actions from a meeting's page: the performance team, and the meeting's own chair (who agrees them)."""
    return can_create_actions(access) or (chair_id is not None and chair_id == user_id)


def can_reset_calendar_addresses(access: Access) -> bool:
    """Resetting someone else's calendar address (a lost device, a role left): the performance team.

    Anyone who may open the Meetings page may reset their own address; this rule is for other people's.
    """
    return access.is_performance_team


def can_read_fpec_summary(access: Access) -> bool:
    """The FPEC summary paper: the performance team, executives and the Board."""
    return access.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE, Role.BOARD_MEMBER)


def can_read_every_case(access: Access) -> bool:
    """Trust-wide readers (performance team, executives, the Board, viewers) see every escalation case."""
    return access.has(*TRUST_WIDE_READERS)


def can_read_division_cases(access: Access, division: Unit | None) -> bool:
    """A division's cases: trust-wide readers, and its own triumvirate (who do not see trust-level cases)."""
    if can_read_every_case(access):
        return True
    return division is not None and access.is_in_division(division, {division.pk: division.parent_id})


def can_read_committees(access: Access) -> bool:
    """Committees and their agendas: the same trust-wide readers who see every case."""
    return can_read_every_case(access)


def can_raise_cases(access: Access) -> bool:
    """Raising an escalation case by hand: the performance team and executives."""
    return access.is_performance_team or access.is_executive


def can_agree_plans(access: Access) -> bool:
    """Agreeing a case's action plan: the performance team, at whose level a case opens."""
    return access.is_performance_team


def can_escalate_cases(access: Access) -> bool:
    """Sending a case on to FPEC: the performance team and executives."""
    return access.is_performance_team or access.is_executive


def can_decide_cases(access: Access) -> bool:
    """Audit or special measures for a case at FPEC or above: the Executive Team."""
    return access.is_executive


def can_close_cases(access: Access) -> bool:
    """Closing some cases: executives any open one, the performance team a de-escalated one."""
    return access.is_performance_team or access.is_executive


def can_close_case(access: Access, *, de_escalated: bool) -> bool:
    """Closing this case: executives on their word, the performance team only once it has de-escalated."""
    return access.is_executive or (access.is_performance_team and de_escalated)


def can_read_exception_report(access: Access) -> bool:
    """Contractual and CQUIN exceptions: executives, the performance team and commissioners."""
    return access.has(Role.EXECUTIVE, Role.PERFORMANCE_TEAM, Role.COMMISSIONER)


def can_read_triggers(access: Access) -> bool:
    """What opens an escalation case, KPI by KPI: the performance team and executives."""
    return access.is_performance_team or access.is_executive


def can_set_triggers(access: Access) -> bool:
    """Setting what opens an escalation case for a KPI: the performance team."""
    return access.is_performance_team


def can_read_dq_log(access: Access) -> bool:
    """The data-quality issue log: the performance team and executives."""
    return access.is_performance_team or access.is_executive


def can_edit_dq_log(access: Access) -> bool:
    """Raising and updating data-quality issues: the performance team."""
    return access.is_performance_team


def can_open_setup(access: Access) -> bool:
    """The setup pages' index (DESIGN §7): the performance team, who set up and keep up the trust."""
    return access.is_performance_team


def can_change_organisation(access: Access) -> bool:
    """Adding, moving and retiring units of the organisation tree: the performance team."""
    return access.is_performance_team


def can_manage_people(access: Access) -> bool:
    """Adding people, giving and ending their roles, and lifting sign-in lock-outs: the performance team."""
    return access.is_performance_team


def can_maintain_catalogue(access: Access) -> bool:
    """The KPI catalogue, its yearly suites, targets and trajectories, the rating criteria, freedoms,
    committees, terms of reference and the PRM slot: the performance team."""
    return access.is_performance_team


def can_import_setup(access: Access) -> bool:
    """The setup workbook (the organisation, catalogue, plans, review settings, people and roles in one file):
    downloading it, and uploading, previewing and applying one: the performance team."""
    return access.is_performance_team


def can_read_benchmarking(access: Access) -> bool:
    """The trust among its national peers (DESIGN §8): the performance team, executives and the Board."""
    return access.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE, Role.BOARD_MEMBER)


# --- the Board's priorities (DESIGN §9; strategy) --------------------------------------------------------


def can_read_priorities(access: Access) -> bool:
    """The Board's priorities, their milestones, updates and the quarterly Board update: every internal reader
    (the performance team, executives, the Board, viewers and the divisional triumvirates)."""
    return access.reads_published_data


def can_manage_priorities(access: Access) -> bool:
    """Setting the year's priorities and their milestones: the performance team and executives."""
    return access.has(Role.PERFORMANCE_TEAM, Role.EXECUTIVE)


def can_write_priority_update(access: Access, *, is_owner: bool) -> bool:
    """A priority's monthly update: its executive owner, and the performance team writing on their behalf."""
    return access.is_authenticated and (is_owner or access.is_performance_team)


def can_read_scorecard(access: Access, *, is_own: bool, is_line_manager: bool) -> bool:
    """A person's individual scorecard (their PDR objectives and progress): the person, their line manager
    and the performance team. Nobody else, whatever their role: not a peer, not a director of another
    division, not an executive unless they are the line manager."""
    return is_own or is_line_manager or access.is_performance_team


def can_edit_scorecard(access: Access, *, is_own: bool, is_line_manager: bool) -> bool:
    """Setting a person's objectives and recording progress on them: the person and their line manager."""
    return access.is_authenticated and (is_own or is_line_manager)


def can_keep_scorecards(access: Access) -> bool:
    """ "My scorecard" and "My team's scorecards": every internal reader (each sees only their own and
    those of the people they line-manage)."""
    return access.reads_published_data


def can_manage_line_management(access: Access) -> bool:
    """Who line-manages whom, which decides who reads a person's scorecard: the performance team."""
    return access.is_performance_team
