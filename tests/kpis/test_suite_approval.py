"""Approving a KPI suite in the admin records who approved it and when, and an approved suite stays as it was.

Before this was fixed, choosing "approved" in the admin's change form saved the status without an approver
and the database refused it (``kpisuite_approved_has_approver``): a server error.
"""

import pytest
from django.urls import reverse

from kpis.models import KpiSuite
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def suite_form(suite: KpiSuite, **changes) -> dict:
    entries = list(suite.entries.all())
    form = {
        "financial_year": suite.financial_year,
        "status": suite.status,
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for i, entry in enumerate(entries):
        form |= {
            f"entries-{i}-id": str(entry.pk),
            f"entries-{i}-suite": str(suite.pk),
            f"entries-{i}-kpi": str(entry.kpi_id),
            f"entries-{i}-definition": entry.definition,
        }
        if entry.is_key:
            form[f"entries-{i}-is_key"] = "on"
    return form | changes


def test_approving_a_suite_in_the_admin_records_the_approver_and_is_audited(client, world):
    perf = User.objects.get(username="perf")
    client.force_login(perf)
    suite = KpiSuite.objects.get(financial_year="2025/26")
    assert suite.status == "draft"

    response = client.post(
        reverse("admin:kpis_kpisuite_change", args=[suite.pk]), suite_form(suite, status="approved")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    suite.refresh_from_db()
    assert (suite.status, suite.approved_by) == ("approved", perf)
    assert suite.approved_at is not None
    event = AuditEvent.objects.filter(object_type="kpis.KpiSuite", verb="approved").latest("id")
    assert (event.actor, event.object_id) == ("perf", str(suite.pk))


def test_an_approved_suite_is_read_only_in_the_admin(client, world):
    client.force_login(User.objects.get(username="perf"))
    suite = KpiSuite.objects.get(financial_year="2024/25")
    assert suite.status == "approved"
    url = reverse("admin:kpis_kpisuite_change", args=[suite.pk])

    page = client.get(url).content.decode()
    response = client.post(url, suite_form(suite, status="draft"))

    assert 'name="status"' not in page
    assert response.status_code == 403
    suite.refresh_from_db()
    assert suite.status == "approved"


def test_an_empty_suite_is_not_approved_and_the_admin_says_why(client, world):
    client.force_login(User.objects.get(username="perf"))
    suite = KpiSuite.objects.create(financial_year="2026/27")

    response = client.post(
        reverse("admin:kpis_kpisuite_change", args=[suite.pk]), suite_form(suite, status="approved")
    )

    assert response.status_code == 200
    assert "A suite with no KPIs cannot be approved" in response.content.decode()
    suite.refresh_from_db()
    assert suite.status == "draft"
