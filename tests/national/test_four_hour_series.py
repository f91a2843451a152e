"""Two trusts that are not in the demo, RTG and RK5: their whole A&E four-hour series, imported from both A&E
files (the tidy history from April 2016, the official monthly CSV from June 2024), equals the test's own
calculation from the raw columns for every month in the files; the official file gives the months both
have."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date

import pytest

from kpis.models import Measurement
from kpis.services.catalogue import save_suite
from national.importing import import_national_files

from .conftest import DATA, published_file
from .test_importing import OFFICIAL, four_hour_by_hand

HISTORY = "ae_history_RTG_RK5_2016_2025.csv"
EARLIER_YEARS = [f"{year}/{str(year + 1)[2:]}" for year in range(2016, 2024)]


def from_the_history(org: str) -> dict[date, float]:
    measures: dict[date, dict[str, float]] = defaultdict(dict)
    with (DATA / HISTORY).open(newline="") as handle:
        for line in csv.DictReader(handle):
            if line["org_code"] == org:
                measures[date.fromisoformat(line["period"])][line["measure"]] = float(line["value"])
    return {
        month: 100 * (1 - m["ae_over_4h_all_types"] / m["ae_attendances_all_types"])
        for month, m in measures.items()
        if m.get("ae_attendances_all_types")
    }


@pytest.mark.parametrize("org", ["RTG", "RK5"])
def test_the_whole_four_hour_series_equals_the_raw_columns_month_by_month(national_world, org):
    for year in EARLIER_YEARS:  # the trust's KPI suites go back as far as the history
        save_suite(actor=None, financial_year=year, kpis=[])
    official, history = four_hour_by_hand(org), from_the_history(org)
    expected = history | official  # where both give a month, the official file's figure

    import_national_files(
        actor=national_world.perf,
        ods=org,
        files=[published_file(HISTORY), published_file(OFFICIAL)],
        publish=True,
    )

    published = Measurement.objects.filter(
        kpi__national_code="AE_4HR_ALL",
        org_unit=national_world.trust,
        status=Measurement.Status.PUBLISHED,
        is_rollup=False,
    ).select_related("upload")
    got = {m.month: m for m in published}
    assert sorted(got) == sorted(expected)
    assert len(expected) == 88 and min(expected) == date(2016, 4, 1) and max(expected) == date(2025, 7, 1)
    for month, value in expected.items():
        assert got[month].value == pytest.approx(value, abs=1e-9), month
        assert got[month].upload.source_file == (OFFICIAL if month in official else HISTORY), month
