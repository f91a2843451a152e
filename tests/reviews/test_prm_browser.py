"""The PRM journey in the system Chromium: the performance manager builds, edits and issues a Surgery pack;
a Surgery triumvirate member reads it and updates an action; a Medicine member cannot touch Surgery's."""

import os

import pytest
from playwright.sync_api import expect

from reviews.models import Action, DataPack, Meeting
from tests.test_browser import page, sign_in  # noqa: F401 — the shared browser page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Building and issuing draw the charts through Chromium and print the PDF: slow on a busy machine.
SLOW = 180_000
NOTE = "Two extra theatre lists a week from next month"
QUESTION = "Why has theatre utilisation fallen, and when will it recover?"


def test_a_pack_is_issued_read_and_acted_on_and_another_division_is_kept_out(
    committed_demo,
    live_server,
    page,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    meeting = (
        Meeting.objects.filter(division__code="RWD-SUR", status="planned").order_by("scheduled_for").first()
    )
    surgery_action = Action.objects.filter(division__code="RWD-SUR").first()
    medicine_action = Action.objects.filter(division__code="RWD-MED").first()
    base = live_server.url
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)

    # The performance manager builds the pack, adds a line of enquiry and issues it.
    sign_in(page, base, "perf")
    page.goto(f"{base}/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_text("Pack built from the data as it stands")).to_be_visible(timeout=SLOW)
    lines = page.get_by_label("Key lines of enquiry (one per line)")
    lines.fill(lines.input_value() + "\n" + QUESTION)
    page.get_by_role("button", name="Save the lines of enquiry and risks").click()
    expect(page.get_by_text("Pack updated.")).to_be_visible()
    page.get_by_role("button", name="Issue to the division").click()
    expect(page.get_by_text(f"Pack issued to {meeting.division.name}")).to_be_visible(timeout=SLOW)
    assert DataPack.objects.get(meeting=meeting).pdf

    # A Surgery clinical director reads the issued pack and updates Surgery's action.
    page.context.clear_cookies()
    sign_in(page, base, "cd.surgery")
    page.goto(f"{base}/meetings/{meeting.pk}/pack/")
    expect(page.get_by_text(QUESTION)).to_be_visible()
    pdf = page.request.get(f"{base}/meetings/{meeting.pk}/pack.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.goto(f"{base}/actions/{surgery_action.pk}/")
    page.get_by_label("Update:", exact=True).fill(NOTE)
    page.get_by_label("Status:", exact=True).select_option(label="In progress")
    page.get_by_role("button", name="Record the update").click()
    expect(page.get_by_text("Update recorded.")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_visible()

    # A Medicine managing director can neither open Surgery's action nor post an update to it.
    page.context.clear_cookies()
    sign_in(page, base, "md.medicine")
    assert page.goto(f"{base}/actions/{surgery_action.pk}/").status == 403
    page.goto(f"{base}/actions/{medicine_action.pk}/")  # their own: a form with a valid CSRF token
    expect(page.get_by_role("button", name="Record the update")).to_be_visible()
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    form = {"csrfmiddlewaretoken": token, "note": "Written by Medicine", "status": "closed"}
    refused = page.request.post(
        f"{base}/actions/{surgery_action.pk}/update/", form=form, headers={"Referer": base}
    )
    assert refused.status == 403 and "CSRF" not in refused.text()
    surgery_action.refresh_from_db()
    assert surgery_action.status == "in_progress"
    assert [u.note for u in surgery_action.updates.all()] == [NOTE]
