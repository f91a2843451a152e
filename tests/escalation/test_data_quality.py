"""The data-quality issue log: raising from validation warnings once, resolving, escalating to the DQAG."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from escalation.models import DataQualityIssue
from escalation.services.data_quality import (
    escalate_unresolved_issues,
    raise_issue,
    raise_issues_from_warnings,
    update_issue,
)
from escalation.services.evaluation import evaluate_escalations
from kpis.models import Target, Upload
from kpis.services.measurements import publish_frame
from pmf.models import AuditEvent
from tests.factories import KpiFactory, OrgUnitFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db
JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)
FRAME_COLUMNS = ["kpi_id", "org_unit_id", "month", "numerator", "denominator", "value", "is_synthetic"]

WARNINGS = [
    {
        "row": 4,
        "column": "value",
        "value": "312",
        "code": "large_change",
        "reason": "+80% on the month before.",
    },
    {
        "row": None,
        "column": "",
        "value": "AE-4H / RWD / 2025-07",
        "code": "missing_row",
        "reason": "Expected row.",
        "kpi_code": "ae",
        "org_code": "",
        "month": "2025-07",
    },
]


def test_raise_issues_from_warnings_once_per_warning():
    KpiFactory(code="ae")
    upload = Upload.objects.create(
        original_name="july.csv", file="u/july.csv", sha256="a" * 64, warnings=WARNINGS
    )

    first = raise_issues_from_warnings(upload=upload)
    again = raise_issues_from_warnings(upload=upload)

    assert len(first) == 2 and again == []
    assert first[0].description == "july.csv, row 4 (312): +80% on the month before."
    assert (first[1].kpi.code, first[1].month) == ("ae", date(2025, 7, 1))
    assert AuditEvent.objects.filter(verb="raised data-quality issue").count() == 2


def test_resolving_needs_a_resolution_and_unresolved_issues_go_to_the_dqag():
    perf = UserFactory(username="perf-dq")
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        old = raise_issue(actor=perf, description="Ward 7 falls double counted", owner="Information")
    new = raise_issue(actor=perf, description="Late theatre data")

    with pytest.raises(ValidationError):
        update_issue(issue=new, actor=perf, status="resolved", owner="")
    escalated = escalate_unresolved_issues(today=timezone.localdate())

    assert escalated == [old]
    old.refresh_from_db()
    assert old.escalated_to_dqag and old.escalated_at is not None
    update_issue(issue=old, actor=perf, status="resolved", owner="Information", resolution="Fixed at source")
    assert DataQualityIssue.objects.get(pk=old.pk).resolved_at is not None
    assert escalate_unresolved_issues(today=timezone.localdate()) == []


def test_no_data_where_data_was_expected_is_logged_once_and_cleared_when_the_value_comes():
    """DESIGN §4.3: a month with no value where one was expected raises a data-quality issue."""
    trust = TrustFactory()
    surgery, medicine = OrgUnitFactory(parent=trust), OrgUnitFactory(parent=trust)
    kpi = KpiFactory(name="Theatre utilisation")
    Target.objects.create(kpi=kpi, financial_year="2025/26", value=85, effective_from=date(2025, 4, 1))
    upload = Upload.objects.create(original_name="months.csv", sha256="b" * 64)

    def publish(unit, month, percent):
        row = (kpi.pk, unit.pk, month, percent, 100.0, percent, False)
        publish_frame(actor=None, upload=upload, frame=pd.DataFrame([row], columns=FRAME_COLUMNS))

    publish(surgery, JUNE, 90.0)
    publish(medicine, JUNE, 80.0)
    publish(surgery, JULY, 88.0)  # Medicine's July figure is missing

    first = evaluate_escalations(month=JULY)
    again = evaluate_escalations(month=JULY)

    issue = DataQualityIssue.objects.get(source=DataQualityIssue.Source.NO_DATA)
    assert (first.dq_raised, again.dq_raised) == (1, 0)
    assert (issue.kpi, issue.org_unit, issue.month) == (kpi, medicine, JULY)
    assert issue.description.startswith(f"No data for Theatre utilisation ({kpi.code}) at {medicine.name}")
    assert issue.status == DataQualityIssue.Status.OPEN

    publish(medicine, JULY, 79.0)
    cleared = evaluate_escalations(month=JULY)

    issue.refresh_from_db()
    assert cleared.dq_resolved == 1 and evaluate_escalations(month=JULY).dq_resolved == 0
    assert issue.status == DataQualityIssue.Status.RESOLVED
    assert issue.resolution == "The value for Jul 2025 has been published."
    assert AuditEvent.objects.filter(object_id=issue.pk, verb="updated").exists()
