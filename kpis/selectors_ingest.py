"""Reads for a data submission: what the rows are checked against, as DataFrames.

Each function is a fixed number of queries whatever the size of the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from django.db.models import Max

from divisions.models import OrgUnit
from pmf.periods import FinancialYear, add_months

from .ingest.validate import KPI_COLUMNS, SUITE_COLUMNS, UNIT_COLUMNS, Lookups
from .models import Kpi, KpiSuiteEntry, Measurement, SpcSeries

KEY = ["kpi_id", "org_unit_id", "month"]
# A unit is expected to report a KPI if it reported it in any of this many months before.
EXPECTED_LOOKBACK_MONTHS = 12


def ingest_lookups(*, today: date) -> Lookups:
    """The catalogue, the organisation and the suites (three queries)."""
    kpis = pd.DataFrame(
        [
            (k.code, k.pk, k.unit, k.aggregation, k.scale)
            for k in Kpi.objects.only("code", "unit", "aggregation")
        ],
        columns=KPI_COLUMNS,
    )
    units = pd.DataFrame(
        OrgUnit.objects.values_list("code", "id", "active_from", "active_to"), columns=UNIT_COLUMNS
    )
    entries = pd.DataFrame(
        KpiSuiteEntry.objects.values_list("suite__financial_year", "kpi_id"), columns=["label", "kpi_id"]
    )
    entries["fy_start"] = entries["label"].map(lambda label: FinancialYear.parse(label).start_year)
    return Lookups(kpis=kpis, units=units, suites=entries[SUITE_COLUMNS], today=today)


def published_values(months: Iterable[date]) -> pd.DataFrame:
    """The current published submitted values of ``months`` (one query)."""
    from .services.measurements import current_values

    frame = current_values(months=sorted(set(months)), is_rollup=False)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def previous_month_values(months: Iterable[date]) -> pd.DataFrame:
    """For each month, the published values of the month before, labelled with the later month."""
    earlier = [add_months(m, -1) for m in months]
    frame = published_values(earlier)[[*KEY, "value"]]
    frame["month"] = frame["month"] + pd.DateOffset(months=1)
    return frame


def latest_limits(kpi_ids: Iterable[int]) -> pd.DataFrame:
    """Each chart's latest mean and process limits (one query)."""
    return pd.DataFrame(
        SpcSeries.objects.filter(kpi_id__in=list(kpi_ids), lpl__isnull=False, upl__isnull=False).values_list(
            "kpi_id", "org_unit_id", "mean", "lpl", "upl"
        ),
        columns=["kpi_id", "org_unit_id", "mean", "lower", "upper"],
    )


def expected_rows(months: Iterable[date]) -> pd.DataFrame:
    """The rows a submission for ``months`` should have, with their codes.

    A unit is expected to submit a KPI for a month when it submitted it in any of the
    twelve months before, the KPI is in that month's suite and the unit is still active.
    (Three queries.)
    """
    months = sorted(set(months))
    columns = [*KEY, "kpi_code", "org_code"]
    if not months:
        return pd.DataFrame(columns=columns)
    history = pd.DataFrame(
        Measurement.objects.filter(
            is_rollup=False,
            status=Measurement.Status.PUBLISHED,
            month__gte=add_months(months[0], -EXPECTED_LOOKBACK_MONTHS),
            month__lt=months[-1],
        )
        .values_list("kpi_id", "org_unit_id", "month", "kpi__code", "org_unit__code")
        .distinct(),
        columns=["kpi_id", "org_unit_id", "reported", "kpi_code", "org_code"],
    )
    lookups = ingest_lookups(today=date.today())
    found = []
    for month in months:
        window = history[
            (history["reported"] < month)
            & (history["reported"] >= add_months(month, -EXPECTED_LOOKBACK_MONTHS))
        ].drop_duplicates(["kpi_id", "org_unit_id"])
        in_suite = lookups.suites.loc[
            lookups.suites["fy_start"] == FinancialYear.containing(month).start_year, "kpi_id"
        ]
        units = lookups.units
        active = units.loc[
            (units["active_from"] <= month) & (units["active_to"].isna() | (units["active_to"] >= month)),
            "org_unit_id",
        ]
        keep = window["kpi_id"].isin(in_suite) & window["org_unit_id"].isin(active)
        found.append(window[keep].assign(month=pd.Timestamp(month)))
    result = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    return result[columns].reset_index(drop=True)


def latest_revisions(months: Iterable[date]) -> pd.DataFrame:
    """The highest revision of every submitted (kpi, unit, month) in ``months``, any status (one query)."""
    rows = (
        Measurement.objects.filter(month__in=sorted(set(months)), is_rollup=False)
        .values("kpi_id", "org_unit_id", "month")
        .annotate(latest=Max("revision"))
        .values_list("kpi_id", "org_unit_id", "month", "latest")
    )
    frame = pd.DataFrame(list(rows), columns=[*KEY, "latest"])
    frame["month"] = pd.to_datetime(frame["month"])
    return frame
