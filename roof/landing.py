"""Where signing in lands each person: on their own work (issue 18, item 3; docs/dashboards.md).

- a commissioner: the contractual exception report, the one page they may read;
- the performance team (and an administrator): the trust overview, where the month's work starts;
- the owner of one of the Board's priorities with a milestone overdue or a monthly update missing: "Your
  priorities" (``strategy``), which lists them;
- an executive: the next meeting they chair or are invited to, or the meetings calendar without one;
- a board member: the latest *published* Integrated Performance Report (the overview while none is);
- a division's triumvirate: their division's dashboard (the first by name if they sit on two);
- a service manager: their service's dashboard; a ward (or station) manager: their team's (a service
  before a team, then the first by name);
- anyone else who reads published data (a viewer): the trust overview.

Someone with several roles lands by the first that applies, in that order. The overview stays open to every
internal reader at its own address (the menu's "Overview").
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse

from divisions.models import OrgUnit
from pmf.models import User
from pmf.permissions import Access
from pmf.roles import Role
from reviews.models import IprReport, Meeting
from strategy.selectors import owner_due


def next_meeting_for(user: User, today: date) -> Meeting | None:
    """The next planned meeting from ``today`` that ``user`` chairs or is invited to (one query)."""
    return (
        Meeting.objects.filter(status=Meeting.Status.PLANNED, scheduled_for__gte=today)
        .filter(Q(chair=user) | Q(invitations__user=user))
        .order_by("scheduled_for", "pk")
        .first()
    )


def landing_url(access: Access, user: User, today: date) -> str | None:
    """The page ``user`` lands on, or None for the trust overview (see the module docstring)."""
    if access.is_commissioner_only:
        return reverse("exception-report")
    if access.is_performance_team or not access.is_authenticated:
        return None
    if access.reads_published_data and owner_due(user, today):
        return reverse("your-priorities")
    if access.is_executive:
        meeting = next_meeting_for(user, today)
        return reverse("meeting", args=[meeting.pk]) if meeting else reverse("calendar")
    if access.has(Role.BOARD_MEMBER):
        latest = IprReport.objects.filter(status=IprReport.Status.PUBLISHED).order_by("-month").first()
        return reverse("ipr", kwargs={"month": latest.month}) if latest else None
    if access.divisions:
        division = OrgUnit.objects.filter(pk__in=access.divisions).order_by("name").first()
        return reverse("division-dashboard", args=[division.code]) if division else None
    if access.managed:
        unit = OrgUnit.objects.filter(pk__in=access.managed).order_by("level", "name").first()
        return reverse("division-dashboard", args=[unit.code]) if unit else None
    return None
