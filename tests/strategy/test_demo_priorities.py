"""The Board's priorities on the demonstration trust (data as at 31 July 2025): the pages, the quarterly
Board update's content and PDF, the line of enquiry in Surgery's data pack, and where the owner lands."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from divisions.models import OrgUnit
from kpis.assessment import Outcome
from pmf.models import AuditEvent, User
from reviews.models import Meeting
from reviews.selectors.packs import pack_content
from strategy.models import Priority, PriorityUpdate
from strategy.progress import Quarter
from strategy.selectors import quarterly_update

pytestmark = pytest.mark.django_db
AS_AT = date(2025, 7, 31)
FLOW = "Improve urgent and emergency care flow"
WAITS = "Reduce long waits for planned care"
MONEY = "Live within our financial plan"


@pytest.fixture
def on_the_demo_day():
    with time_machine.travel(date(2025, 8, 4), tick=False):  # a Monday after July's month end
        yield


def _priority(title: str) -> Priority:
    return Priority.objects.get(year=2025, title=title)


def test_the_demo_has_four_priorities_for_2025_26_owned_by_its_executive(demo):
    priorities = Priority.objects.filter(year=2025).order_by("title")
    assert [p.title for p in priorities] == [
        FLOW,
        MONEY,
        WAITS,
        "Support and keep our people",
    ]
    assert {p.owner.username for p in priorities} == {"exec"}
    assert sorted(_priority(WAITS).kpis.values_list("code", flat=True)) == [
        "CAN-62D",
        "DM01-6W",
        "RTT-18W",
        "RTT-52W",
    ]
    assert PriorityUpdate.objects.filter(priority__year=2025).count() == 12  # April to June, for each


def test_the_q1_board_update_lists_status_milestones_and_kpi_standing(demo):
    report = quarterly_update(Quarter(2025, 1), AS_AT)
    assert report.as_at == date(2025, 6, 30)  # the quarter is over: read at its last day
    rows = {row.priority.title: row for row in report.rows}

    flow = rows[FLOW]
    assert (flow.latest.month, flow.latest.status) == (date(2025, 6, 1), "on_track")
    assert [m.title for m in flow.completed] == ["Same-day emergency care open seven days a week"]
    assert flow.missed == [] and flow.carried == []

    waits = rows[WAITS]
    assert waits.latest.get_status_display() == "At risk"
    # Due 31 May, completed 10 June: missed at the end of May, but complete by the quarter's end.
    assert [(m.title, m.completed_on) for m in waits.completed] == [
        ("Waiting list validated for every pathway over 40 weeks", date(2025, 6, 10))
    ]

    money = rows[MONEY]
    assert money.latest.status == "off_track"
    # Due on the quarter's last day and not complete when it ended: missed.
    assert [(m.title, m.due_date) for m in money.missed] == [
        ("Cost improvement schemes identified in full", date(2025, 6, 30))
    ]
    assert money.completed == [] and money.pending == []

    # The linked KPIs stand at the trust in the quarter's latest month with data (June 2025 at the latest).
    standing = {row.kpi.code: row.standing for row in flow.kpis}
    assert set(standing) == {"AE-4H", "AE-DTA-12H", "BED-OCC", "NCTR"}
    four_hours = standing["AE-4H"]
    assert four_hours is not None and four_hours.month <= date(2025, 6, 1)
    assert four_hours.outcome in set(Outcome)


def test_the_q2_board_update_read_during_the_quarter_shows_the_missed_theatre_milestone(demo):
    report = quarterly_update(Quarter(2025, 2), AS_AT)
    assert report.as_at == AS_AT
    rows = {row.priority.title: row for row in report.rows}
    waits = rows[WAITS]
    assert [(m.title, m.due_date) for m in waits.missed] == [
        ("Elective hub's second theatre in use", date(2025, 7, 25))
    ]
    assert [m.title for m in waits.pending] == ["No patient waiting over 65 weeks"]
    # Missed in Q1 and still open on 31 July: carried into the Q2 update.
    assert [m.title for m in rows[MONEY].carried] == ["Cost improvement schemes identified in full"]
    assert rows[FLOW].latest.month == date(2025, 6, 1)  # July's update not written yet


def test_the_board_update_page_and_pdf_say_the_same(demo, client, on_the_demo_day):
    client.force_login(User.objects.get(username="board"))
    page = client.get(reverse("board-update", args=["2025-q2"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Q2 2025/26" in html and "Elective hub&#x27;s second theatre in use" in html and "25 Jul 2025" in html
    )
    pdf = client.get(reverse("board-update-pdf", args=["2025-q2"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Q2 2025/26" in text and "Reduce long waits for planned care" in text and "Missed" in text


def test_the_priority_page_shows_owner_milestones_kpis_actions_and_updates(demo, client, on_the_demo_day):
    priority = _priority(WAITS)
    client.force_login(User.objects.get(username="cl.surgery"))
    html = client.get(reverse("priority", args=[priority.pk])).content.decode()
    assert "Chief Operating Officer" in html  # the owner, named by job title
    assert "Overdue" in html and "Elective hub" in html
    assert "Referral to treatment within 18 weeks" in html
    assert "Agree a recovery plan for the key KPIs off plan" in html  # Surgery's demo action
    assert "Validation completed ten days late" in html
    assert "The update for Jul 2025 has not been written." in html
    assert reverse("priority-update", args=[priority.pk]) not in html  # only the owner writes it


def test_the_pages_read_in_a_fixed_number_of_queries(
    demo, client, django_assert_max_num_queries, on_the_demo_day
):
    client.force_login(User.objects.get(username="board"))
    priority = _priority(FLOW)
    for url, most in (
        (reverse("priorities") + "?year=2025/26", 14),
        (reverse("priority", args=[priority.pk]), 18),
        (reverse("board-update", args=["2025-q2"]), 18),
        (reverse("your-priorities"), 12),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


def test_the_owner_writes_and_edits_the_monthly_update(demo, client, on_the_demo_day):
    priority = _priority(FLOW)
    url = reverse("priority-update", args=[priority.pk])
    client.force_login(User.objects.get(username="board"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(username="exec"))
    form = {
        "month": "2025-07",
        "status": "at_risk",
        "narrative": "Twelve-hour waits rose in July.",
        "evidence": "",
    }
    assert client.post(url, form).status_code == 302
    form["status"] = "off_track"
    client.post(url, form)
    update = PriorityUpdate.objects.get(priority=priority, month=date(2025, 7, 1))
    assert update.status == "off_track"
    events = AuditEvent.objects.filter(object_type="strategy.PriorityUpdate", object_id=str(update.pk))
    assert [e.verb for e in events.order_by("pk")] == ["priority update written", "priority update edited"]


def test_an_overdue_milestone_is_a_line_of_enquiry_in_the_owning_divisions_pack(demo):
    surgery = OrgUnit.objects.get(code="RWD-SUR")
    meeting = Meeting.objects.create(division=surgery, scheduled_for=date(2025, 8, 12))
    pack = pack_content(meeting, date(2025, 7, 1), today=AS_AT)
    lines = pack["generated_lines"] + pack["more_lines"]  # ranked: asked first, the rest listed apart
    asked = [line["text"] for line in lines if line["source"] == "overdue_milestone"]
    assert asked == [
        "Milestone \u201cElective hub's second theatre in use\u201d of the Board's priority "
        "\u201cReduce long waits for planned care\u201d was due 25 Jul 2025: what holds it up, and when "
        "will it be complete?"
    ]
    medicine = Meeting.objects.create(
        division=OrgUnit.objects.get(code="RWD-MED"), scheduled_for=date(2025, 8, 12)
    )
    assert not [
        line
        for line in pack_content(medicine, date(2025, 7, 1), today=AS_AT)["generated_lines"]
        if line["source"] == "overdue_milestone"
    ]


def test_the_owner_lands_on_your_priorities_with_what_is_owed(demo, client, on_the_demo_day):
    client.force_login(User.objects.get(username="exec"))
    response = client.get(reverse("home"))
    assert response.url == reverse("your-priorities")
    html = client.get(response.url).content.decode()
    assert "Monthly updates to write" in html and "the update for Jul 2025" in html
    assert "Elective hub&#x27;s second theatre in use" in html
    assert "Cost improvement schemes identified in full" in html
