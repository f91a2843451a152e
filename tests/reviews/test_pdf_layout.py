"""The printed reports as a reader holds them: the text read back out of the PDF (pypdf), with where it sits.

- A data pack's cover says what happened to it: draft, issued (with the date), circulated (with the date).
- The board pack's cover names the trust, the report, its month and its status, and lists its contents with
  the page each section starts on.
- A scorecard row is never split over two pages, and its icons sit beside its name; the header repeats.
- The SPC summary matrix prints on one page, even for a trust of 120 KPIs.
- The met / not-met column says so in words as well as colour.
- The chart's sentence is printed once when the owner kept it as the reading of the chart.

The small world is built once for the module; the larger scorecards are the world's own report with its rows
repeated under longer names, printed through the same template and printer.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import cycle

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from pmf.formatting import format_date
from reviews.ipr.content import IprCommentary, IprContent
from reviews.models import IprReport, Meeting
from reviews.services.ipr import approve_ipr, publish_ipr, save_ipr_draft
from reviews.services.ipr_pack import board_pack_content, board_pack_pdf
from reviews.services.packs import build_pack, circulate_pack, issue_pack, render_pack_pdf
from tests.world import LATEST

pytestmark = pytest.mark.django_db
printed = pytest.mark.browser  # printing draws the icons (and any chart) in the system Chromium

ICON_POINTS = 16.5  # a 22 px icon is 16.5 pt on the page


@dataclass(frozen=True)
class Run:
    """A run of text, or an image drawn (``text`` empty), with its vertical place on the page in points."""

    text: str
    bottom: float
    top: float


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with its white space squeezed to single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def page_runs(pdf: bytes) -> list[list[Run]]:
    """Each page's text runs (at their baseline) and icon-sized images (bottom to top), in drawing order."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: list[Run] = []

        def drawn(op: bytes, args: list, cm: list[float], tm: list[float], runs: list[Run] = runs) -> None:
            if op == b"Do" and abs(cm[3] - ICON_POINTS) < 0.5:
                runs.append(Run("", cm[5], cm[5] + cm[3]))

        def written(text: str, cm: list[float], tm: list[float], *_: object, runs: list[Run] = runs) -> None:
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(Run(" ".join(text.split()), y, y))

        page.extract_text(visitor_operand_before=drawn, visitor_text=written)
        pages.append(runs)
    return pages


def cover(pdf: bytes) -> str:
    return page_texts(pdf)[0]


# --- the data pack's cover ----------------------------------------------------------------------------------


