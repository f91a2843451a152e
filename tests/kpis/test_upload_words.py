"""How the upload pages write an upload's months and who a warning is about (pure)."""

from datetime import date

import pytest

from kpis.upload_words import month_span, who_and_what


def months(first: date, count: int) -> list[str]:
    out, year, month = [], first.year, first.month
    for _ in range(count):
        out.append(date(year, month, 1).isoformat())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@pytest.mark.parametrize(
    "given, written",
    [
        ([], "–"),
        (["2025-07-01"], "Jul 2025"),
        (months(date(2018, 4, 1), 88), "Apr 2018 – Jul 2025, 88 months"),
        (["2025-06-01", "2025-04-01"], "Apr 2025, Jun 2025"),  # in order, though the file had them not
        ([date(2025, 4, 1), date(2025, 5, 1)], "Apr 2025 – May 2025, 2 months"),
        (
            months(date(2018, 4, 1), 40) + months(date(2022, 4, 1), 40),
            "Apr 2018 – Jul 2025, 80 of the 88 months",
        ),
        (["2025-07-01", "2025-07-01"], "Jul 2025"),  # each month once
    ],
)
def test_an_uploads_months_are_a_range_not_a_list(given, written):
    assert month_span(given) == written


def test_a_warning_names_its_kpi_and_unit_and_keeps_the_code_of_one_no_longer_known():
    warning = {"row": 2, "kpi_code": "AE-4H", "org_code": "RWD-GONE", "month": "2025-07", "reason": "x"}

    named = who_and_what(warning, kpi_names={"AE-4H": "A&E 4-hour"}, unit_names={"RWD": "Trust"})

    assert named["kpi_name"] == "A&E 4-hour" and named["unit_name"] == ""
    assert named["org_code"] == "RWD-GONE" and named["month_date"] == date(2025, 7, 1)
    assert named["reason"] == "x"
    assert who_and_what({"row": 3}, kpi_names={}, unit_names={})["month_date"] is None
