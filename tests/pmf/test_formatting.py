import ast
import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf import formatting
from pmf.formatting import (
    ALLOWED_DECIMALS,
    MINUS,
    MISSING,
    allowed_decimals,
    format_date,
    format_delta,
    format_month,
    format_number,
    format_seconds,
    format_value,
    normalise_unit,
)

UNITS = [*ALLOWED_DECIMALS, "", "widgets"]


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (63.44, "percent", "63.4%"),
        (78, "percent", "78.0%"),
        (78, "%", "78.0%"),
        (-1.25, "percent", f"{MINUS}1.3%"),
        (-0.04, "percent", "0.0%"),
        (1250, "currency", "£1,250k"),
        (1234.6, "currency", "£1,235k"),
        (12.34, "currency", "£12k"),
        (4.5, "currency", "£4.5k"),
        (5, "currency", "£5k"),
        (9.96, "currency", "£10k"),
        (0, "currency", "£0k"),
        (-507, "currency", f"{MINUS}£507k"),
        (-0.2, "currency", f"{MINUS}£0.2k"),
        (-0.04, "currency", "£0k"),
        (12345, "count", "12,345"),
        (12.04, "count", "12"),
        (59.84, "count", "59.8"),
        (-3, "count", f"{MINUS}3"),
        (425, "seconds", "7:05"),
        (59.6, "seconds", "1:00"),
        (3599.4, "seconds", "59:59"),
        (3599.6, "seconds", "1:00:00"),
        (4000, "seconds", "1:06:40"),
        (-65, "seconds", f"{MINUS}1:05"),
        (42.5, "minutes", "42.5 min"),
        (7.254, "rate_per_1000", "7.25 per 1,000"),
        (0.786667, "ratio", "0.79"),
        (1, "ratio", "1.00"),
        (0.786667, "", "0.79"),
        (63, "", "63"),
        (1234567.5, "", "1,234,567.5"),
        (None, "percent", MISSING),
        (math.nan, "count", MISSING),
        (math.inf, "currency", MISSING),
        (-math.inf, "seconds", MISSING),
        (Decimal("63.44"), "percent", "63.4%"),
    ],
)
def test_format_value_writes_each_unit_as_a_reader_expects(value, unit, written):
    assert format_value(value, unit) == written


def test_the_issue_values_are_written_one_way():
    # The values three formatters used to disagree on.
    assert format_value(1250, "currency") == "£1,250k"
    assert format_value(4000, "seconds") == "1:06:40"


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "written"),
    [
        (78, "percent", 0, "78%"),
        (1234.56, "currency", 1, "£1,234.6k"),
        (12.5, "count", 0, "13"),
        (7.2, "rate_per_1000", 1, "7.2 per 1,000"),
        (0.5, "", 3, "0.500"),
        (425.4, "seconds", 3, "7:05"),
        (1.5, "", 40, "1.500000"),
    ],
)
def test_decimals_fix_the_precision_but_not_of_durations(value, unit, decimals, written):
    assert format_value(value, unit, decimals=decimals) == written


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (2.46, "percent", "+2.5 pp"),
        (-2.46, "percent", f"{MINUS}2.5 pp"),
        (12.3, "currency", "+£12k"),
        (-507, "currency", f"{MINUS}£507k"),
        (-45, "seconds", f"{MINUS}0:45"),
        (3, "count", "+3"),
        (0, "count", "0"),
        (None, "count", MISSING),
    ],
)
def test_format_delta_carries_the_sign_and_writes_percentage_points(value, unit, written):
    assert format_delta(value, unit) == written


def test_format_delta_unsigned_writes_the_size_alone():
    assert format_delta(-3.5, "percent", signed=False) == "3.5 pp"
    assert format_delta(-12, "currency", signed=False) == "£12k"


def test_format_number_plain_and_stripped():
    assert format_number(1234.5, 2) == "1,234.50"
    assert format_number(1234.5, 2, strip=True) == "1,234.5"
    assert format_number(-0.001, 2) == "0.00"
    assert format_number(None) == MISSING
    assert format_number(1.5, -3) == "2"


