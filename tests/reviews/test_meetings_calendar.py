"""The meetings calendar (issue 18, item 7): it opens on this month and the next eleven, not on April; a
financial year, earlier ones included, is one link away. On the small world."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from pmf.periods import add_months
from reviews.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(world):
    """Surgery's PRMs in June and December 2025 and in November 2026."""
    days = [date(2025, 6, 10), date(2025, 12, 9), date(2026, 11, 10)]
    for day in days:
        Meeting.objects.get_or_create(
            division=world.surgery, kind=MeetingKind.PRM, scheduled_for=day, defaults={"frequency": "monthly"}
        )
    return days


def _month_headings(page: str) -> list[str]:
    return [part.split("</h2>", 1)[0] for part in page.split("<h2>")[1:] if "</h2>" in part]


def test_the_calendar_opens_on_this_month_with_earlier_meetings_a_link_away(world, meetings, client):
    client.force_login(world.users["perf"])
    with time_machine.travel(date(2025, 12, 3), tick=False):
        page = client.get(reverse("division-calendar", args=["WLD-SUR"])).content.decode()
    months = [
        h
        for h in _month_headings(page)
        if h[:3] in {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
    ]
    assert months[0] == "Dec 2025" and months[-1] == "Nov 2026" and len(months) == 12
    assert "Tue 9 Dec 2025" in page and "Tue 10 Nov 2026" in page
    assert "10 Jun 2025" not in page  # earlier: on the year's page
    assert '?year=2025/26">the whole of 2025/26</a>' in page
    with time_machine.travel(date(2025, 12, 3), tick=False):
        year = client.get(
            reverse("division-calendar", args=["WLD-SUR"]), {"year": "2025/26"}
        ).content.decode()
    assert "Tue 10 Jun 2025" in year and "Apr 2025" in _month_headings(year)


def test_the_trust_calendar_opens_on_this_month_too(world, meetings, client):
    client.force_login(world.users["exec"])
    with time_machine.travel(date(2026, 11, 20), tick=False):
        page = client.get(reverse("calendar")).content.decode()
    assert "Nov 2026" in _month_headings(page) and "Apr 2026" not in _month_headings(page)
    assert add_months(date(2026, 11, 1), 11).strftime("%b %Y") in _month_headings(page)
