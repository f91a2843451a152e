"""Recording a meeting as held (issue 18, item 7): a meeting is held on its day or after, never before.

On the small world: the meeting is made for the test; each test's writes are rolled back."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pmf.models import AuditEvent
from reviews.models import Meeting, MeetingKind
from reviews.services.meetings import record_meeting

pytestmark = pytest.mark.django_db


def _meeting(world, day: date) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        division=world.surgery, kind=MeetingKind.PRM, scheduled_for=day, defaults={"frequency": "monthly"}
    )
    return meeting


def test_a_meeting_cannot_be_recorded_as_held_before_its_day(world):
    meeting = _meeting(world, date(2025, 12, 8))
    with pytest.raises(ValidationError, match="8 Dec 2025"):
        record_meeting(
            actor=world.users["perf"],
            meeting=meeting,
            attended=set(),
            minutes="Held early",
            decisions="",
            today=date(2025, 12, 3),
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("planned", "")
    assert not AuditEvent.objects.filter(verb="meeting recorded", object_id=str(meeting.pk)).exists()


def test_a_meeting_is_recorded_as_held_on_its_day(world):
    meeting = _meeting(world, date(2025, 12, 8))
    record_meeting(
        actor=world.users["perf"],
        meeting=meeting,
        attended=set(),
        minutes="Held",
        decisions="",
        today=date(2025, 12, 8),
    )
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_the_meeting_page_refuses_a_meeting_still_to_come_and_says_why(world, client):
    meeting = _meeting(world, timezone.localdate() + timedelta(days=5))
    client.force_login(world.users["perf"])
    response = client.post(
        reverse("meeting-record", args=[meeting.pk]), {"minutes": "Too soon", "decisions": ""}, follow=True
    )
    assert "can be recorded as held on that day or after, not before" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("planned", "")


def test_the_meeting_page_offers_recording_only_from_the_meetings_day(world, client):
    meeting = _meeting(world, timezone.localdate() + timedelta(days=5))
    client.force_login(world.users["perf"])
    page = client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "Record the meeting</button>" not in page
    assert "can be recorded as held from" in page
    past = _meeting(world, timezone.localdate() - timedelta(days=1))
    assert "Record the meeting</button>" in client.get(reverse("meeting", args=[past.pk])).content.decode()


def test_the_attendance_form_names_each_role_in_words(world, client):
    meeting = _meeting(world, timezone.localdate() - timedelta(days=1))
    meeting.invitations.get_or_create(user=world.users["cd.surgery"], defaults={"role": "clinical_director"})
    client.force_login(world.users["perf"])
    page = client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "(Clinical director" in page  # the attendance checkbox
    assert "clinicaldirector" not in page and "clinical_director" not in page
