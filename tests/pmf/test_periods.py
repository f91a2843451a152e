from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf.periods import (
    FinancialYear,
    add_months,
    financial_year_label,
    month_label,
    months_between,
    parse_month,
    quarter,
    quarter_label,
)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2025, 3, 31), "2024/25"),
        (date(2025, 4, 1), "2025/26"),
        (date(2025, 12, 31), "2025/26"),
        (date(2026, 1, 1), "2025/26"),
        (date(2026, 3, 31), "2025/26"),
        (date(1999, 4, 1), "1999/00"),
        (date(2000, 3, 31), "1999/00"),
    ],
)
def test_financial_year_label_at_year_edges(day, label):
    assert financial_year_label(day) == label


def test_financial_year_parse_round_trips_and_spans_april_to_march():
    fy = FinancialYear.parse("2025/26")
    assert fy.label == "2025/26"
    assert fy.first_day == date(2025, 4, 1)
    assert fy.last_day == date(2026, 3, 31)
    assert fy.months[0] == date(2025, 4, 1) and fy.months[-1] == date(2026, 3, 1) and len(fy.months) == 12
    assert fy.next().label == "2026/27" and fy.previous().label == "2024/25"


@pytest.mark.parametrize("label", ["2025/27", "2025-26", "25/26", "2025/2026", ""])
def test_financial_year_parse_rejects_malformed_labels(label):
    with pytest.raises(ValueError, match="not a financial year"):
        FinancialYear.parse(label)


@pytest.mark.parametrize(
    ("day", "q"),
    [
        (date(2025, 4, 1), 1),
        (date(2025, 6, 30), 1),
        (date(2025, 7, 1), 2),
        (date(2025, 12, 31), 3),
        (date(2026, 1, 1), 4),
        (date(2026, 3, 31), 4),
    ],
)
def test_quarter_q1_is_april_to_june(day, q):
    assert quarter(day) == q


def test_quarter_label_names_the_financial_year():
    assert quarter_label(date(2026, 2, 1)) == "Q4 2025/26"


def test_months_between_is_inclusive_and_crosses_years():
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert months_between(date(2026, 2, 1), date(2025, 11, 1)) == []


@pytest.mark.parametrize("text", ["2025-4", "2025-04", "2025-04-01", " 2025-04 "])
def test_parse_month_accepts_common_forms(text):
    assert parse_month(text) == date(2025, 4, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2025-13", "not between 1 and 12"), ("April 2025", "YYYY-MM"), ("2025-04-15", "first day")],
)
def test_parse_month_explains_what_is_wrong(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_month(text)


def test_month_label_is_short_month_and_year():
    assert month_label(date(2025, 4, 1)) == "Apr 2025"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_round_trips_and_stays_on_first_of_month(day, count):
    month = day.replace(day=1)
    moved = add_months(month, count)
    assert moved.day == 1
    assert add_months(moved, -count) == month


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_lies_in_its_financial_year(day):
    fy = FinancialYear.containing(day)
    assert fy.first_day <= day <= fy.last_day
    assert day.replace(day=1) in fy.months
