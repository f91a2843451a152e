"""Every main page of the demonstration trust writes its numbers through ``pmf.formatting``.

The pages are rendered with the test client, their text taken out of the markup, and any number with more
decimals than a formatter ever writes, any "nan", "inf", "None" or exponent, fails the test.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from divisions.models import OrgUnit
from escalation.models import EscalationCase
from kpis.models import Upload
from pmf.formatting import ALLOWED_DECIMALS
from pmf.models import User
from reviews.models import Meeting
from reviews.services.packs import build_pack

pytestmark = pytest.mark.django_db

# More decimals than any unit is written with (rates and ratios have two).
MOST_DECIMALS = max(ALLOWED_DECIMALS.values())
RAW_NUMBER = re.compile(rf"\d\.\d{{{MOST_DECIMALS + 1},}}")
# "None" as Python prints it; "None." ending an empty list and "None recorded" are the pages' own words.
NOT_A_NUMBER = re.compile(r"\b(?:nan|NaN|NAN|inf|Inf|infinity|Infinity|None(?!\.| recorded))\b")
EXPONENT = re.compile(r"\d[eE][+-]?\d")
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")


def page_text(markup: str) -> str:
    """What a reader sees: scripts, styles and tags dropped (attributes with them), entities decoded."""
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", markup)))


def raw_numbers(markup: str) -> list[str]:
    """Everything in the page's text that no formatter writes (long decimals, nan, inf, None, exponents),
    each with a little of the text around it so a failure says where it is."""
    text = " ".join(page_text(markup).split())
    return [
        f"{m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for pattern in (RAW_NUMBER, NOT_A_NUMBER, EXPONENT)
        for m in pattern.finditer(text)
    ]


@pytest.mark.parametrize(
    "markup",
    [
        "<td>0.786667 against a plan of 0.95</td>",
        "<p>The value was nan.</p>",
        "<li>Target: None</li>",
        "<td>None</td>",
        "<p>In Jul 2025 the value was 63.4% against a plan of None, and rising.</p>",
        "<span>1.2e+06</span>",
        "<td>inf</td>",
        "<td>£-507.123k</td>",
    ],
)
def test_the_sweep_finds_a_raw_float_put_into_a_page(markup):
    assert raw_numbers(f"<html><body><h1>KPI</h1>{markup}</body></html>")


@pytest.mark.parametrize(
    "markup",
    [
        "<td>0.79 against a plan of 0.95</td><td>63.4%</td><td>£1,250k</td><td>1:06:40</td>",
        '<svg><circle cx="12.3456" cy="7.891011"/></svg><p>No data</p>',
        '<script>var figure = {"y": [0.786667, NaN]};</script><p>Mar 2026</p>',
        "<p>Nonetheless, information on infection control</p>",
        "<ul><li>None.</li></ul><p>None recorded.</p>",
    ],
)
def test_the_sweep_lets_formatted_pages_and_markup_pass(markup):
    assert raw_numbers(markup) == []


def _pages(client) -> list[tuple[str, str, dict[str, str]]]:
    """(who, url, query) for the main pages of the demonstration trust."""
    surgery = OrgUnit.objects.get(code="RWD-SUR")
    case = EscalationCase.objects.order_by("pk").first()
    upload = Upload.objects.filter(status=Upload.Status.PUBLISHED).order_by("pk").first()
    july = {"month": "2025-07"}
    pages = [
        ("board", reverse("home"), {}),
        ("board", reverse("kpi-chart", args=["RTT-18W", "RWD-SUR"]), {}),
        ("board", reverse("kpi-chart", args=["FIN-CIP", "RWD"]), {}),
        ("board", reverse("kpi-chart", args=["FIN-IE-VAR", "RWD"]), {}),
        ("cl.surgery", reverse("division-dashboard", args=["RWD-SUR"]), {}),
        ("board", reverse("division", args=["RWD-SUR"]), {}),
        ("board", reverse("ratings"), {}),
        ("perf", reverse("ipr", kwargs={"month": "2025-07"}), {}),
        ("perf", reverse("ipr-matrix", kwargs={"month": "2025-07"}), {}),
        ("perf", reverse("ipr-exceptions", kwargs={"month": "2025-07"}), {}),
        ("exec", reverse("escalation-cases"), {}),
        ("exec", reverse("exception-report"), july),
        ("perf", reverse("uploads"), {}),
    ]
    if case is not None:
        pages.append(("exec", reverse("escalation-case", args=[case.reference]), {}))
    if upload is not None:
        pages.append(("perf", reverse("upload-detail", args=[upload.pk]), {}))
    latest = surgery.ratings.order_by("-month").first()
    meeting = Meeting.objects.filter(division=surgery, status="planned").order_by("scheduled_for").first()
    if latest is not None and meeting is not None:
        perf = User.objects.get(username="perf")
        pack = build_pack(meeting=meeting, actor=perf, today=latest.month + timedelta(days=30))
        pages.append(("perf", reverse("pack", args=[pack.meeting.pk]), {}))
    return pages


def test_no_main_page_of_the_demo_trust_prints_a_raw_float(client, demo):
    pages = _pages(client)
    assert len(pages) >= 16, "the case, the upload and the pack should all exist in the demo trust"
    found = {}
    for username, url, query in pages:
        client.force_login(User.objects.get(username=username))
        response = client.get(url, query, follow=True)
        assert response.status_code == 200, url
        raw = raw_numbers(response.content.decode())
        if raw:
            found[url] = raw[:5]

    assert found == {}
