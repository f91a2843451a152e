"""The FPEC summary paper (issue 18, item 7): it lists as held only the meetings recorded as held, the others
as planned or cancelled; its positions are those of the data month the round of PRMs reviewed, not of the
month they met in; the Meetings calendar and the FPEC committee's page link to it. On the small world."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from reviews.models import DivisionRating, Meeting, MeetingKind

pytestmark = pytest.mark.django_db

ROUND = date(2025, 8, 1)  # the world's latest rated month is July 2025


@pytest.fixture
def august_round(world):
    Meeting.objects.create(
        division=world.surgery, kind=MeetingKind.PRM, scheduled_for=date(2025, 8, 12), status="held"
    )
    Meeting.objects.create(division=world.medicine, kind=MeetingKind.PRM, scheduled_for=date(2025, 8, 13))
    return ROUND


def test_the_paper_lists_held_meetings_as_held_and_planned_ones_as_planned(world, august_round, client):
    client.force_login(world.users["board"])
    page = client.get(reverse("fpec", args=["2025-08"]))
    html = page.content.decode()
    held = html.split("Meetings held in Aug 2025", 1)[1].split("</ul>", 1)[0]
    assert "Surgery, 12 Aug 2025" in held and "Medicine" not in held
    not_held = html.split("Meetings of Aug 2025 not held", 1)[1].split("</ul>", 1)[0]
    assert "Medicine, 13 Aug 2025: planned" in not_held


def test_the_positions_are_those_of_the_data_month_the_round_reviewed(world, august_round, client):
    client.force_login(world.users["perf"])
    page = client.get(reverse("fpec", args=["2025-08"]))
    assert page.context["data_month"] == date(2025, 7, 1)
    positions = {p["division"].code: p for p in page.context["positions"]}
    july = DivisionRating.objects.get(division=world.surgery, month=date(2025, 7, 1))
    june = DivisionRating.objects.get(division=world.surgery, month=date(2025, 6, 1))
    assert (positions["WLD-SUR"]["now"], positions["WLD-SUR"]["before"]) == (july, june)
    assert "which reviewed the data of Jul 2025" in page.content.decode()


def test_the_committee_page_links_to_the_paper_of_the_latest_round(world, august_round, client):
    client.force_login(world.users["exec"])
    with time_machine.travel(date(2025, 8, 20), tick=False):
        page = client.get(reverse("committee", args=["fpec"])).content.decode()
    assert f'href="{reverse("fpec", args=["2025-08"])}"' in page


def test_the_calendar_links_each_month_of_meetings_to_its_paper(world, august_round, client):
    client.force_login(world.users["exec"])
    with time_machine.travel(date(2025, 8, 20), tick=False):
        page = client.get(reverse("calendar")).content.decode()
    assert f'href="{reverse("fpec", args=["2025-08"])}"' in page
    client.force_login(world.users["md.surgery"])  # a division's triumvirate does not read the paper
    with time_machine.travel(date(2025, 8, 20), tick=False):
        page = client.get(reverse("calendar")).content.decode()
    assert reverse("fpec", args=["2025-08"]) not in page