@pytest.fixture
def pack(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = Meeting.objects.create(division=world.surgery, scheduled_for=LATEST + timedelta(days=40))
    return build_pack(meeting=meeting, actor=world.users["perf"], today=LATEST + timedelta(days=30))


@printed
def test_the_pack_cover_says_draft_then_issued_then_circulated_with_the_dates(
    pack, world, django_capture_on_commit_callbacks
):
    perf = world.users["perf"]
    assert "Status Draft, not yet issued: due to the division 3 Aug 2025" in cover(render_pack_pdf(pack))

    issued_on, circulated_on = datetime(2025, 8, 1, 9, tzinfo=UTC), datetime(2025, 8, 7, 9, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):  # a worker prints it, in-process here
        pack = issue_pack(pack=pack, actor=perf, now=issued_on)
    pack.refresh_from_db()
    issued = cover(pack.pdf.read())
    assert "Status Issued to the division 1 Aug 2025; to be circulated to invitees by 8 Aug 2025" in issued
    assert "Draft" not in issued

    with django_capture_on_commit_callbacks(execute=True):
        pack = circulate_pack(pack=pack, actor=perf, now=circulated_on)
    pack.refresh_from_db()
    pack.pdf.open("rb")
    circulated = cover(pack.pdf.read())
    assert "Status Circulated to invitees 7 Aug 2025; issued to the division 1 Aug 2025" in circulated
    assert "Draft" not in circulated


@printed
def test_a_late_pack_cover_says_when_it_was_due(pack, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue_pack(pack=pack, actor=world.users["perf"], now=datetime(2025, 8, 5, 9, tzinfo=UTC))
    pack.refresh_from_db()
    assert "Issued to the division 5 Aug 2025 (late: due 3 Aug 2025)" in cover(pack.pdf.read())


# --- the board pack -----------------------------------------------------------------------------------------


BOARD_MEETING = date(2025, 9, 25)


@pytest.fixture
def published(world):
    perf, executive = world.users["perf"], world.users["exec"]
    with time_machine.travel(datetime(2025, 8, 20, 10, tzinfo=UTC), tick=False):
        report = save_ipr_draft(
            actor=perf,
            month=LATEST,
            executive_summary="Performance held in July.",
            lead_director="Chief Operating Officer",
            recommendation="",
            board_meeting=BOARD_MEETING,
        )
        report = approve_ipr(actor=executive, report=report)
    with time_machine.travel(datetime(2025, 8, 21, 10, tzinfo=UTC), tick=False):
        return publish_ipr(actor=executive, report=report)


def contents(text: str) -> dict[str, int]:
    """The cover's contents list: each entry's title and the page it gives."""
    listed = text.split("Contents", 1)[1]
    return {
        title.strip(" ."): int(page) for title, page in re.findall(r"([A-Z][\w ]+?)[ .]+page (\d+)", listed)
    }


@printed
def test_the_board_pack_cover_names_the_trust_report_month_and_status_and_lists_the_contents(published):
    pdf = board_pack_pdf(published)
    pages = page_texts(pdf)
    front = pages[0]
    assert front.startswith(
        "World Test NHS Trust Integrated Performance Report Jul 2025 Published 21 Aug 2025"
    )
    assert "Report to Trust Board, Thu 25 Sep 2025" in front
    assert "Lead director Chief Operating Officer" in front
    assert "Approved by exec, 20 Aug 2025" in front
    assert "ublished, published" not in front and "Draft" not in front
    listed = contents(front)
    assert list(listed) == [
        "Executive summary and highlights",
        "SPC summary matrix",
        "Scorecard by domain",
        "Exceptions",
        "Breakdown by division",
        "Benchmarking",
        "Predictive performance",
        "Data notes",
    ]
    headings = {
        "Executive summary and highlights": "Executive summary",
        "Breakdown by division": "Breakdown by division",
        "Benchmarking": "Benchmarking: the trust among its peers",
    }
    for title, page in listed.items():
        assert pages[page - 1].startswith(headings.get(title, title)), (title, page)


@printed
def test_a_draft_and_an_approved_board_pack_say_so_on_the_cover(world):
    report = save_ipr_draft(
        actor=world.users["perf"], month=LATEST, executive_summary="", lead_director="", recommendation=""
    )
    assert "Draft: not yet approved or published" in cover(board_pack_pdf(report))
    report = approve_ipr(actor=world.users["exec"], report=report)
    assert f"Approved {format_date(report.approved_at.date())}: not yet published" in cover(
        board_pack_pdf(report)
    )


# --- a long report: rows, icons and the matrix --------------------------------------------------------------

# Names long enough to wrap in the scorecard's first column, as the longest KPI names do.
LONG_NAMES = [
    "Cancer 62-day referral to first definitive treatment for patients referred urgently by their GP",
    "Diagnostic waits over six weeks across the fifteen key tests of the national DM01 return",
    "Sickness absence rate across all staff groups, rolling twelve months, including bank staff",
    "Agency spend as a share of the total pay bill against the ceiling set by NHS England this year",
    "Patients who would recommend the inpatient wards to friends and family if they needed care",
]
# Names of the usual length.
NAMES = [
    "Cancer 62-day referral to treatment",
    "Diagnostic waits over six weeks (DM01)",
    "Sickness absence rate",
    "Agency spend as a share of pay",
    "Friends and Family Test: inpatients",
]


def longer(content: IprContent, n_kpis: int, names: list[str]) -> IprContent:
    """The world's report with ``n_kpis`` rows: its own rows repeated under ``names`` (each numbered),
    spread over the matrix as a large trust's are (a third in common cause, hit or miss)."""
    rows = [
        replace(row, code=f"LONG-{n}", name=f"{names[n % len(names)]} (row {n})", cell_note="")
        for n, row in zip(range(n_kpis), cycle(content.kpis), strict=False)
    ]
    spread = [(1, 1)] * 3 + [(0, 0), (0, 1), (1, 0), (1, 2), (2, 1), (2, 2)]
    place = {row.code: cell for row, cell in zip(rows, cycle(spread), strict=False)}
    matrix = tuple(
        replace(
            line,
            cells=tuple(
                replace(cell, codes=tuple(r.code for r in rows if place[r.code] == (i, j)))
                for j, cell in enumerate(line.cells)
            ),
        )
        for i, line in enumerate(content.matrix)
    )
    return replace(content, kpis=tuple(rows), matrix=matrix, summary=replace(content.summary, kpis=n_kpis))


@printed
def test_no_scorecard_row_is_split_from_its_icons_and_the_header_repeats(published):
    content = longer(board_pack_content(published), 60, LONG_NAMES)
    pdf = board_pack_pdf(published, content)
    texts, runs = page_texts(pdf), page_runs(pdf)
    first = next(i for i, text in enumerate(texts) if text.startswith("Scorecard by domain"))
    last = next(i for i, text in enumerate(texts) if text.startswith("Exceptions")) - 1
    assert last > first, "the scorecard runs over more than one page"
    for row in content.kpis:
        on = [number for number in range(first, last + 1) if row.name in texts[number]]
        assert len(on) == 1, f"{row.name} is not whole on one page of the scorecard"
    rows_seen = 0
    for number in range(first, last + 1):
        assert "KPI Jul 2025 Plan Against plan Variation and assurance Data" in texts[number]
        icons = [run for run in runs[number] if not run.text]
        for start in (run for run in runs[number] if run.text.startswith(STARTS)):
            beside = [icon for icon in icons if icon.bottom <= start.bottom <= icon.top]
            assert len(beside) == 2, f"the icons of the row starting {start.text!r} are not beside it"
            rows_seen += 1
    assert rows_seen == len(content.kpis)


STARTS = tuple(" ".join(name.split()[:3]) for name in LONG_NAMES)


@printed
def test_the_matrix_prints_on_one_page_even_for_a_large_trust(published):
    for n_kpis in (30, 120):
        content = longer(board_pack_content(published), n_kpis, NAMES)
        texts = page_texts(board_pack_pdf(published, content))
        page = next(i for i, text in enumerate(texts) if text.startswith("SPC summary matrix"))
        assert "SPC summary matrix: each KPI by its variation" in texts[page]
        missing = [r.name for r in content.kpis if f"(row {r.code[5:]})" not in texts[page]]
        assert missing == [], f"{len(missing)} of {n_kpis} KPIs are not on the matrix's page"
        assert texts[page + 1].startswith("Scorecard by domain")


@printed
def test_the_scorecard_says_met_and_not_met_in_words(published):
    texts = page_texts(board_pack_pdf(published))
    scorecard = next(text for text in texts if text.startswith("Scorecard by domain"))
    # July: A&E 80.4% against 95% and RTT 90.4% against 92% are not met; sickness 4.4% against 4% within
    # tolerance; attendances have no plan.
    assert scorecard.count("✗ Not met") == 2
    assert "≈ Within tolerance" in scorecard and "– Not assessed" in scorecard


@printed
def test_the_chart_sentence_is_printed_once_when_the_owner_kept_it(published):
    content = board_pack_content(published)
    kept, edited = content.kpis[0], content.kpis[1]
    sentence = "The latest point is within the limits: common cause variation."

    def exception(row, reading):
        commentary = IprCommentary(
            author="Chief Operating Officer",
            what_the_chart_tells_us=reading,
            issues="Demand rose.",
            actions="Extra sessions.",
            mitigations="",
            recovery_date=None,
            updated_at=None,
        )
        return replace(row, is_exception=True, sentence=sentence, commentary=commentary)

    rows = {kept.code: exception(kept, sentence), edited.code: exception(edited, "Our own reading.")}
    content = replace(
        content.with_rows([rows.get(r.code, r) for r in content.kpis]),
        summary=replace(content.summary, exceptions=(kept.code, edited.code)),
    )
    text = " ".join(page_texts(board_pack_pdf(published, content)))
    assert text.count(sentence) == 2  # once under each exception, never again as the owner's reading
    assert text.count("The sentence above, kept as generated.") == 1
    assert "Owner's reading of the chart Our own reading." in text


# --- the Board meeting it goes to ---------------------------------------------------------------------------


def draft_form(client, world, **fields):
    client.force_login(world.users["perf"])
    data = {"executive_summary": "", "lead_director": "", "recommendation": "", **fields}
    response = client.post(reverse("ipr-save", kwargs={"month": LATEST}), data, follow=True)
    return [str(m) for m in response.context["messages"]]


def test_the_draft_takes_the_board_meeting_as_day_month_and_year(client, world):
    said = draft_form(
        client, world, board_meeting_day="25", board_meeting_month="9", board_meeting_year="2025"
    )
    assert said == ["The draft is saved."]
    assert IprReport.objects.get(month=LATEST).board_meeting == BOARD_MEETING
    page = client.get(reverse("ipr", kwargs={"month": LATEST})).content.decode()
    assert 'name="board_meeting_day" inputmode="numeric" size="2" value="25"' in page
    assert draft_form(client, world) == ["The draft is saved."]  # left blank: not known
    assert IprReport.objects.get(month=LATEST).board_meeting is None


@pytest.mark.parametrize(
    ("day", "month", "year", "why"),
    [
        ("31", "9", "2025", "Enter the day of the Board meeting as a real day, month and year"),
        ("25", "", "2025", "Enter the day of the Board meeting as a real day, month and year"),
        (
            "31",
            "7",
            "2025",
            "The Board meeting must fall after Jul 2025, the month the report gives figures for.",
        ),
    ],
)
def test_a_board_meeting_that_is_no_date_or_too_early_is_refused(client, world, day, month, year, why):
    fields = {"board_meeting_day": day, "board_meeting_month": month, "board_meeting_year": year}
    said = draft_form(client, world, **fields)
    assert len(said) == 1 and said[0].startswith(why)
    assert not IprReport.objects.filter(month=LATEST).exists()