def test_ties_round_away_from_zero_as_a_spreadsheet_does():
    assert format_number(2.5, 0) == "3"
    assert format_number(-2.5, 0) == f"{MINUS}3"
    assert format_number(0.125, 2) == "0.13"
    assert format_value(-30000.5, "currency") == f"{MINUS}£30,001k"
    assert format_seconds(0.5) == "0:01"
    assert format_number(1e300, 6).endswith(".000000")


def test_format_seconds_alone():
    assert format_seconds(3600) == "1:00:00"
    assert format_seconds(0) == "0:00"
    assert format_seconds(-0.4) == "0:00"
    assert format_seconds(None) == MISSING


def test_months_and_dates_are_written_the_nhs_way():
    assert format_month(date(2026, 3, 1)) == "Mar 2026"
    assert format_month(date(2025, 9, 30)) == "Sep 2025"
    assert format_date(date(2026, 3, 31)) == "31 Mar 2026"
    assert format_date(date(2025, 7, 4)) == "4 Jul 2025"
    assert format_month(None) == MISSING
    assert format_date(None) == MISSING


def test_unit_aliases_and_allowed_decimals():
    assert normalise_unit(" % ") == "percent"
    assert normalise_unit("£k") == "currency"
    assert normalise_unit(None) == ""
    assert allowed_decimals("seconds") == 0
    assert allowed_decimals("per 1,000") == 2
    assert allowed_decimals("widgets") == 2


# --- properties ---------------------------------------------------------------------------------------------

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**15), 10**15) | st.none()
FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
DECIMAL_PART = re.compile(r"\d\.(\d+)")


@given(value=ANY_FLOAT, unit=st.sampled_from(UNITS))
def test_never_prints_nan_inf_or_exponents(value, unit):
    for text in (format_value(value, unit), format_delta(value, unit)):
        lowered = text.lower()
        assert "nan" not in lowered
        assert "inf" not in lowered
        assert "e+" not in lowered and "e-" not in lowered
        assert "none" not in lowered


@given(value=ANY_FLOAT, unit=st.sampled_from(UNITS))
def test_never_prints_more_than_the_allowed_decimals(value, unit):
    allowed = allowed_decimals(unit)
    for text in (format_value(value, unit), format_delta(value, unit)):
        for decimals in DECIMAL_PART.findall(text.replace(",", "")):
            assert len(decimals) <= allowed, text


@given(value=FINITE, unit=st.sampled_from(UNITS))
def test_the_sign_is_the_minus_sign_and_only_when_the_value_shows_as_non_zero(value, unit):
    text = format_value(value, unit)
    assert "-" not in text
    shown_non_zero = any(c in "123456789" for c in text.split(" ")[0])
    assert text.startswith(MINUS) == (value < 0 and shown_non_zero)


@given(value=FINITE)
def test_a_formatted_number_reads_back_within_half_its_last_decimal(value):
    for decimals in (0, 1, 2):
        text = format_number(value, decimals).replace(",", "").replace(MINUS, "-")
        assert abs(float(text) - value) <= 0.5 * 10**-decimals + 1e-9 * abs(value)


@given(seconds=st.integers(min_value=0, max_value=10**7))
def test_durations_read_back_to_the_second(seconds):
    parts = [int(p) for p in format_seconds(seconds).split(":")]
    assert all(p < 60 for p in parts[1:])
    assert len(parts) == (3 if seconds >= 3600 else 2)
    total = 0
    for part in parts:
        total = total * 60 + part
    assert total == seconds


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_dates_are_day_month_year(day):
    assert format_date(day) == f"{day.day} {day:%b} {day.year}"


def test_the_module_imports_no_django_and_no_app():
    tree = ast.parse(Path(formatting.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "math", "datetime", "decimal", "typing"}


def test_the_template_filters_are_the_one_formatter():
    from django.template import Context, Template

    template = Template(
        "{% load pmf_format %}{{ money|kpi_value:'currency' }} {{ wait|kpi_value:'seconds' }} "
        "{{ gap|kpi_delta:'percent' }} {{ none|kpi_value:'percent' }} {{ day|nhs_date }} {{ day|nhs_month }}"
    )
    written = template.render(
        Context({"money": -507.0, "wait": 4000, "gap": 2.46, "none": None, "day": date(2026, 3, 31)})
    )

    assert written == f"{MINUS}£507k 1:06:40 +2.5 pp {MISSING} 31 Mar 2026 Mar 2026"
