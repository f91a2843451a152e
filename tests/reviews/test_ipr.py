"""The Board's IPR: content from published data and stored charts, the workflow, the snapshot, the pages."""

import io
from datetime import date

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from divisions.models import OrgUnit
from kpis.assessment import assess
from kpis.models import Kpi, Measurement, SpcSeries, Upload
from kpis.services.commentary import save_commentary
from kpis.services.measurements import publish_frame
from kpis.standing import place
from pmf.models import AuditEvent, JobRun, User
from reviews.ipr.selectors import ipr_content
from reviews.models import DivisionRating, IprReport
from reviews.ratings import ulht_label
from reviews.services.ipr import approve_ipr, publish_ipr, save_ipr_draft
from tests.factories import KpiFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


def user(name):
    return User.objects.get(username=name)


def test_the_matrix_places_each_demo_kpi_in_the_cell_its_spc_result_says(demo):
    content = ipr_content(JULY)
    stored = {s.kpi.code: s for s in SpcSeries.objects.filter(org_unit=demo.trust).select_related("kpi")}
    cells = {
        code: (row.variation, cell.assurance)
        for row in content.matrix
        for cell in row.cells
        for code in cell.codes
    }
    assert set(cells) == set(stored)  # every charted KPI appears exactly once
    assert sum(len(c.codes) for r in content.matrix for c in r.cells) == len(stored)
    for code, series in stored.items():
        expected = place(
            series.variation_icon or None, series.assurance or None, has_limits=series.lpl is not None
        )
        assert cells[code] == (expected.variation, expected.assurance), code
    # A&E four-hour at 63% against 78% is failing: its cell says so, and it is an exception.
    assert cells["AE-4H"][1] == "fail" and "AE-4H" in content.summary.exceptions


def test_off_plan_key_kpis_without_commentary_are_flagged_until_the_owner_writes(demo):
    content = ipr_content(JULY)
    flagged = content.summary.missing_commentary
    rows = {r.code: r for r in content.kpis}
    assert "AE-4H" in flagged
    assert all(
        rows[c].is_key and rows[c].outcome in ("not_met", "within_tolerance", "no_data") for c in flagged
    )
    assert not any(r.needs_commentary for r in content.kpis if not r.is_key)
    save_commentary(
        actor=user("exec"),
        kpi=Kpi.objects.get(code="AE-4H"),
        org_unit=demo.trust,
        month=JULY,
        issues="Exit block from the wards",
        actions="Same-day emergency care extended",
        recovery_date=date(2025, 12, 1),
    )
    content = ipr_content(JULY)
    assert "AE-4H" not in content.summary.missing_commentary
    row = content.row("AE-4H")
    assert row is not None and row.commentary is not None
    assert row.commentary.issues == "Exit block from the wards"


