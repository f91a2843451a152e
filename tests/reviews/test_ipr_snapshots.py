"""Published IPR snapshots read back through `IprContent.from_json` and render, whenever they were frozen.

``ipr_snapshot_2025_07.json`` is the snapshot of the demonstration trust's July 2025 IPR as publishing wrote
it before the content became types (dicts built by hand), cut down to four KPIs and their charts to the
value line (the summary's counts are still the full report's). Reports published then read as they did.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpis.models import Kpi
from kpis.services.commentary import save_commentary
from pmf.models import User
from reviews.ipr.content import IprContent
from reviews.models import IprReport
from reviews.services.ipr import approve_ipr, publish_ipr, save_ipr_draft

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)
OLD_SNAPSHOT = Path(__file__).with_name("ipr_snapshot_2025_07.json")
NATIONAL_PARTS = {"benchmarking", "national_sources", "source_notes"}  # added after the old snapshots


def old_snapshot() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(OLD_SNAPSHOT.read_text())
    return data


def user(name: str) -> User:
    return User.objects.get(username=name)


def publish_july() -> IprReport:
    perf, chief = user("perf"), user("exec")
    report = save_ipr_draft(
        actor=perf,
        month=JULY,
        executive_summary="A difficult month.",
        lead_director="Chief Operating Officer",
        recommendation="Note the report.",
    )
    approve_ipr(actor=chief, report=report)
    return publish_ipr(actor=perf, report=report)


def test_a_snapshot_in_the_old_shape_reads_back_and_writes_out_unchanged():
    snapshot = old_snapshot()

    content = IprContent.from_json(snapshot)

    assert content.to_json() == snapshot
    ae = content.row("AE-4H")
    assert ae is not None and ae.commentary is not None and ae.forecast is not None
    assert ae.cell == ("common_cause", "fail") and ae.commentary.recovery_date == date(2025, 12, 1)
    assert ae.forecast.months[0].likely is False and ae.kitemark is not None
    assert content.month == JULY and content.report is not None
    assert [r.code for r in content.rows(content.summary.exceptions)] == ["VTE-RA", "AE-4H"]


def test_content_published_today_is_stored_in_the_old_shape_and_reads_back(
    demo, django_capture_on_commit_callbacks
):
    save_commentary(
        actor=user("exec"),
        kpi=Kpi.objects.get(code="AE-4H"),
        org_unit=demo.trust,
        month=JULY,
        issues="Exit block from the wards",
        recovery_date=date(2025, 12, 1),
    )
    with django_capture_on_commit_callbacks(execute=False):  # the board pack is tested on its own
        report = publish_july()
    snapshot, old = report.snapshot, old_snapshot()

    assert IprContent.from_json(snapshot).to_json() == snapshot
    # The same keys at every level as the snapshots published before the content became types, and after
    # them only the national parts, written when there are any (the demo trust has peer figures).
    assert [k for k in snapshot if k not in NATIONAL_PARTS] == list(old)
    assert set(snapshot) - set(old) <= NATIONAL_PARTS
    assert list(snapshot["summary"]) == list(old["summary"])
    assert list(snapshot["report"]) == list(old["report"])
    assert list(snapshot["matrix"][0]["cells"][0]) == list(old["matrix"][0]["cells"][0])
    new_ae = next(r for r in snapshot["kpis"] if r["code"] == "AE-4H")
    old_ae = next(r for r in old["kpis"] if r["code"] == "AE-4H")
    assert list(new_ae) == list(old_ae)
    assert list(new_ae["commentary"]) == list(old_ae["commentary"])
    assert list(new_ae["forecast"]["months"][0]) == list(old_ae["forecast"]["months"][0])
    assert list(new_ae["kitemark"]) == list(old_ae["kitemark"])
    assert new_ae["commentary"]["recovery_date"] == "2025-12-01"


def test_a_published_report_frozen_in_the_old_shape_renders_its_pages(demo, client):
    snapshot = old_snapshot()
    perf, chief = user("perf"), user("exec")
    now = timezone.now()
    IprReport.objects.create(
        month=JULY,
        status=IprReport.Status.PUBLISHED,
        executive_summary="Words on the report row are not what the Board saw.",
        approved_by=chief,
        approved_at=now,
        published_by=perf,
        published_at=now,
        snapshot=snapshot,
    )
    client.force_login(user("cl.surgery"))  # an internal reader who does not prepare the IPR

    page = client.get(reverse("ipr", kwargs={"month": JULY})).content.decode()
    exceptions = client.get(reverse("ipr-exceptions", kwargs={"month": JULY})).content.decode()
    matrix = client.get(reverse("ipr-matrix", kwargs={"month": JULY})).content.decode()
    public = Client().get(reverse("public-ipr")).content.decode()

    assert "A difficult month." in page and "Words on the report row" not in page
    for row in snapshot["kpis"]:
        assert row["name"].replace("&", "&amp;") in page
    assert "Exit block from the wards" in page and "1 Dec 2025" in page  # the recovery date as pages write it
    assert 'id="chart-VTE-RA"' in exceptions and 'id="chart-AE-4H"' in exceptions
    assert 'data-kpi="AE-4H"' in matrix
    assert "A difficult month." in public
