"""Where signing in lands each person (roof.landing): their own work, never a "not published yet" page."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from divisions.models import RoleAssignment
from pmf.models import User
from pmf.roles import Role
from reviews.models import Invitation, IprReport, Meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).parent.parent / "reviews" / "ipr_snapshot_2025_07.json"


def _published(month: date, by: User) -> IprReport:
    """A published report frozen from the kept July 2025 snapshot, moved to ``month``."""
    snapshot = {**json.loads(SNAPSHOT.read_text()), "month": month.isoformat()}
    return IprReport.objects.create(
        month=month,
        status=IprReport.Status.PUBLISHED,
        approved_at=timezone.now(),
        approved_by=by,
        published_at=timezone.now(),
        published_by=by,
        snapshot=snapshot,
    )


def _landing(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302, f"{user} was not sent on"
    return str(response.url)


def test_a_triumvirate_member_lands_on_their_division_dashboard(world, client):
    assert _landing(client, world.users["cl.surgery"]) == reverse("division-dashboard", args=["WLD-SUR"])
    assert _landing(client, world.users["md.medicine"]) == reverse("division-dashboard", args=["WLD-MED"])


def test_an_executive_lands_on_their_next_meeting_or_the_calendar(world, client):
    newcomer = UserFactory(username="exec.new")
    RoleAssignment.objects.create(user=newcomer, role=Role.EXECUTIVE)
    assert _landing(client, newcomer) == reverse("calendar")  # no meeting of theirs planned
    today = date.today()
    Meeting.objects.create(division=world.surgery, scheduled_for=today - timedelta(days=3), chair=newcomer)
    chaired = Meeting.objects.create(
        division=world.medicine, scheduled_for=today + timedelta(days=1), chair=newcomer
    )
    assert _landing(client, newcomer) == reverse("meeting", args=[chaired.pk])
    invited = Meeting.objects.create(division=world.surgery, scheduled_for=today)
    Invitation.objects.create(meeting=invited, user=newcomer)
    Meeting.objects.create(division=world.medicine, scheduled_for=today)  # not theirs
    assert _landing(client, newcomer) == reverse("meeting", args=[invited.pk])


def test_a_board_member_lands_on_the_latest_published_ipr_never_on_a_draft(world, client):
    board = world.users["board"]
    client.force_login(board)
    assert client.get(reverse("home")).status_code == 200  # nothing published: the overview, not a notice
    _published(date(2025, 6, 1), world.users["perf"])
    _published(date(2025, 7, 1), world.users["perf"])
    IprReport.objects.create(month=date(2025, 8, 1))  # a draft
    url = _landing(client, board)
    assert url == reverse("ipr", kwargs={"month": "2025-07"})
    body = client.get(url).content.decode()
    assert "has not been published" not in body and "Executive summary" in body


def test_the_performance_team_and_viewers_stay_on_the_overview_which_has_its_own_address(world, client):
    for name in ("perf", "viewer"):
        client.force_login(world.users[name])
        assert client.get(reverse("home")).status_code == 200
    client.force_login(world.users["exec"])
    body = client.get(reverse("overview")).content.decode()
    assert '<a href="/overview/" aria-current="page">Overview</a>' in body


def test_a_commissioner_still_lands_on_the_exception_report(world, client):
    assert _landing(client, world.users["commissioner"]) == reverse("exception-report")


def test_the_ipr_links_the_previous_and_next_months_and_the_archive_lists_only_what_the_reader_may_open(
    world, client
):
    for month in (date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)):
        _published(month, world.users["perf"])
    IprReport.objects.create(month=date(2025, 8, 1))  # a draft: the Board never reaches it
    client.force_login(world.users["board"])
    june = client.get(reverse("ipr", kwargs={"month": "2025-06"})).content.decode()
    steps = june.split('aria-label="Previous and next month"')[1].split("</nav>")[0]
    assert reverse("ipr", kwargs={"month": "2025-05"}) in steps and 'rel="prev"' in steps
    assert reverse("ipr", kwargs={"month": "2025-07"}) in steps and 'rel="next"' in steps
    july = client.get(reverse("ipr", kwargs={"month": "2025-07"})).content.decode()
    assert 'rel="next"' not in july.split('aria-label="Previous and next month"')[1].split("</nav>")[0]
    archive = client.get(reverse("ipr-archive")).content.decode()
    assert reverse("ipr", kwargs={"month": "2025-05"}) in archive
    assert reverse("ipr", kwargs={"month": "2025-08"}) not in archive
    client.force_login(world.users["perf"])
    july = client.get(reverse("ipr", kwargs={"month": "2025-07"})).content.decode()
    assert 'rel="next"' in july and reverse("ipr", kwargs={"month": "2025-08"}) in july
    assert "Draft" in client.get(reverse("ipr-archive")).content.decode()
