"""Every date a reader sees goes through the one formatter (``nhs_month``, ``nhs_date``, ``nhs_weekday_date``,
``nhs_datetime``), so a page and a PDF write "31 Mar 2026" alike. Django's own ``|date:`` is left only where
a program reads the date: a URL and a form field's value, in the ISO form."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

TEMPLATES = Path(settings.BASE_DIR) / "templates"
DATE_FILTER = re.compile(r"""\|date:(["'])(?P<format>[^"']*)\1""")
# Where a program, not a reader, takes the date: the month in a URL (``{% url … month|date:'Y-m' %}`` or a
# query string in ``href``) and the value of a month field, which the form reads back as YYYY-MM.
IN_A_MACHINE_PLACE = re.compile(r"""(?:{%\s*url\b[^%]*|\b(?:href|value|datetime)="[^"]*)$""")
MACHINE_FORMATS = {"Y-m", "Y-m-d", "c"}


def human_dates(markup: str) -> list[str]:
    """Each ``|date:`` in `markup` a reader sees: outside a URL and a field's value, or not in ISO form."""
    return [
        m.group(0)
        for m in DATE_FILTER.finditer(markup)
        if m["format"] not in MACHINE_FORMATS
        or not IN_A_MACHINE_PLACE.search(markup[max(0, m.start() - 300) : m.start()])
    ]


def test_no_template_writes_a_date_for_a_reader_with_djangos_date_filter():
    found = {
        path.relative_to(TEMPLATES).as_posix(): dates
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (dates := human_dates(path.read_text()))
    }
    assert not found, f"write these through pmf_format's nhs_month / nhs_date / nhs_datetime: {found}"


@pytest.mark.parametrize(
    "markup",
    [
        '<p>Data as at {{ month|date:"F Y" }}</p>',
        "<td>{{ m.scheduled_for|date:'l j F Y' }}</td>",
        '<a href="?month={{ month|date:"F Y" }}">',  # a URL, but not in a form a program reads
        "<span title=\"{{ month|date:'M Y' }}\">",  # an attribute a reader sees
    ],
)
def test_the_check_finds_a_date_written_for_a_reader(markup):
    assert human_dates(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<a href=\"{% url 'fpec-pdf' month|date:'Y-m' %}\">PDF</a>",
        "<a href=\"?month={{ report.month|date:'Y-m' }}\">CSV</a>",
        '<input name="month" value="{{ report.month|date:\'Y-m\' }}">',
        "<p>{{ month|nhs_month }}, {{ day|nhs_date }}</p>",
    ],
)
def test_the_check_leaves_machine_dates_and_the_formatter_alone(markup):
    assert human_dates(markup) == []


def test_the_date_filters_write_as_the_formatter_does(settings):
    from datetime import UTC, date, datetime

    settings.TIME_ZONE = "Europe/London"
    rendered = Template(
        "{% load pmf_format %}{{ d|nhs_month }} · {{ d|nhs_date }} · {{ d|nhs_weekday_date }} · "
        "{{ t|nhs_datetime }} · {{ t|nhs_date }} · {{ iso|nhs_date }} · {{ none|nhs_date }} · "
        "{{ d|nhs_datetime }}"
    ).render(
        Context(
            {
                "d": date(2026, 3, 31),
                "t": datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # 00:30 on 1 July in London
                "iso": "2025-07-03T10:00:00+00:00",
                "none": None,
            }
        )
    )
    assert rendered == (
        "Mar 2026 · 31 Mar 2026 · Tue 31 Mar 2026 · 1 Jul 2026, 00:30 · 1 Jul 2026 · 3 Jul 2025 · – · "
        "31 Mar 2026"
    )
