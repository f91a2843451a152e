"""The words pages and PDFs use: no repository paths, grammar that fits the counts, honest forecast words."""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_template_shows_a_repository_path():
    """Every page and PDF is drawn from these templates: none names a file of the project's documentation."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = COMMENTS.sub("", path.read_text())
        found += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(r"\S*(?:docs/|\.md\b)\S*", text)]
    assert found == []


def data_notes(provisional: int, kpis: int) -> str:
    html = render_to_string(
        "reviews/_ipr_data_notes.html",
        {"month": date(2025, 7, 1), "provisional": [object()] * provisional, "summary": {"kpis": kpis}},
    )
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.mark.parametrize(
    ("provisional", "kpis", "says", "never"),
    [
        (39, 39, "All 39 KPIs are provisional: their data", "others"),
        (0, 39, "All 39 KPIs are validated", "provisional:"),
        (1, 1, "The one KPI is provisional: its data", "others"),
        (1, 39, "1 of 39 KPIs is provisional: its data", "The other KPI"),
        (38, 39, "38 of 39 KPIs are provisional: their data", "The others"),
        (5, 39, "5 of 39 KPIs are provisional", "The other KPI"),
    ],
)
def test_data_notes_count_provisional_kpis_in_words_that_fit_all_none_or_some(provisional, kpis, says, never):
    notes = data_notes(provisional, kpis)
    assert says in notes
    assert never not in notes
    if 0 < provisional < kpis:
        assert (
            "The other KPI is validated." if kpis - provisional == 1 else "The others are validated."
        ) in notes


@pytest.mark.django_db
def test_the_public_page_says_when_the_report_was_published():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "reviews/ipr_public.html",
        {
            "report": SimpleNamespace(published_at=datetime(2025, 8, 14, 9, tzinfo=UTC)),
            "month": date(2025, 7, 1),
            "content": {"trust": {"name": "A trust"}},
        },
        request=request,
    )
    assert "Published on 14 Aug 2025" in html
    assert "Board received on" not in html
