"""The main pages of the demonstration trust weigh under 300 KB of HTML, and travel gzipped.

A reader on a trust's network opens the home page, the IPR and its SPC matrix, a division's page and
dashboard, and a KPI's chart many times a day; what they do not open first is collapsed or on a page of its
own, so the HTML stays small as the catalogue grows.
"""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from pmf.models import User

pytestmark = pytest.mark.django_db

MOST_BYTES = 300_000


def _main_pages() -> list[tuple[str, str]]:
    return [
        ("the home page", reverse("home")),
        ("the IPR", reverse("ipr", kwargs={"month": "2025-07"})),
        ("the SPC matrix", reverse("ipr-matrix", kwargs={"month": "2025-07"})),
        ("a division's dashboard", reverse("division-dashboard", args=["RWD-SUR"])),
        ("a division's page", reverse("division", args=["RWD-SUR"])),
        ("a KPI's chart", reverse("kpi-chart", args=["RTT-18W", "RWD"])),
    ]


def test_every_main_page_weighs_under_300_kb_and_is_sent_gzipped(client, demo):
    client.force_login(User.objects.get(username="perf"))
    weights, heavy = {}, {}
    for what, url in _main_pages():
        response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response["Vary"], url
        html = gzip.decompress(response.content)
        weights[what] = (len(html), len(response.content))
        if len(html) >= MOST_BYTES:
            heavy[what] = len(html)
    print(weights)  # noqa: T201 - the weights, for a reader of the test's output
    assert not heavy, heavy


def test_a_client_that_does_not_accept_gzip_gets_plain_html(client, demo):
    client.force_login(User.objects.get(username="perf"))
    response = client.get(reverse("home"))
    assert "Content-Encoding" not in response
    assert response.content.decode().lower().startswith("<!doctype html>")
