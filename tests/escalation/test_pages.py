"""Escalation pages on the demo trust: who sees which cases, and the contract and CQUIN exception report."""

from __future__ import annotations

import csv as csv_module
import io
from datetime import date

import pytest
from django.urls import reverse

from divisions.models import Role
from divisions.services.roles import assign_role
from escalation.models import EscalationCase
from escalation.selectors import exception_report
from kpis.models import Kpi, Measurement, Target
from pmf.formatting import format_value
from pmf.models import User
from tests.factories import KpiFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


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


def test_the_exception_csv_keeps_value_and_plan_numeric_beside_their_unit_and_their_words(client, db):
    trust = TrustFactory()
    overspend = KpiFactory(
        code="FIN-IE", unit=Kpi.Unit.CURRENCY, source=Kpi.Source.CONTRACTUAL, direction="higher_is_better"
    )
    Target.objects.create(kpi=overspend, financial_year="2025/26", value=0, effective_from=date(2025, 4, 1))
    Measurement.objects.create(kpi=overspend, org_unit=trust, month=JULY, value=-507.25, status="published")
    commissioner = UserFactory(username="commissioner")
    assign_role(actor=None, user=commissioner, role=Role.COMMISSIONER, org_unit=None, start=date(2016, 4, 1))
    client.force_login(commissioner)

    response = client.get(reverse("exception-report-csv"), {"month": "2025-07"})

    [cells] = list(csv_module.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert cells["unit"] == "£ thousands"
    assert (cells["value"], cells["plan"]) == ("-507.25", "0")  # a spreadsheet sums and sorts these
    assert (cells["value_as_written"], cells["plan_as_written"]) == ("−£507k", "£0k")
    assert cells["outcome"] == "not_met"


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
    assert cells["unit"] == first.get_unit_display()  # value and plan are in the KPI's unit
    assert (cells["value_as_written"], cells["plan_as_written"]) == (
        format_value(row.value, first.unit),
        format_value(row.plan, first.unit),
    )
    assert (float(cells["value"]), float(cells["plan"])) == pytest.approx((row.value, row.plan), abs=1e-6)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert len(pdf.content) > 1000
