"""Key journeys in the system Chromium, driven by Playwright (never a downloaded browser)."""

import os

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from demo.services import demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's live server runs in a thread; Playwright's sync API runs an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo_password())
    page.get_by_role("button", name="Sign in").click()


def test_performance_user_signs_in_and_sees_real_ae_figures(committed_demo, live_server, page):
    sign_in(page, live_server.url, "perf")
    expect(page.get_by_role("heading", name="United Lincolnshire Hospitals NHS Trust")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="A&E")
    expect(row.first).to_contain_text("%")
    expect(page.get_by_role("heading", name="Divisions")).to_be_visible()
    expect(page.get_by_text("Surgery", exact=True)).to_be_visible()


def test_wrong_password_is_refused_with_a_clear_message(committed_demo, live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("perf")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")


def test_performance_user_uploads_a_real_month_previews_publishes_and_sees_it_on_home(
    committed_july, live_server, page, tmp_path
):
    july = tmp_path / "rwd-2025-07.csv"
    july.write_bytes(committed_july)
    sign_in(page, live_server.url, "perf")
    expect(page.get_by_role("row").filter(has_text="Sickness absence").first).not_to_contain_text("Jul 2025")

    page.goto(f"{live_server.url}/uploads/")
    page.get_by_label("Data file").set_input_files(str(july))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(page.get_by_role("table", name="What publishing this file would do")).to_contain_text("2025-07")

    page.get_by_role("button", name="Confirm as drafts").click()
    expect(page.get_by_text("Confirmed as drafts")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published", exact=False).first).to_be_visible()

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("row").filter(has_text="Sickness absence").first).to_contain_text("Jul 2025")
