"""Escalation pages on the demo trust: who sees which cases, and the contract and CQUIN exception report."""

from __future__ import annotations

import csv as csv_module
import io
from datetime import date

import pytest
from django.urls import reverse

from escalation.models import EscalationCase
from escalation.selectors import exception_report
from kpis.models import Kpi
from pmf.formatting import format_value
from pmf.models import User

pytestmark = pytest.mark.django_db


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_cases_by_role_and_commissioner_sees_only_the_exception_report(client, demo):
    medicine_case = EscalationCase.objects.filter(division__code="RWD-MED").first()
    surgery_case = EscalationCase.objects.filter(division__code="RWD-SUR").first()

    page = as_user(client, "cl.surgery").get(reverse("escalation-cases")).content.decode()
    assert surgery_case.reference in page and medicine_case.reference not in page
    assert client.get(reverse("escalation-case", args=[medicine_case.reference])).status_code == 403
    assert client.get(reverse("escalation-case", args=[surgery_case.reference])).status_code == 200

    page = as_user(client, "md.medicine").get(reverse("escalation-cases")).content.decode()
    assert medicine_case.reference in page and surgery_case.reference not in page

    page = (
        as_user(client, "perf")
        .get(reverse("escalation-case", args=[medicine_case.reference]))
        .content.decode()
    )
    assert "Record the plan" in page and "Record the decision" not in page
    as_user(client, "exec")
    page = client.get(reverse("escalation-cases")).content.decode()
    assert medicine_case.reference in page and surgery_case.reference in page

    as_user(client, "commissioner")
    assert client.get(reverse("exception-report")).status_code == 200
    for name, args in [
        ("escalation-cases", []),
        ("escalation-case", [medicine_case.reference]),
        ("committees", []),
        ("dq-issues", []),
        ("ratings", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.get(reverse("home")).url == reverse("exception-report")  # where signing in lands


def test_exception_report_lists_contract_kpis_not_met_and_exports(client, demo):
    report = exception_report(date(2025, 7, 1))
    assert report.rows, "the demo trust misses some contractual KPIs or CQUINs in July 2025"
    assert {r.kpi.source for r in report.rows} <= {"contractual", "cquin"}
    first = report.rows[0].kpi
    Kpi.objects.filter(pk=first.pk).update(name='=HYPERLINK("http://example.invalid","x")')
    as_user(client, "commissioner")

    html = client.get(reverse("exception-report"), {"month": "2025-07"}).content.decode()
    csv = client.get(reverse("exception-report-csv"), {"month": "2025-07"}).content.decode("utf-8-sig")
    pdf = client.get(reverse("exception-report-pdf"), {"month": "2025-07"})

    assert first.code in html
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    cells = next(csv_module.DictReader(io.StringIO(csv)))
    row = report.rows[0]
    assert (cells["value"], cells["plan"]) == (
        format_value(row.value, first.unit),
        format_value(row.plan, first.unit),
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert len(pdf.content) > 1000
