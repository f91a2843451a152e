"""Commentary reaches the Board: the trust's written from the IPR, a division's shown under the trust's
exception, "Commentary needed" counting only what is missing at every level, and a confirmation before
approving or publishing without it (audited)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from divisions.models import OrgUnit
from kpis.models import Commentary, Kpi
from kpis.services.commentary import save_commentary
from pmf.models import AuditEvent, User
from reviews.ipr.selectors import ipr_content
from reviews.models import IprReport
from reviews.services.ipr import save_ipr_draft

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)
MONTH = {"month": "2025-07"}


def user(name: str) -> User:
    return User.objects.get(username=name)


def surgery_writes_on(code: str) -> None:
    save_commentary(
        actor=user("cl.surgery"),
        kpi=Kpi.objects.get(code=code),
        org_unit=OrgUnit.objects.get(code="RWD-SUR"),
        month=JULY,
        issues="Theatre capacity lost to estates work",
        actions="Weekend lists from September",
        recovery_date=date(2025, 11, 1),
    )


def test_a_divisions_commentary_reaches_the_trust_exception_and_is_no_longer_missing(demo, client):
    before = ipr_content(JULY)
    code = before.summary.missing_commentary[0]
    surgery_writes_on(code)
    after = ipr_content(JULY)
    row = after.row(code)
    assert row is not None and row.commentary is None
    assert [c.unit for c in row.division_commentary] == ["Surgery"]
    assert row.division_commentary[0].issues == "Theatre capacity lost to estates work"
    assert code not in after.summary.missing_commentary
    assert len(after.summary.missing_commentary) == len(before.summary.missing_commentary) - 1
    client.force_login(user("exec"))
    body = client.get(reverse("ipr", kwargs=MONTH)).content.decode()
    assert f"Commentary needed ({len(after.summary.missing_commentary)})" in body
    assert "Surgery, the division" in body and "Theatre capacity lost to estates work" in body


def test_the_trust_commentary_is_written_from_the_ipr_audited_and_shown(demo, client):
    code = ipr_content(JULY).summary.missing_commentary[0]
    url = reverse("ipr-commentary", kwargs={**MONTH, "code": code})
    client.force_login(user("board"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"issues": "x"}).status_code == 403
    client.force_login(user("cl.surgery"))
    assert client.post(url, {"issues": "x"}).status_code == 403
    client.force_login(user("exec"))
    form = client.get(url)
    assert form.status_code == 200 and "Save commentary" in form.content.decode()
    refused = client.post(url, {"issues": "  ", "what_the_chart_tells_us": ""})
    assert "Write at least one part of the commentary" in refused.content.decode()
    assert not Commentary.objects.filter(kpi__code=code, org_unit__level="trust").exists()

    response = client.post(url, {"issues": "Bed occupancy at 97%", "recovery_date": "2026-01-31"})

    assert response.status_code == 302 and response.url.endswith(f"#exception-{code}")
    saved = Commentary.objects.get(kpi__code=code, org_unit__level="trust", month=JULY)
    assert saved.issues == "Bed occupancy at 97%" and saved.author == user("exec")
    assert AuditEvent.objects.filter(object_type="kpis.Commentary", object_id=str(saved.pk)).exists()
    body = client.get(reverse("ipr", kwargs=MONTH)).content.decode()
    needed = (
        body.split('id="commentary-heading"')[1].split("</section>")[0]
        if "commentary-heading" in body
        else ""
    )
    assert "Bed occupancy at 97%" in body and f'data-kpi="{code}"' not in needed


def test_approving_and_publishing_with_commentary_missing_asks_first_and_audits_going_on(
    demo, client, django_capture_on_commit_callbacks
):
    missing = ipr_content(JULY).summary.missing_commentary
    assert missing
    save_ipr_draft(actor=user("perf"), month=JULY, executive_summary="x", lead_director="", recommendation="")
    client.force_login(user("exec"))
    asked = client.post(reverse("ipr-approve", kwargs=MONTH))
    body = asked.content.decode()
    assert asked.status_code == 200 and f"Commentary is missing on {len(missing)} key KPI" in body
    assert all(f'data-kpi="{code}"' in body for code in missing)
    assert IprReport.objects.get(month=JULY).status == "draft"  # nothing decided yet

    client.post(reverse("ipr-approve", kwargs=MONTH), {"go_on_without_commentary": "yes"})

    assert IprReport.objects.get(month=JULY).status == "approved"
    approval = AuditEvent.objects.get(object_type="reviews.IprReport", verb="approved")
    assert approval.after["commentary_missing"] == list(missing) and "commentary missing" in approval.note
    client.force_login(user("perf"))
    assert (
        "Publish to the Board without" in client.post(reverse("ipr-publish", kwargs=MONTH)).content.decode()
    )
    assert IprReport.objects.get(month=JULY).status == "approved"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("ipr-publish", kwargs=MONTH), {"go_on_without_commentary": "yes"})
    assert IprReport.objects.get(month=JULY).status == "published"
    published = AuditEvent.objects.get(object_type="reviews.IprReport", verb="published")
    assert published.after["commentary_missing"] == list(missing)


def test_the_published_ipr_carries_the_divisions_commentary_and_takes_no_more(
    demo, client, django_capture_on_commit_callbacks
):
    code = ipr_content(JULY).summary.missing_commentary[0]
    surgery_writes_on(code)
    save_ipr_draft(actor=user("perf"), month=JULY, executive_summary="x", lead_director="", recommendation="")
    client.force_login(user("exec"))
    client.post(reverse("ipr-approve", kwargs=MONTH), {"go_on_without_commentary": "yes"})
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("ipr-publish", kwargs=MONTH), {"go_on_without_commentary": "yes"})
    client.force_login(user("board"))
    body = client.get(reverse("ipr", kwargs=MONTH)).content.decode()
    exception = body.split(f'id="exception-{code}"')[1].split("</article>")[0]
    assert "Surgery, the division" in exception and "Theatre capacity lost" in exception
    assert "No commentary written" not in exception
    client.force_login(user("exec"))
    url = reverse("ipr-commentary", kwargs={**MONTH, "code": code})
    assert client.post(url, {"issues": "Too late"}).status_code == 409
    assert not Commentary.objects.filter(kpi__code=code, org_unit__level="trust").exists()
