"""The setup workbook page: download, upload, preview, apply; the performance team only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from divisions.models import OrgUnit
from pmf.models import AuditEvent
from tests.trust_setup.test_workbook import edited, row_counts, where
from trust_setup.models import SetupImport
from trust_setup.workbook.files import read_xlsx
from trust_setup.workbook.service import export_xlsx

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str = "setup.xlsx"):
    return client.post(reverse("setup-workbook"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def perf(client, world):
    client.force_login(world.users["perf"])
    return client


def test_the_download_is_the_current_setup(perf):
    response = perf.get(reverse("setup-workbook-download"))
    assert response.status_code == 200
    assert response.content == export_xlsx()
    assert "setup" in response["Content-Disposition"]
    template = read_xlsx(perf.get(reverse("setup-workbook-template")).content)
    assert all(not sheet.rows for sheet in template if sheet.name != "about")


def test_upload_preview_then_apply(perf, django_assert_max_num_queries):
    content = edited(org_units=lambda rows: where(rows, "code", "WLD-MED", name="Medicine and Urgent Care"))
    response = upload(perf, content)
    kept = SetupImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "setup-workbook-import", args=[kept.pk]
    )
    assert (kept.status, len(kept.sha256)) == ("ready", 64)
    assert OrgUnit.objects.get(code="WLD-MED").name == "Medicine"  # nothing written before apply

    with django_assert_max_num_queries(12):
        page = perf.get(reverse("setup-workbook-import", args=[kept.pk])).content.decode()
    assert "0 added, 1 changed, 0 retired" in page
    assert "Medicine and Urgent Care" in page and "Apply these changes" in page

    perf.post(reverse("setup-workbook-apply", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.status == "applied" and kept.applied_by.username == "perf"
    assert OrgUnit.objects.get(code="WLD-MED").name == "Medicine and Urgent Care"
    assert AuditEvent.objects.filter(verb="applied a setup workbook", object_id=str(kept.pk)).exists()

    before = row_counts()
    perf.post(reverse("setup-workbook-apply", args=[kept.pk]))  # applying twice applies nothing
    assert row_counts() == before


def test_a_bad_workbook_shows_every_problem_and_offers_no_apply(perf):
    content = edited(
        trust=lambda rows: [*rows, {**rows[0], "code": "RTH"}],
        targets=lambda rows: where(rows, "kpi", "SICK", kpi="SICKNESS"),
    )
    upload(perf, content)
    kept = SetupImport.objects.get()
    assert kept.status == "refused"
    page = perf.get(reverse("setup-workbook-import", args=[kept.pk])).content.decode()
    assert "3 problems to fix" in page
    assert "a second trust (RTH)" in page and "SICKNESS" in page
    assert "Apply these changes" not in page
    before = row_counts()
    perf.post(reverse("setup-workbook-apply", args=[kept.pk]))
    assert row_counts() == before


def test_a_file_that_is_no_workbook_is_refused_with_a_reason(perf):
    upload(perf, b"code,name\nA,B\n", name="setup.csv")
    page = perf.get(reverse("setup-workbook-import", args=[SetupImport.objects.get().pk])).content.decode()
    assert "neither an Excel workbook (.xlsx) nor a zip of CSV files" in page


def test_a_preview_gone_stale_is_not_applied(perf):
    content = edited(domains=lambda rows: where(rows, "code", "finance", name="Money"))
    upload(perf, content)
    kept = SetupImport.objects.get()
    OrgUnit.objects.filter(code="WLD-SUR").update(
        name="Renamed meanwhile"
    )  # the setup changes after the preview
    perf.post(reverse("setup-workbook-apply", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.status == "ready" and kept.applied_at is None
    assert OrgUnit.objects.get(code="WLD-SUR").name == "Renamed meanwhile"
    assert kept.preview["totals"]["changed"] == 2  # the new preview: the domain and the unit put back


def test_a_triumvirate_gets_403(client, world):
    client.force_login(world.users["cl.surgery"])
    for name in ("setup-workbook", "setup-workbook-download", "setup-workbook-template"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, export_xlsx()).status_code == 403
    assert not SetupImport.objects.exists()
