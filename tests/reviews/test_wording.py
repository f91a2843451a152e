"""The words pages and PDFs use: no repository paths, grammar that fits the counts, honest forecast words."""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from kpis.forecast import chance_in_words
from pmf.formatting import format_estimate, format_value
from reviews.ipr.content import IprForecastMonth

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


@pytest.mark.parametrize(
    ("probability", "words"),
    [
        (None, None),
        (0.95, "Likely to meet"),
        (0.7, "Likely to meet"),
        (0.69, "About as likely as not to meet"),
        (0.5, "About as likely as not to meet"),
        (0.31, "About as likely as not to meet"),
        (0.3, "Unlikely to meet"),
        (0.02, "Unlikely to meet"),
    ],
)
def test_only_a_clear_chance_is_called_likely_or_unlikely(probability, words):
    assert chance_in_words(probability) == words


def test_a_forecast_count_is_a_whole_number():
    assert format_estimate(85505.9, "count") == "85,506"
    assert format_estimate(63.44, "percent") == format_value(63.44, "percent") == "63.4%"


def month(probability: float | None, most_likely: float, low: float, high: float) -> IprForecastMonth:
    # Higher is better: the best case is the upper end, which the table used to write first.
    return IprForecastMonth(
        step=1,
        most_likely=most_likely,
        best_case=high,
        worst_case=low,
        low=low,
        high=high,
        plan=85000.0 if probability is not None else None,
        probability=probability,
        likely=None if probability is None else probability >= 0.5,
    )


def forecast_table(probability: float | None) -> str:
    row = SimpleNamespace(
        name="Attendances",
        unit="count",
        forecast=SimpleNamespace(months=[month(probability, 85505.9, 80123.4, 90877.6)]),
    )
    html = render_to_string(
        "reviews/_ipr_forecasts.html", {"forecasts": [row], "forecast_months": [date(2025, 8, 1)]}
    )
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_forecast_table_writes_ranges_low_to_high_in_whole_counts_and_an_even_chance_as_such():
    even = forecast_table(0.5)
    assert "85,506 (80,123 to 90,878)" in even
    assert "90,878 to 80,123" not in even and "85,505.9" not in even
    assert "50% of 85,000 ≈ About as likely as not to meet" in even
    assert "✓ Likely" not in even and "✗ Unlikely" not in even
    assert "✓ Likely to meet" in forecast_table(0.8)
    assert "✗ Unlikely to meet" in forecast_table(0.2)
    assert "No plan –" in forecast_table(None)


def test_only_an_unlikely_forecast_counts_as_a_miss_next_month():
    assert month(0.3, 1, 0, 2).unlikely_to_meet and not month(0.45, 1, 0, 2).unlikely_to_meet
    assert month(0.7, 1, 0, 2).likely_to_meet and not month(0.55, 1, 0, 2).likely_to_meet
    assert not month(None, 1, 0, 2).unlikely_to_meet
