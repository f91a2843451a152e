"""Actions from a meeting's page (issue 18, item 7): the meeting's chair adds them, as the performance team
does; no one else. On the small world."""

from datetime import date

import pytest
from django.urls import reverse

from reviews.models import Action, Meeting, MeetingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    meeting, _ = Meeting.objects.update_or_create(
        division=world.surgery,
        kind=MeetingKind.PRM,
        scheduled_for=date(2025, 8, 12),
        defaults={"frequency": "monthly", "chair": world.users["exec"]},
    )
    return meeting


def _add(client, meeting, title):
    return client.post(
        reverse("action-create"),
        {
            "division": meeting.division.code,
            "meeting": meeting.pk,
            "title": title,
            "owner": "Managing director",
            "due_date": "2025-09-30",
        },
    )


def test_the_chair_adds_an_action_from_the_meeting_page(world, meeting, client):
    client.force_login(world.users["exec"])
    page = client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "Add the action</button>" in page
    response = _add(client, meeting, "Recover theatre utilisation")
    assert response.status_code == 302 and response["Location"] == reverse("meeting", args=[meeting.pk])
    action = Action.objects.get(title="Recover theatre utilisation")
    assert (action.meeting, action.division, action.due_date) == (meeting, world.surgery, date(2025, 9, 30))


def test_the_performance_team_adds_one_too(world, meeting, client):
    client.force_login(world.users["perf"])
    assert _add(client, meeting, "From the performance team").status_code == 302
    assert Action.objects.filter(title="From the performance team", meeting=meeting).exists()


@pytest.mark.parametrize("username", ["md.surgery", "board"])
def test_no_one_else_adds_an_action_from_the_meeting(world, meeting, client, username):
    Meeting.objects.filter(pk=meeting.pk).update(chair=None)
    client.force_login(world.users[username])
    assert "Add the action</button>" not in client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert _add(client, meeting, "Not theirs").status_code == 403
    assert not Action.objects.filter(title="Not theirs").exists()


def test_an_executive_who_does_not_chair_it_does_not_add_one(world, meeting, client):
    Meeting.objects.filter(pk=meeting.pk).update(chair=world.users["perf"])
    client.force_login(world.users["exec"])
    assert _add(client, meeting, "Not the chair's").status_code == 403
    assert not Action.objects.filter(title="Not the chair's").exists()
