"""The rows a submission is expected to have, and what checking a month's file reads to find them.

A unit is expected to submit a KPI for a month when it reported it in any of the twelve months before. The
check reads one row per KPI × unit for that, so a month's file reads as many rows with thirty months of
history behind it as with six: every SELECT the check runs is counted again in the database.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpis.models import Measurement
from kpis.selectors.ingest import EXPECTED_LOOKBACK_MONTHS, expected_rows
from kpis.services.catalogue import save_suite
from kpis.services.checking import check_file
from pmf.periods import add_months
from tests.rows_read import rows_read
from tests.world import KPIS, LATEST, MONTHS, SUBMITTING, figures

pytestmark = pytest.mark.django_db

AUGUST = add_months(LATEST, 1)


def _file(month: date, units: list[str]) -> bytes:
    lines = ["kpi_code,org_code,month,numerator,denominator,value"]
    for spec in KPIS:
        for u, unit in enumerate(units):
            numerator, denominator = figures(spec.code, u, 7)
            lines.append(f"{spec.code},{unit},{month:%Y-%m},{numerator},{denominator},")
    return ("\n".join(lines) + "\n").encode()


def _publish_earlier_history(world, months: int) -> None:
    """``months`` more months published before the world's first, for every unit and KPI it reports."""
    first = MONTHS[0]
    Measurement.objects.bulk_create(
        Measurement(
            kpi=world.kpis[spec.code],
            org_unit=world.units[unit],
            month=add_months(first, -back),
            numerator=50,
            denominator=100 if spec.aggregation == "ratio" else None,
            value=50,
            status=Measurement.Status.PUBLISHED,
        )
        for spec in KPIS
        for unit in SUBMITTING
        for back in range(1, months + 1)
    )


def test_checking_a_month_reads_as_many_rows_with_thirty_months_of_history_as_with_six(world):
    # The Cardiac Ward is left out of the file: its four KPIs are expected and missing.
    content = _file(AUGUST, SUBMITTING[:-1])
    checked: list = []
    short = rows_read(lambda: checked.append(check_file(content)))[0]
    _publish_earlier_history(world, 24)
    long = rows_read(lambda: checked.append(check_file(content)))[0]

    assert long == short
    six, thirty = (c.warnings.sort_values("value").reset_index(drop=True) for c in checked)
    missing = six[six["code"] == "missing_row"]["value"].tolist()
    assert missing == sorted(f"{spec.code} / WLD-MED-CAR-W1 / 2025-08" for spec in KPIS)
    assert thirty.equals(six)


def _reference(reports: list[date], months: list[date]) -> list[date]:
    """The months expected of one KPI × unit, by the rule itself: a report in the twelve months before."""
    return [m for m in months if any(add_months(m, -EXPECTED_LOOKBACK_MONTHS) <= r < m for r in reports)]


@pytest.mark.parametrize(
    ("reported", "asked"),
    [
        pytest.param([-12], [0], id="twelve-months-before"),
        pytest.param([-13], [0], id="thirteen-months-before"),
        pytest.param([-20, -13, -3], [0], id="latest-of-several"),
        pytest.param([-13], range(0, 6), id="a-file-of-six-months-after-a-gap"),
        pytest.param([-13, 2], range(0, 18), id="a-report-inside-the-file's-span"),
        pytest.param([-1, 3, 16], range(0, 30), id="runs-that-meet-and-one-after-a-gap"),
        pytest.param([5], [0, 5, 6, 17, 18], id="months-with-holes"),
    ],
)
def test_expected_months_follow_the_twelve_month_rule(world, reported, asked):
    """One KPI × unit with reports only where given (offsets from August 2025), checked against the rule."""
    kpi, unit = world.kpis["SICK"], world.units["WLD-SUR-GEN"]
    for year in ("2026/27", "2027/28"):  # the world's suites end in March 2026; the rule needs one a year
        save_suite(actor=None, financial_year=year, kpis=list(world.kpis.values()))
    Measurement.objects.filter(kpi=kpi, org_unit=unit).delete()
    reports = [add_months(AUGUST, offset) for offset in reported]
    Measurement.objects.bulk_create(
        Measurement(
            kpi=kpi, org_unit=unit, month=m, numerator=4, denominator=100, value=4, status="published"
        )
        for m in reports
    )
    months = [add_months(AUGUST, offset) for offset in asked]

    found = expected_rows(months)
    mine = found[(found["kpi_id"] == kpi.pk) & (found["org_unit_id"] == unit.pk)]

    assert [m.date() for m in mine["month"]] == _reference(reports, months)
    assert set(mine["kpi_code"]) <= {"SICK"} and set(mine["org_code"]) <= {"WLD-SUR-GEN"}
