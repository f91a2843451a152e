"""Raising a case by hand: one open case per division and KPI, the usual action plan, critical failures to
FPEC, and only the performance team and executives may do it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from divisions.models import Level, Role, RoleAssignment
from escalation.models import EscalationCase, EscalationEvent
from escalation.services.evaluation import evaluate_escalations
from escalation.services.ladder import raise_case
from kpis.models import Target, Upload
from kpis.services.measurements import publish_frame
from pmf.formatting import format_date
from pmf.models import AuditEvent
from tests.factories import KpiFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)
COLUMNS = ["kpi_id", "org_unit_id", "month", "numerator", "denominator", "value", "is_synthetic"]


@pytest.fixture
def surgery():
    return OrgUnitFactory(code="SUR", name="Surgery")


@pytest.fixture
def perf():
    user = UserFactory(username="perf")
    RoleAssignment.objects.create(user=user, role=Role.PERFORMANCE_TEAM)
    return user


def test_a_case_about_a_kpi_is_raised_once_with_its_plan_due_and_its_reason(surgery, perf):
    kpi = KpiFactory(code="THEATRE", name="Theatre utilisation")

    case = raise_case(actor=perf, division=surgery, kpi=kpi, month=JULY, reason="Lists cancelled all month.")

    assert case.reference == "SUR-THEATRE-2025-07"
    assert (case.trigger, case.level, case.status) == ("manual", "performance_team", "open")
    assert case.exit_criteria.startswith("Meets plan for 3 consecutive months")
    raised = case.events.get()
    assert raised.kind == EscalationEvent.Kind.RAISED and raised.by == perf
    assert raised.note.startswith("Raised by hand on Jul 2025 data: Lists cancelled all month.")
    assert format_date(case.plan_due) in raised.note
    assert AuditEvent.objects.filter(verb="escalation raised", object_id=case.reference).exists()

    with pytest.raises(ValidationError, match="SUR-THEATRE-2025-07 is already open for Theatre utilisation"):
        raise_case(actor=perf, division=surgery, kpi=kpi, month=JULY, reason="Again.")
    with pytest.raises(ValidationError, match="Say why"):
        raise_case(actor=perf, division=surgery, month=JULY, reason="  ")
    with pytest.raises(ValidationError, match="is not a division"):
        raise_case(actor=perf, division=surgery.parent, month=JULY, reason="The trust.")
    assert EscalationCase.objects.count() == 1


def test_a_critical_failure_goes_straight_to_fpec_and_a_case_without_a_kpi_gets_a_free_reference(
    surgery, perf
):
    first = raise_case(
        actor=perf, division=surgery, month=JULY, reason="Never event in theatres.", critical=True
    )
    second = raise_case(actor=perf, division=surgery, month=JULY, reason="Serious incident backlog.")

    assert (first.reference, second.reference) == ("SUR-CASE-2025-07", "SUR-CASE-2025-07-2")
    assert first.level == "fpec" and first.committee.code == "fpec"
    assert [e.kind for e in first.events.all()] == ["raised", "escalated"]
    assert second.level == "performance_team" and second.kpi is None
    assert second.exit_criteria == "Closed by the Executive Team when the concern is resolved."


def test_a_case_raised_by_hand_about_a_kpi_follows_the_rules_at_the_next_evaluation(surgery, perf):
    team = OrgUnitFactory(parent=surgery, level=Level.TEAM)
    kpi = KpiFactory()
    Target.objects.create(kpi=kpi, financial_year="2025/26", value=50, effective_from=date(2025, 4, 1))
    upload = Upload.objects.create(original_name="months.csv", sha256="c" * 64)
    rows = [(kpi.pk, team.pk, date(2025, m, 1), 60.0, 100.0, 60.0, False) for m in (4, 5, 6, 7)]
    publish_frame(actor=None, upload=upload, frame=pd.DataFrame(rows, columns=COLUMNS))
    case = raise_case(actor=perf, division=surgery, kpi=kpi, month=JULY, reason="Audit found errors.")

    evaluate_escalations(month=JULY)

    case.refresh_from_db()
    assert case.status == "de_escalated"  # met plan for the three months to July, and nothing fires


def test_only_the_performance_team_and_executives_raise_cases_from_the_case_list(client, surgery, perf):
    kpi = KpiFactory(code="THEATRE")
    team = OrgUnitFactory(parent=surgery, level=Level.TEAM)
    upload = Upload.objects.create(original_name="july.csv", sha256="d" * 64)
    publish_frame(
        actor=None,
        upload=upload,
        frame=pd.DataFrame([(kpi.pk, team.pk, JULY, 1.0, 2.0, 50.0, False)], columns=COLUMNS),
    )
    lead = UserFactory(username="lead")
    RoleAssignment.objects.create(user=lead, role=Role.CLINICAL_LEAD, org_unit=surgery)
    form = {"division": surgery.pk, "kpi_code": "THEATRE", "reason": "Lists cancelled."}

    client.force_login(lead)
    assert "Raise a case by hand" not in client.get(reverse("escalation-cases")).content.decode()
    assert client.post(reverse("escalation-raise"), form).status_code == 403

    client.force_login(perf)
    assert "Raise a case by hand" in client.get(reverse("escalation-cases")).content.decode()
    refused = client.post(reverse("escalation-raise"), {**form, "kpi_code": "NOPE"}, follow=True)
    assert "There is no KPI with the code &#x27;NOPE&#x27;." in refused.content.decode()
    assert not EscalationCase.objects.exists()

    response = client.post(reverse("escalation-raise"), form)
    assert response.url == reverse("escalation-case", args=["SUR-THEATRE-2025-07"])
    page = client.get(response.url).content.decode()
    assert "Raised by hand: the reason is in the timeline below" in page and "Lists cancelled." in page
    again = client.post(reverse("escalation-raise"), form, follow=True).content.decode()
    assert "SUR-THEATRE-2025-07 is already open" in again
    assert EscalationCase.objects.get().trigger == "manual"
