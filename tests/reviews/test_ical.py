"""The iCalendar feed writer (RFC 5545), pure, and the personal feed addresses: reset and revoked."""

from datetime import date, datetime
from urllib.parse import urlparse

import pytest
from django.core import signing
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from divisions.models import Role
from divisions.services.roles import assign_role
from pmf.models import AuditEvent
from reviews.ical import CalendarEvent, calendar, escape, fold
from reviews.services.calendar_feed import FEED_SALT, feed_token, reset_calendar_feed, user_for_feed_token
from tests.factories import OrgUnitFactory, TrustFactory, UserFactory

STAMP = datetime(2025, 7, 1, 9, 30)


def test_escape_backslash_semicolon_comma_and_new_lines():
    assert escape("a\\b;c,d\r\ne\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_a_feed_of_two_all_day_events():
    events = [
        CalendarEvent(
            uid="meeting-1@pmf",
            day=date(2025, 7, 8),
            summary="PRM: Surgery",
            description="Pack due 1 July; bring the plan, please",
            url="https://pmf.example/meetings/1/",
        ),
        CalendarEvent(uid="meeting-2@pmf", day=date(2025, 12, 31), summary="PRM: Medicine", cancelled=True),
    ]

    body = calendar(events, name="PMF meetings for md.surgery", stamp=STAMP)

    assert body.split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PMF//Performance review meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:PMF meetings for md.surgery",
        "BEGIN:VEVENT",
        "UID:meeting-1@pmf",
        "DTSTAMP:20250701T093000Z",
        "DTSTART;VALUE=DATE:20250708",
        "DTEND;VALUE=DATE:20250709",
        "SUMMARY:PRM: Surgery",
        "DESCRIPTION:Pack due 1 July\\; bring the plan\\, please",
        "URL:https://pmf.example/meetings/1/",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:meeting-2@pmf",
        "DTSTAMP:20250701T093000Z",
        "DTSTART;VALUE=DATE:20251231",
        "DTEND;VALUE=DATE:20260101",  # an all-day event ends the next day, across the year end
        "SUMMARY:PRM: Medicine",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_an_empty_feed_is_still_a_calendar():
    body = calendar([], name="Nothing", stamp=STAMP)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "VEVENT" not in body


def test_a_long_line_folds_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Performance review – " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_not_folded():
    assert fold("SUMMARY:PRM") == "SUMMARY:PRM"


@given(st.text(min_size=0, max_size=400))
def test_folding_never_loses_text_or_overruns(text):
    line = "DESCRIPTION:" + escape(text)
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(p.encode("utf-8")) <= 75 for p in folded.split("\r\n"))


# Personal feed addresses, for a performance-team member and Surgery's clinical lead.


@pytest.fixture
def people(db):
    trust = TrustFactory()
    surgery = OrgUnitFactory(parent=trust, level="division", code="SUR", name="Surgery")
    start = date(2020, 4, 1)
    perf, lead = UserFactory(username="perf"), UserFactory(username="cl.surgery")
    assign_role(actor=None, user=perf, role=Role.PERFORMANCE_TEAM, org_unit=None, start=start)
    assign_role(actor=None, user=lead, role=Role.CLINICAL_LEAD, org_unit=surgery, start=start)
    return {"perf": perf, "lead": lead}


def _feed_path(client, user) -> str:
    client.force_login(user)
    url = client.get(reverse("calendar")).context["feed_url"]
    client.logout()
    return urlparse(url).path


def test_resetting_my_calendar_address_stops_the_old_one_and_gives_a_new_one(client, people):
    lead = people["lead"]
    old = _feed_path(client, lead)
    assert client.get(old).status_code == 200

    client.force_login(lead)
    response = client.post(reverse("calendar-address-reset"), {"next": reverse("calendar")}, follow=True)
    new = urlparse(response.context["feed_url"]).path
    assert "Your calendar address has been reset" in response.content.decode()
    assert new in response.content.decode()  # shown where the address is shown
    client.logout()

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    event = AuditEvent.objects.get(verb="reset calendar address")
    assert (event.actor, event.object_id) == ("cl.surgery", str(lead.pk))
    assert (event.before, event.after) == ({"calendar_feed_generation": 0}, {"calendar_feed_generation": 1})


def test_an_address_made_before_resets_existed_works_until_it_is_reset(client, people):
    lead = people["lead"]
    legacy = reverse("calendar-feed", args=[signing.dumps(lead.pk, salt=FEED_SALT)])
    assert client.get(legacy).status_code == 200
    reset_calendar_feed(actor=lead, user=lead)
    assert client.get(legacy).status_code == 404


def test_the_performance_team_can_revoke_someone_elses_address(client, people):
    perf, lead = people["perf"], people["lead"]
    old = _feed_path(client, lead)

    client.force_login(perf)
    own = urlparse(client.get(reverse("calendar")).context["feed_url"]).path
    response = client.post(reverse("calendar-address-reset"), {"username": "cl.surgery"}, follow=True)
    assert "has been reset" in response.content.decode()
    client.logout()
    # Their own address is untouched: it still opens (the address is signed afresh with the time each time
    # the page shows it, so the text may differ from one second to the next).
    assert client.get(own).status_code == 200

    assert client.get(old).status_code == 404
    assert _feed_path(client, lead) != old
    event = AuditEvent.objects.get(verb="reset calendar address")
    assert (event.actor, event.object_id, event.note) == ("perf", str(lead.pk), "for cl.surgery")


def test_no_one_else_can_revoke_another_persons_address(client, people):
    old = _feed_path(client, people["perf"])
    client.force_login(people["lead"])
    response = client.post(reverse("calendar-address-reset"), {"username": "perf"})
    assert response.status_code == 403
    client.logout()
    assert client.get(old).status_code == 200
    assert not AuditEvent.objects.filter(verb="reset calendar address").exists()


def test_resetting_needs_a_post_and_a_sign_in(client, people):
    assert client.post(reverse("calendar-address-reset")).status_code == 302  # to sign in
    client.force_login(people["lead"])
    assert client.get(reverse("calendar-address-reset")).status_code == 405


def test_an_unknown_person_is_reported_not_reset(client, people):
    client.force_login(people["perf"])
    response = client.post(reverse("calendar-address-reset"), {"username": "nobody"}, follow=True)
    assert "No one signs in as nobody" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="reset calendar address").exists()


def test_the_reset_form_for_others_is_offered_to_the_performance_team_only(client, people):
    client.force_login(people["perf"])
    assert "Reset someone else" in client.get(reverse("calendar")).content.decode()
    client.force_login(people["lead"])
    body = client.get(reverse("calendar")).content.decode()
    assert "Reset my calendar address" in body and "Reset someone else" not in body


@pytest.mark.parametrize(
    "payload",
    [[1, "x"], [1, 2, 3], "1", {"pk": 1}],
    ids=["text generation", "three parts", "text id", "mapping"],
)
def test_a_correctly_signed_but_malformed_token_is_no_one(people, payload):
    assert user_for_feed_token(signing.dumps(payload, salt=FEED_SALT)) is None


def test_tokens_of_inactive_people_find_no_one(people):
    lead = people["lead"]
    token = feed_token(lead)
    assert user_for_feed_token(token) == lead
    lead.is_active = False
    lead.save()
    assert user_for_feed_token(token) is None
