"""A ward manager's journey in the system Chromium: signing in lands on their ward's dashboard, whose
breadcrumbs run up to the division; from there to My scorecard, an objective under one of the Board's
priorities, and progress recorded on it. Each page passes the accessibility check. Set
PMF_UPDATE_SCREENSHOTS=1 to write the screenshots docs/strategy.md shows into docs/screenshots/."""

import os

import pytest
from playwright.sync_api import expect

from scorecards.models import Objective
from tests.reviews.test_ipr_browser import axe_source, serious_violations, shoot  # noqa: F401
from tests.test_browser import page, sign_in  # noqa: F401 — the shared browser page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_ward_manager_reads_their_ward_and_records_progress_on_their_scorecard(
    committed_demo,
    live_server,
    page,  # noqa: F811
    axe_source,  # noqa: F811
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "wm.lincoln")
    ward = "Surgical wards, Lincoln County Hospital dashboard"
    expect(page.get_by_role("heading", name=ward)).to_be_visible()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Surgery", exact=True)).to_be_visible()
    expect(crumbs.get_by_role("link", name="General surgery")).to_be_visible()
    expect(page.get_by_role("table", name="Quality")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    shoot(page, "ward-dashboard.png")

    page.get_by_role("link", name="My scorecard").first.click()
    expect(page.get_by_role("heading", name="My scorecard, 2025/26")).to_be_visible()
    objective = Objective.objects.get(person__username="wm.lincoln", kpi__code="WF-SICK")
    row = page.locator(f"#objective-{objective.pk}")
    expect(row).to_contain_text("Support and keep our people")
    expect(row).to_contain_text("At risk")
    assert serious_violations(page, axe_source) == []
    shoot(page, "individual-scorecard.png")

    row.get_by_text("Record progress").first.click()
    row.get_by_label("Status").select_option("on_track")
    row.get_by_label("Per cent complete").fill("50")
    row.get_by_label("How it is going").fill("Both long-term absences back on phased returns.")
    row.get_by_role("button", name="Record progress").click()
    expect(page.locator(".messages")).to_contain_text("Progress on")
    expect(page.locator(f"#objective-{objective.pk}")).to_contain_text("50% complete")
    objective.refresh_from_db()
    assert (objective.status, objective.percent_complete) == ("on_track", 50)

    # The peer on the next ward cannot read it.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "wm.boston")
    response = page.goto(f"{live_server.url}/scorecards/people/wm.lincoln/")
    assert response is not None and response.status == 403
