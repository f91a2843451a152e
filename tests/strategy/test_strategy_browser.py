"""From the Board's strategy down to a team, in the system Chromium, on the demo trust.

Surgery's managing director opens the Board's priorities for 2025/26 and Surgery's priority on long waits:
one milestone delivered late, one overdue. A linked KPI's page shows its standing; from Surgery's dashboard
they go down through General surgery to a ward's dashboard. The ward's line manager, General surgery's
service manager, then reads their own scorecard, with an objective under the same priority, and follows it
back to the priority. Set PMF_UPDATE_SCREENSHOTS=1 to write the priority page's screenshot that
docs/strategy.md shows into docs/screenshots/.
"""

import os

import pytest
from playwright.sync_api import expect

from tests.reviews.test_ipr_browser import shoot
from tests.test_browser import page, sign_in  # noqa: F401 — the shared browser page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PRIORITY = "Reduce long waits for planned care"
WARD = "Surgical wards, Lincoln County Hospital"


def test_a_priority_leads_through_its_milestones_and_a_kpi_down_to_a_wards_dashboard_and_a_scorecard(
    committed_demo,
    live_server,
    page,  # noqa: F811
):
    page.set_viewport_size({"width": 1280, "height": 900})
    base = live_server.url
    sign_in(page, base, "md.surgery")

    # The year's priorities: Surgery leads this one, and a milestone of it is overdue.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Priorities").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Board's priorities for")
    page.goto(f"{base}/priorities/?year=2025%2F26")
    expect(page.get_by_role("heading", name="The Board's priorities for 2025/26")).to_be_visible()
    listed = page.get_by_role("table", name="Priorities 2025/26").get_by_role("row").filter(has_text=PRIORITY)
    expect(listed).to_contain_text("Surgery")
    expect(listed).to_contain_text("At risk")
    expect(listed).to_contain_text("1 of 4")
    expect(listed).to_contain_text("overdue")

    # The priority's page: its milestones with their due dates and state.
    listed.get_by_role("link", name=PRIORITY).click()
    expect(page.get_by_role("heading", name=PRIORITY, level=1)).to_be_visible()
    milestones = page.get_by_role("table", name="Milestones, by due date")
    validated = milestones.get_by_role("row").filter(has_text="Waiting list validated")
    expect(validated).to_contain_text("31 May 2025")
    expect(validated).to_contain_text("Complete 10 Jun 2025 (late)")
    theatre = milestones.get_by_role("row").filter(has_text="Elective hub's second theatre in use")
    expect(theatre).to_contain_text("25 Jul 2025")
    expect(theatre).to_contain_text("Overdue")
    shoot(page, "priority.png")

    # A linked KPI, and its page with its standing at the trust.
    kpis = page.get_by_role("table", name="Linked KPIs at United Lincolnshire Hospitals NHS Trust")
    rtt = kpis.get_by_role("row").filter(has_text="RTT-52W")
    expect(rtt).to_contain_text("Jul 2025")
    rtt.get_by_role("link").click()
    expect(page).to_have_url(f"{base}/kpis/RTT-52W/RWD/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("United Lincolnshire Hospitals NHS Trust")
    expect(page.get_by_role("heading", name="What the chart tells us")).to_be_visible()
    facts = page.get_by_role("table", name="The numbers behind the chart")
    expect(facts.get_by_role("row").filter(has_text="Latest month")).to_contain_text("Jul 2025")
    expect(facts.get_by_role("row").filter(has_text="Plan that month")).not_to_contain_text("No target")
    expect(page.get_by_role("heading", name="Lead and lag indicators")).to_be_visible()

    # Down from the owning division to one of its wards.
    page.goto(f"{base}/divisions/RWD-SUR/dashboard/")
    expect(page.get_by_role("heading", name="Surgery dashboard")).to_be_visible()
    page.get_by_role("link", name="General surgery", exact=True).click()
    expect(page.get_by_role("heading", name="General surgery dashboard")).to_be_visible()
    page.get_by_role("link", name=WARD, exact=True).click()
    expect(page.get_by_role("heading", name=f"{WARD} dashboard")).to_be_visible()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Surgery", exact=True)).to_be_visible()
    expect(crumbs.get_by_role("link", name="General surgery", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Scorecard by domain")).to_be_visible()
    expect(page.locator("#scorecard-heading ~ table").first.get_by_role("row").nth(1)).to_be_visible()

    # The ward manager's line manager, whose own objective serves the same priority.
    page.context.clear_cookies()
    sign_in(page, base, "sm.gensurg")
    expect(page.get_by_role("heading", name="General surgery dashboard")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My scorecard").click()
    expect(page.get_by_role("heading", name="My scorecard, 2025/26")).to_be_visible()
    objective = page.get_by_role("row").filter(has_text="No general surgery patient waits more than 65 weeks")
    expect(objective).to_contain_text(f"Priority: {PRIORITY}")
    expect(objective).to_contain_text("On track")
    objective.get_by_role("link", name=PRIORITY).click()
    expect(page.get_by_role("heading", name=PRIORITY, level=1)).to_be_visible()
