"""The divisional dashboard: what it shows, in how many queries, and who may write commentary on it."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import OrgUnit, Role, RoleAssignment
from kpis.models import Commentary, CommentaryReminder, Measurement
from pmf.formatting import format_weekday_date
from pmf.models import AuditEvent, User
from reviews.ipr.store import forget_ipr_content
from reviews.models import Meeting
from reviews.services.commentary_reminders import send_commentary_reminders
from tests.factories import KpiFactory

pytestmark = pytest.mark.django_db

JULY = date(2025, 7, 1)


def dashboard(code="RWD-SUR"):
    return reverse("division-dashboard", args=[code])


def commentary_url(code, kpi, month="2025-07"):
    return reverse("division-commentary", args=[code, kpi, month])


def test_dashboard_shows_scorecard_position_work_and_missing_commentary_in_fixed_queries(
    client, demo, django_assert_num_queries
):
    client.force_login(User.objects.get(username="cl.surgery"))
    forget_ipr_content()
    with CaptureQueriesContext(connection) as building:
        client.get(dashboard())  # the first read after a change builds the stored scorecard
    with django_assert_num_queries(QUERIES):
        body = client.get(dashboard()).content.decode()

    assert "Data as at <strong>Jul 2025</strong>" in body
    next_prm = Meeting.objects.filter(
        division__code="RWD-SUR", status="planned", scheduled_for__gte=date.today()
    )
    assert f"next review {format_weekday_date(next_prm.earliest('scheduled_for').scheduled_for)}." in body
    for domain in ("Finance", "Workforce", "Quality", "Operational"):
        assert f"<caption>{domain}</caption>" in body
    # Referral to treatment within 18 weeks: Surgery's own value (the sum of its treatment functions in NHS
    # England's file), its plan, icons, sparkline, kitemark, chart
    row = body[body.index('id="kpi-RTT-18W"') :].split("</tr>")[0]
    assert "54.4%" in row and "65.0%" in row and "Not met" in row
    assert row.count('class="spc-icon') >= 2 or row.count("<svg") >= 3
    assert "<polyline" in row and 'class="sparkline"' in row
    assert "kitemark" in row
    assert reverse("kpi-chart", args=["RTT-18W", "RWD-SUR"]) in row
    assert "Needed" in row and commentary_url("RWD-SUR", "RTT-18W") in row
    # Off-plan key KPIs without commentary are flagged; met ones are not.
    flagged = body[body.index('id="missing-heading"') : body.index('id="scorecard-heading"')]
    assert "Referral to treatment within 18 weeks" in flagged
    assert "Falls" not in flagged
    # Position and why, with the link to the ratings page
    assert "Failing" in body and "Why: criteria not met in full" in body
    assert reverse("division", args=["RWD-SUR"]) in body
    # Open actions and escalation cases of Surgery only
    actions = body[body.index('id="actions-heading"') : body.index('id="cases-heading"')]
    assert "has no open actions" not in actions and "<table" in actions
    cases = body[body.index('id="cases-heading"') :]
    assert "RWD-SUR-" in cases and "RWD-MED-" not in cases
    assert "<script" not in body.split("</header>")[1]  # CSP: nothing inline

    # The same number of queries with 25 more KPIs and two more months of them
    surgery = OrgUnit.objects.get(code="RWD-SUR")
    for kpi in KpiFactory.create_batch(25):
        for month in (date(2025, 5, 1), date(2025, 6, 1), JULY):
            Measurement.objects.create(kpi=kpi, org_unit=surgery, month=month, value=50, status="published")
    with django_assert_num_queries(len(building)):
        client.get(dashboard())
    with django_assert_num_queries(QUERIES):
        body = client.get(dashboard()).content.decode()
    assert body.count('id="kpi-') >= 25 + 20

    # Another division's triumvirate reads the published figures, not Surgery's actions and cases.
    client.force_login(User.objects.get(username="md.medicine"))
    body = client.get(dashboard()).content.decode()
    assert "Actions are shown to" in body and "RWD-SUR-" not in body.split('id="cases-heading"')[1]
    assert commentary_url("RWD-SUR", "RTT-18W") not in body


# session, user, roles, the division (with the units above it), the units under it, the latest month; the
# rating page (ratings, next planned meeting, freedoms, last review); the trust's words;
# the stored scorecard (reviews.ipr.store); open cases; open actions with their KPIs and updates. Building
# the scorecard after a change takes a fixed number more (counted above, with more KPIs and months).
QUERIES = 16


def test_commentary_is_written_by_the_division_and_refused_to_others_and_reminded_once(client, demo):
    surgery_lead = User.objects.get(username="cl.surgery")
    client.force_login(surgery_lead)

    # The form is prefilled with the sentence generated from the chart.
    form = client.get(commentary_url("RWD-SUR", "RTT-18W")).content.decode()
    assert "In Jul 2025 the value was" in form

    response = client.post(
        commentary_url("RWD-SUR", "RTT-18W"),
        {
            "what_the_chart_tells_us": "Waits are lengthening.",
            "issues": "Theatre staffing gaps",
            "actions": "Weekend lists from September",
            "mitigations": "Insourcing for orthopaedics",
            "recovery_date": "2026-03-31",
        },
    )
    assert response.status_code == 302
    note = Commentary.objects.get(kpi__code="RTT-18W", org_unit__code="RWD-SUR", month=JULY)
    assert note.author == surgery_lead and note.recovery_date == date(2026, 3, 31)
    assert AuditEvent.objects.filter(object_type="kpis.Commentary", actor="cl.surgery").exists()
    body = client.get(response.url).content.decode()
    assert "Theatre staffing gaps" in body
    flagged = body[body.index('id="missing-heading"') : body.index('id="scorecard-heading"')]
    assert "Referral to treatment within 18 weeks" not in flagged

    # A Surgery clinical lead may not write for Medicine (a KPI Medicine reports): 403, nothing written.
    before = Commentary.objects.count()
    for method in (client.get, client.post):
        response = method(commentary_url("RWD-MED", "AE-4H"), {"issues": "Not mine to write"})
        assert response.status_code == 403
    assert Commentary.objects.count() == before
    assert not Commentary.objects.filter(org_unit__code="RWD-MED").exists()
    # Nor may a board member or an executive write for Surgery.
    for username in ("board", "exec"):
        client.force_login(User.objects.get(username=username))
        assert client.post(commentary_url("RWD-SUR", "RTT-52W"), {"issues": "x"}).status_code == 403
    assert not Commentary.objects.filter(kpi__code="RTT-52W").exists()
    # A KPI the division does not report is not found, even for the performance team.
    client.force_login(User.objects.get(username="perf"))
    assert client.get(commentary_url("RWD-SUR", "AE-4H")).status_code == 404

    # Reminders: the triumvirates with addresses get one e-mail per division, once per KPI and month.
    for user in User.objects.filter(username__in=["md.surgery", "cd.surgery", "md.medicine"]):
        user.email = f"{user.username}@example.nhs.uk"
        user.save()
    mail.outbox.clear()
    first = send_commentary_reminders(today=date(2025, 8, 20))
    assert first.month == JULY
    sent = {(d, k) for d, k in first.sent}
    assert ("RWD-SUR", "RTT-52W") in sent and ("RWD-SUR", "RTT-18W") not in sent  # written above
    assert ("RWD-MED", "AE-4H") in sent
    assert "RWD-CSS" in first.no_address and not any(d == "RWD-CSS" for d, _ in sent)
    surgery_mail = next(m for m in mail.outbox if "Surgery" in m.subject)
    assert sorted(surgery_mail.to) == ["cd.surgery@example.nhs.uk", "md.surgery@example.nhs.uk"]
    assert (
        "RTT-52W" in surgery_mail.body and "/divisions/RWD-SUR/dashboard/?month=2025-07" in surgery_mail.body
    )
    assert CommentaryReminder.objects.count() == len(sent)

    mail.outbox.clear()
    again = send_commentary_reminders(today=date(2025, 8, 21))
    assert again.sent == [] and mail.outbox == []
    assert CommentaryReminder.objects.count() == len(sent)
    # An address added later: that division is reminded on the next run, and only it.
    RoleAssignment.objects.create(
        user=User.objects.create(username="cl.css", email="cl.css@example.nhs.uk"),
        role=Role.CLINICAL_LEAD,
        org_unit=OrgUnit.objects.get(code="RWD-CSS"),
        start=date(2025, 1, 1),
    )
    later = send_commentary_reminders(today=date(2025, 8, 22))
    assert later.sent and {d for d, _ in later.sent} == {"RWD-CSS"}
