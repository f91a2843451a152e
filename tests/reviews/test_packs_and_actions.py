"""PRM schedules, data packs and actions against the demo trust (real database, real PDF rendering)."""

import io
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from divisions.models import OrgUnit
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
def surgery(demo):
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


def test_recording_a_meeting_flags_essential_absence(surgery):
    meeting = Meeting.objects.filter(division=surgery).first()
    perf = User.objects.get(username="perf")
    absent = record_meeting(actor=perf, meeting=meeting, attended={perf.pk}, minutes="m", decisions="d")
    assert any(i.user.username == "md.surgery" for i in absent)
    meeting.refresh_from_db()
    assert meeting.status == "held"


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
    sources = {line["source"] for line in built_pack.lines_of_enquiry}
    assert "overdue_action" in sources
    assert any(a["overdue"] for a in snapshot["actions"])


def test_an_issued_pack_pdf_opens_with_charts_and_lines_and_stays_frozen(built_pack, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    perf = User.objects.get(username="perf")
    User.objects.filter(username="md.surgery").update(email="md.surgery@example.nhs.uk")
    edit_pack(
        pack=built_pack,
        actor=perf,
        lines="Why has theatre utilisation fallen?\n\nWhat is the recovery date?",
        risks="Winter pressures",
    )
    pack = issue_pack(pack=built_pack, actor=perf)
    reader = PdfReader(io.BytesIO(pack.pdf.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Why has theatre utilisation fallen?" in text
    assert "Key lines of enquiry" in text
    images = sum(len(page.images) for page in reader.pages)
    exceptions = [r for r in pack.snapshot["content"]["kpis"] if r["figure"]]
    assert exceptions and images >= len(exceptions)
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
