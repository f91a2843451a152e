"""The data-quality issue log: raising from validation warnings once, resolving, escalating to the DQAG."""

from __future__ import annotations

from datetime import date, timedelta

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
from kpis.models import Upload
from pmf.models import AuditEvent
from tests.factories import KpiFactory, UserFactory

pytestmark = pytest.mark.django_db

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
