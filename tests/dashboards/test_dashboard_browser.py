"""The divisional dashboard in the system Chromium: a Surgery clinical lead opens Surgery's dashboard from the
home page, writes the commentary a flagged KPI needs, and sees it on the dashboard."""

import os

import pytest
from playwright.sync_api import expect

from kpis.models import Commentary
from tests.test_browser import page, sign_in  # noqa: F401 — the shared browser page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_surgery_clinical_lead_writes_commentary_on_the_surgery_dashboard(
    committed_demo,
    live_server,
    page,  # noqa: F811
):
    base = live_server.url
    sign_in(page, base, "cl.surgery")  # a triumvirate member lands on the division's dashboard
    expect(page.get_by_role("heading", name="Surgery dashboard")).to_be_visible()
    for domain in ("Finance", "Workforce", "Quality", "Operational"):
        expect(page.get_by_role("table", name=domain)).to_be_visible()
    needed = page.get_by_role("region", name="Commentary needed")
    expect(needed).to_contain_text("Referral to treatment within 18 weeks")
    row = page.locator("#kpi-RTT-18W")
    expect(
        row.get_by_role(
            "img", name="Referral to treatment within 18 weeks (incomplete pathways): the last 13 months"
        )
    ).to_be_visible()
    expect(row).to_contain_text("Needed")

    row.get_by_role("link", name="Write commentary on Referral to treatment within 18 weeks").click()
    expect(
        page.get_by_role("heading", name="Commentary on Referral to treatment within 18 weeks")
    ).to_be_visible()
    expect(page.get_by_label("What the chart tells us")).to_contain_text("In Jul 2025 the value was")
    page.get_by_label("Issues").fill("Theatre staffing gaps on two sites")
    page.get_by_label("Actions").fill("Weekend lists from September")
    page.get_by_label("Mitigations").fill("Insourcing for orthopaedics")
    page.get_by_label("Expected recovery date").fill("2026-03-31")
    page.get_by_role("button", name="Save commentary").click()

    expect(page.locator(".messages")).to_contain_text("Commentary on Referral to treatment within 18 weeks")
    expect(page.get_by_role("heading", name="Surgery dashboard")).to_be_visible()
    expect(page.locator("#commentary-RTT-18W")).to_contain_text("Theatre staffing gaps on two sites")
    expect(page.locator("#kpi-RTT-18W")).to_contain_text("Written by")
    expect(page.get_by_role("region", name="Commentary needed")).not_to_contain_text(
        "Referral to treatment within 18 weeks"
    )
    assert (
        Commentary.objects.get(kpi__code="RTT-18W", org_unit__code="RWD-SUR").author.username == "cl.surgery"
    )
