"""A slow button in the system Chromium: while its form is sent it says what is happening and cannot be
pressed again; without the script the same form is sent just the same."""

import os

import pytest
from playwright.sync_api import Page, Request, Route, expect, sync_playwright

from demo.services import demo_password
from divisions.models import Role, RoleAssignment
from kpis.models import Upload
from tests.factories import UserFactory
from tests.test_browser import sign_in

from .test_bad_uploads import catalogue  # noqa: F401 (the fixture)
from .test_upload_values import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def confirmed(catalogue):  # noqa: F811
    """An upload confirmed as drafts, waiting to be published, and a performance team member to do it."""
    user = UserFactory(username="perf.busy")
    user.set_password(demo_password())
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.PERFORMANCE_TEAM)
    upload = check("AE-4H,RWD-MED-UEC,2025-08,13502,21307,\n")
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.CONFIRMED)
    return upload


def browser_page(playwright, *, javascript: bool) -> Page:
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
    )
    return browser.new_context(java_script_enabled=javascript).new_page()


def answered_with_nothing(page: Page, upload: Upload) -> list[Request]:
    """Each publish request the browser sends, answered "204 No Content", so the browser stays on the
    page as it was while waiting and the page can be looked at (nothing is published)."""
    sent: list[Request] = []

    def answer(route: Route) -> None:
        sent.append(route.request)
        route.fulfill(status=204)

    page.route(f"**/uploads/{upload.pk}/publish/", answer)
    return sent


@pytest.mark.parametrize("javascript", [True, False], ids=["with the script", "without it"])
def test_publishing_an_upload_shows_a_busy_button_and_the_form_is_sent_with_or_without_the_script(
    confirmed, live_server, javascript
):
    with sync_playwright() as playwright:
        page = browser_page(playwright, javascript=javascript)
        sign_in(page, live_server.url, "perf.busy")
        page.goto(f"{live_server.url}/uploads/{confirmed.pk}/")
        sent = answered_with_nothing(page, confirmed)

        page.get_by_role("button", name="Publish", exact=True).click()

        if javascript:
            busy = page.get_by_role("button", name="Publishing… this takes a few seconds")
            expect(busy).to_be_disabled()
            expect(busy).to_have_attribute("aria-disabled", "true")
            busy.click(force=True)  # a second press sends nothing
        else:
            expect(page.get_by_role("button", name="Publish", exact=True)).to_be_enabled()
        page.wait_for_timeout(200)
        assert len(sent) == 1, "the form is sent once"
        assert sent[0].method == "POST" and "csrfmiddlewaretoken=" in (sent[0].post_data or "")
        page.context.browser.close()
