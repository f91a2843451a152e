"""Every main page of the demonstration trust writes its numbers through ``pmf.formatting``.

The pages are rendered with the test client, their text taken out of the markup, and any number with more
decimals than a formatter ever writes, any "nan", "inf", "None" or exponent fails the test. So does a sign the
formatter never writes, an ASCII hyphen-minus before a figure ("£-507", "-12"; it writes "−£507k", "−12"),
a £ amount without its "k" (every currency KPI is held in £ thousands), and a duration written in seconds
("4,000 s", "1080 seconds"; the formatter writes m:ss or h:mm:ss). The text of generated PDFs is swept the
same way.
"""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

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
# A hyphen-minus used as a sign: before a digit or a £ where it does not join two words or numbers (so
# "2024-25", "2025-07" and "RTT-18W" pass), and after a £ ("£-507"). The formatter writes U+2212.
HYPHEN_SIGN = re.compile(r"(?<![\w.\-/:])-(?=£?\d)|£-(?=\d)")
# A £ amount with no "k" after its digits: the formatter writes every currency value in £ thousands. "£000s"
# is the unit itself, as KPI definitions name it.
POUNDS_WITHOUT_K = re.compile(r"£(?!000s\b)\d(?![\d,.]*k)")
# A duration in seconds, as no formatter writes one: a figure followed by "s", "sec(s)" or "seconds".
SECONDS = re.compile(r"(?<![£\w.,])\d[\d,]*(?:\.\d+)?(?:\s(?:s|secs?)|\s?seconds?)\b")
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")


def page_text(markup: str) -> str:
    """What a reader sees: scripts, styles and tags dropped (attributes with them), entities decoded."""
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", markup)))


def raw_numbers(markup: str) -> list[str]:
    """Everything in the page's text that no formatter writes (see ``unformatted``)."""
    return unformatted(page_text(markup))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def unformatted(text: str) -> list[str]:
    """Everything in ``text`` that no formatter writes (long decimals, nan, inf, None, exponents, a
    hyphen-minus for a sign, £ without its k, a duration in seconds), each with a little of the text around
    it so a failure says where it is."""
    text = " ".join(text.split())
    return [
        f"{m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for pattern in (RAW_NUMBER, NOT_A_NUMBER, EXPONENT, HYPHEN_SIGN, POUNDS_WITHOUT_K, SECONDS)
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
        "<li>Jul 2025 £-507 vs £0</li>",  # the evidence an escalation once wrote
        "<td>£-507k</td>",
        "<td>-£507k</td>",
        "<p>The variance was -12 this month</p>",
        "<td>-0.79</td>",
        "<td>(-3.5%)</td>",
        "<p>£507 against a plan of £0k</p>",
        "<p>against a plan of £1,250</p>",
        "<td>£4.5</td>",
        "<li>Jul 2025 4,000 s vs 1,080 s</li>",  # the evidence an escalation once wrote for a duration
        "<p>1140 seconds against a plan of 1080 seconds</p>",
        "<td>19.5 secs</td>",
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
        "<td>−£507k</td><td>£0k</td><td>£4.5k</td><td>£1,250k</td><td>−12</td><td>−0:45</td>",
        "<p>2024-25 and 2025/26; Apr 2025 – Mar 2026; 31 Mar 2026; 2025-07-01</p>",
        "<p>RTT-18W for RWD-SUR; FIN-IE-VAR; AE-4H; WLD-MED-CAR-W1</p>",
        "<p>09:00-17:00, pages 3-4, a 1-2 day wait; £ thousands; self-assessment</p>",
        "<p>Numerator: CIP savings delivered, £000s</p>",
        "<p>19:00 against a plan of 18:00; 1:06:40; the 1990s; 3 sessions; KPIs; 2 services</p>",
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


def test_the_exception_report_pdf_writes_its_numbers_as_the_formatter_does(client, demo):
    client.force_login(User.objects.get(username="exec"))
    response = client.get(reverse("exception-report-pdf"), {"month": "2025-07"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Jul 2025" in text and "Not met" in text, "the report's rows are in the PDF's text"

    assert unformatted(text) == []


def test_the_data_pack_pdf_writes_its_numbers_as_the_formatter_does(
    client, demo, django_capture_on_commit_callbacks
):
    surgery = OrgUnit.objects.get(code="RWD-SUR")
    latest = surgery.ratings.order_by("-month").first()
    meeting = Meeting.objects.filter(division=surgery, status="planned").order_by("scheduled_for").first()
    perf = User.objects.get(username="perf")
    pack = build_pack(meeting=meeting, actor=perf, today=latest.month + timedelta(days=30))
    client.force_login(perf)
    with django_capture_on_commit_callbacks(execute=True):  # a worker prints the draft, in-process here
        client.post(reverse("pack-print", args=[pack.meeting.pk]))

    response = client.get(reverse("pack-pdf", args=[pack.meeting.pk]))

    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "−£507k against a plan of £0k" in text, "the pack's finance figures are in the PDF's text"
    assert unformatted(text) == []
