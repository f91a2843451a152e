"""The IPR in the system Chromium: a board member's journey, an accessibility check, the screenshots.

axe-core comes from npm (`package.json`; `npm ci` installs it into node_modules, which is never served).
It is evaluated in the page by Playwright, outside the page's Content-Security-Policy, so the pages keep
their policy while they are checked.

Set PMF_UPDATE_SCREENSHOTS=1 to write the screenshots the README shows into docs/screenshots/.
"""

import io
import os
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from pmf.models import User
from reviews.services.ipr import approve_ipr, publish_ipr, save_ipr_draft
from tests.data_sets import DEMO
from tests.test_browser import page as chromium  # noqa: F401 (the browser page fixture, as `chromium`)
from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# What the check fails on: axe's two highest impacts (WCAG 2.2 AA rules and best practices).
FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        reason = "needs axe-core from npm in node_modules (run `npm ci`)"
        if os.environ.get("PMF_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, axe_source: str) -> list[str]:
    """Run axe on the page as it stands; each serious or critical violation with the elements it found."""
    page.evaluate(axe_source)
    violations = page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: "tag", values: [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"
            ]},
        })).violations"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]


def publish_the_demo_ipr() -> None:
    """The demo trust's July 2025 IPR published; the board pack is built as the publish commits.

    The load of the session's "demo with its IPR" data set, on the demo's (``tests.data_sets``)."""
    perf, chief = User.objects.get(username="perf"), User.objects.get(username="exec")
    report = save_ipr_draft(
        actor=perf,
        month=date(2025, 7, 1),
        executive_summary="Urgent and emergency care remains under pressure; elective recovery is on plan.",
        lead_director="Chief Operating Officer",
        recommendation="The Board is asked to note the report.",
    )
    approve_ipr(actor=chief, report=report)
    with transaction.atomic():
        publish_ipr(actor=perf, report=report)


def shoot(page: Page, name: str) -> None:
    png = page.screenshot(full_page=False)
    assert png.startswith(b"\x89PNG")
    if os.environ.get("PMF_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(png)


@pytest.fixture
def page_with_ipr(data_sets, transactional_db, live_server, chromium):  # noqa: F811 (the imported fixture)
    """The browser on a wide screen, and the demo trust with its July 2025 IPR published, committed."""
    with data_sets.committed("demo with its IPR", publish_the_demo_ipr, on=DEMO):
        chromium.set_viewport_size({"width": 1280, "height": 900})
        yield chromium


def test_board_member_opens_the_ipr_clicks_through_to_a_chart_and_downloads_the_board_pack(
    live_server, page_with_ipr, axe_source
):
    page = page_with_ipr
    sign_in(page, live_server.url, "board")
    page.goto(f"{live_server.url}/ipr/")
    expect(page.get_by_role("heading", name="Integrated Performance Report", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Breakdown by division")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    shoot(page, "ipr.png")

    matrix = page.get_by_role("table", name="SPC summary matrix")
    matrix.get_by_role("link", name="A&E four-hour performance").click()
    expect(page).to_have_url(f"{live_server.url}/kpis/AE-4H/RWD/")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the board pack (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Integrated Performance Report" in text and "Breakdown by division" in text


def test_ipr_matrix_public_and_division_pages_have_no_serious_accessibility_violations(
    live_server, page_with_ipr, axe_source
):
    page = page_with_ipr
    page.goto(f"{live_server.url}/public/ipr/")
    expect(page.get_by_role("heading", name="Our performance")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    sign_in(page, live_server.url, "board")
    page.goto(f"{live_server.url}/ipr/2025-07/matrix/")
    expect(page.get_by_role("heading", name="SPC summary matrix")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.goto(f"{live_server.url}/divisions/RWD-SUR/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Surgery")
    assert serious_violations(page, axe_source) == []
    shoot(page, "division.png")