def test_content_takes_a_fixed_number_of_queries_whatever_the_catalogue_size(demo, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        before = ipr_content(JULY)
    extra_division = OrgUnitFactory(parent=demo.trust, code="ZZ-DIV", name="Zeta division")
    divisions = [*OrgUnit.objects.filter(parent=demo.trust, level="division")]
    for kpi in KpiFactory.create_batch(20):
        for month in (date(2025, 6, 1), JULY):
            for unit in (demo.trust, *divisions):
                Measurement.objects.create(kpi=kpi, org_unit=unit, month=month, value=50, status="published")
    with django_assert_num_queries(QUERIES):
        content = ipr_content(JULY)
    assert len(content.kpis) >= 59
    breakdown, earlier = content.divisional, before.divisional
    assert breakdown is not None and earlier is not None
    assert len(breakdown["divisions"]) == len(earlier["divisions"]) + 1 == 5
    assert len(breakdown["grid"]) == len(earlier["grid"]) + 20
    assert extra_division.code in {d["code"] for d in breakdown["divisions"]}


# trust, KPIs, divisions; the standings of the trust and its divisions (values, targets, trajectories,
# kitemarks); stored series, their points, commentary, recalculations, the previous published IPR, the
# upload time; the divisions' ratings; the benchmarking section (the trust's national profile, its peer
# group, the peer values of the month: `reviews.ipr.national`) and the national sources of the data notes
# (the figures imported from a national file, the official A&E file's notes): five more, none per KPI or peer
QUERIES = 19


def test_divisional_breakdown_shows_each_division_s_stored_position_and_its_kpi_grid(demo, client):
    content = ipr_content(JULY)
    breakdown = content.divisional
    assert breakdown is not None
    ratings = {
        r.division.code: r for r in DivisionRating.objects.filter(month=JULY).select_related("division")
    }
    assert {d["code"] for d in breakdown["divisions"]} == set(ratings)
    for d in breakdown["divisions"]:
        assert d["rating"]["position"] == ratings[d["code"]].effective_position
        assert d["rating"]["label"] == ulht_label(ratings[d["code"]].effective_position)
    order = [d["code"] for d in breakdown["divisions"]]
    kpis = {k.code: k for k in Kpi.objects.all()}
    checked = 0
    for row in breakdown["grid"]:
        for code, cell in zip(order, row["cells"], strict=True):
            stored = Measurement.objects.filter(
                kpi__code=row["code"], org_unit__code=code, month=JULY, status="published"
            ).first()
            assert cell["value"] == (stored.value if stored else None)
            outcome = assess(cell["value"], cell["plan"], kpis[row["code"]].direction).outcome
            if cell["state"] == "met":
                assert outcome == "met"
            elif cell["state"] == "no_data":
                assert stored is None and outcome == "no_data"
            checked += 1
    states = {c["state"] for row in breakdown["grid"] for c in row["cells"]}
    assert checked > 100 and {"met", "not_met"} <= states

    client.force_login(user("exec"))
    body = client.get(reverse("ipr", kwargs={"month": "2025-07"})).content.decode()
    assert "Breakdown by division" in body
    surgery = next(d for d in breakdown["divisions"] if d["name"] == "Surgery")
    assert reverse("division", kwargs={"code": surgery["code"]}) in body
    assert f"{surgery['rating']['position']} {surgery['rating']['label']}" in body


def publish(actor, kpi, unit, month, value):
    digest = f"{kpi.pk}-{month:%Y%m}-{value}".ljust(64, "0")
    upload = Upload.objects.create(original_name="restatement.csv", sha256=digest, uploaded_by=actor)
    frame = pd.DataFrame(
        [
            {
                "kpi_id": kpi.pk,
                "org_unit_id": unit.pk,
                "month": month,
                # a ratio KPI rolls up from numerators and denominators, so the restatement carries both
                "numerator": value * 100,
                "denominator": 10000.0,
                "value": value,
                "is_synthetic": False,
            }
        ]
    )
    publish_frame(actor=actor, upload=upload, frame=frame)


def test_a_published_snapshot_does_not_change_after_a_restatement_and_the_next_ipr_notes_it(
    demo, client, django_capture_on_commit_callbacks
):
    perf, chief = user("perf"), user("exec")
    report = save_ipr_draft(
        actor=perf,
        month=JULY,
        executive_summary="A difficult month.",
        lead_director="Chief Operating Officer",
        recommendation="Note the report.",
    )
    approve_ipr(actor=chief, report=report)
    with django_capture_on_commit_callbacks(execute=False):  # the pack is tested on its own
        report = publish_ipr(actor=perf, report=report)
    seen = next(r for r in report.snapshot["kpis"] if r["code"] == "AE-4H")["value"]
    assert seen == pytest.approx(63.4, abs=0.05)

    ae = Kpi.objects.get(code="AE-4H")
    team = Measurement.objects.filter(kpi=ae, month=JULY, is_rollup=False, status="published").first()
    with django_capture_on_commit_callbacks(execute=True):
        publish(perf, ae, team.org_unit, JULY, 70.0)
        publish(perf, ae, team.org_unit, date(2025, 8, 1), 71.0)
    assert Measurement.objects.get(kpi=ae, org_unit=demo.trust, month=JULY, status="published").value == 70.0

    report.refresh_from_db()
    assert next(r for r in report.snapshot["kpis"] if r["code"] == "AE-4H")["value"] == seen
    client.force_login(user("board"))
    page = client.get(reverse("ipr", kwargs={"month": "2025-07"})).content.decode()
    assert "63.4%" in page and "as the Board saw them" in page
    # The published page notes what has been restated since, as reported and as it is now.
    assert "Restated since publication (1)" in page and "70.0%" in page
    assert report.snapshot["divisional"]["divisions"]  # the breakdown is frozen with the rest
    public = Client().get(reverse("public-ipr")).content.decode()
    assert "Figures restated since this report" in public and "70.0%" in public

    august = ipr_content(date(2025, 8, 1))
    assert august.previous_report is not None and august.previous_report.month == JULY
    restated = {r.code: r for r in august.restatements}
    assert restated["AE-4H"].was == pytest.approx(seen) and restated["AE-4H"].now == 70.0
    client.force_login(user("perf"))
    assert (
        "Restated since the IPR of Jul 2025"
        in client.get(reverse("ipr", kwargs={"month": "2025-08"})).content.decode()
    )


def test_workflow_is_draft_approved_published_and_every_step_is_audited(
    demo, django_capture_on_commit_callbacks
):
    perf, chief = user("perf"), user("exec")
    report = save_ipr_draft(
        actor=perf, month=JULY, executive_summary="x", lead_director="", recommendation=""
    )
    with pytest.raises(Exception, match="approved"):
        publish_ipr(actor=perf, report=report)
    approve_ipr(actor=chief, report=report)
    with django_capture_on_commit_callbacks(execute=False):
        publish_ipr(actor=chief, report=report)
    with pytest.raises(Exception, match="cannot be changed"):
        save_ipr_draft(actor=perf, month=JULY, executive_summary="y", lead_director="", recommendation="")
    verbs = list(
        AuditEvent.objects.filter(object_type="reviews.IprReport")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["created", "approved", "published"]


def test_only_an_executive_approves_and_board_members_do_not_see_drafts(demo, client):
    save_ipr_draft(
        actor=user("perf"), month=JULY, executive_summary="Draft words", lead_director="", recommendation=""
    )
    url = reverse("ipr", kwargs={"month": "2025-07"})
    client.force_login(user("perf"))
    assert client.post(reverse("ipr-approve", kwargs={"month": "2025-07"})).status_code == 403
    assert "Draft words" in client.get(url).content.decode()
    client.force_login(user("board"))
    body = client.get(url).content.decode()
    assert "has not been published yet" in body and "Draft words" not in body
    client.force_login(user("exec"))
    asked = client.post(reverse("ipr-approve", kwargs={"month": "2025-07"}))  # key commentary is missing
    assert "without this commentary" in asked.content.decode()
    assert IprReport.objects.get(month=JULY).status == "draft"
    client.post(reverse("ipr-approve", kwargs={"month": "2025-07"}), {"go_on_without_commentary": "yes"})
    assert IprReport.objects.get(month=JULY).status == "approved"


def test_ipr_page_shows_the_sections_and_links_the_matrix_to_charts(demo, client):
    client.force_login(user("exec"))
    body = client.get(reverse("ipr", kwargs={"month": "2025-07"})).content.decode()
    for heading in (
        "Executive summary",
        "Highlight report",
        "SPC summary matrix",
        "Scorecard by domain",
        "Exceptions",
        "Predictive performance",
        "Data notes",
        "Commentary needed",
    ):
        assert heading in body
    assert reverse("kpi-chart", kwargs={"code": "AE-4H", "unit_code": "RWD"}) in body
    by_objective = client.get(
        reverse("ipr", kwargs={"month": "2025-07"}) + "?group=objective"
    ).content.decode()
    assert "Scorecard by strategic objective" in by_objective


def test_other_months_are_listed_only_when_there_are_other_reports(demo, client):
    client.force_login(user("exec"))
    url = reverse("ipr", kwargs={"month": "2025-07"})
    IprReport.objects.create(month=JULY)
    assert "Other months" not in client.get(url).content.decode()  # only this month's own report

    IprReport.objects.create(month=date(2025, 6, 1))

    body = client.get(url).content.decode()
    assert "Other months" in body and reverse("ipr", kwargs={"month": "2025-06"}) in body
    assert f'href="{url}"' not in body.split("Other months")[1].split("</nav>")[0]


def test_exception_pages_draw_each_chart_with_its_sentence(demo, client):
    client.force_login(user("perf"))
    body = client.get(reverse("ipr-exceptions", kwargs={"month": "2025-07"})).content.decode()
    assert 'id="chart-AE-4H"' in body and "data-figure=" in body and "What the chart tells us" in body


def test_ipr_latest_goes_to_the_newest_month_for_those_who_prepare_it(demo, client):
    client.force_login(user("perf"))
    assert client.get(reverse("ipr-latest")).url == reverse("ipr", kwargs={"month": "2025-07"})
    client.force_login(user("board"))
    assert (
        "No Integrated Performance Report has been published yet"
        in client.get(reverse("ipr-latest")).content.decode()
    )


def test_the_public_page_shows_the_latest_published_summary_without_sign_in(
    demo, client, django_capture_on_commit_callbacks
):
    assert "has not published a performance report" in client.get(reverse("public-ipr")).content.decode()
    report = save_ipr_draft(
        actor=user("perf"), month=JULY, executive_summary="Public words", lead_director="", recommendation=""
    )
    approve_ipr(actor=user("exec"), report=report)
    with django_capture_on_commit_callbacks(execute=False):
        publish_ipr(actor=user("perf"), report=report)
    body = client.get(reverse("public-ipr")).content.decode()
    assert "Public words" in body and "A&amp;E four-hour performance" in body
    assert reverse("kpi-chart", kwargs={"code": "AE-4H", "unit_code": "RWD"}) not in body


@pytest.mark.browser
def test_publishing_builds_a_real_pdf_board_pack_with_a_job_run(
    demo, client, django_capture_on_commit_callbacks
):
    report = save_ipr_draft(
        actor=user("perf"),
        month=JULY,
        executive_summary="Pack words",
        lead_director="Chief Operating Officer",
        recommendation="Note the report.",
    )
    approve_ipr(actor=user("exec"), report=report)
    with django_capture_on_commit_callbacks(execute=True):
        publish_ipr(actor=user("perf"), report=report)
    report.refresh_from_db()
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 6  # cover, summary, matrix, scorecard, exceptions, forecasts, notes
    text = "".join(page.extract_text() for page in pages)
    assert "Lead director" in text and "Chief Operating Officer" in text
    assert all("Data as at Jul 2025" in page.extract_text() for page in pages)
    assert "Breakdown by division" in text and "Surgery" in text
    assert JobRun.objects.get(name="build_ipr_pack").status == "succeeded"
    client.force_login(user("board"))
    response = client.get(reverse("ipr-pack", kwargs={"month": "2025-07"}))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
