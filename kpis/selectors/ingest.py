"""Reads for a data submission: what the rows are checked against, as DataFrames.

Each function is a fixed number of queries whatever the size of the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd
from django.db.models import Case, DateField, F, Max, Value, When

from divisions.models import OrgUnit
from pmf.periods import FinancialYear, add_months

from ..ingest.template import (
    KPI_PAIR_COLUMNS,
    REPORTED_LEVEL_COLUMNS,
    UNIT_PAIR_COLUMNS,
    catalogue_pairs,
    next_unpublished_month,
)
from ..ingest.validate import KPI_COLUMNS, SUITE_COLUMNS, UNIT_COLUMNS, Lookups
from ..models import Kpi, KpiSuiteEntry, Measurement, SpcSeries
from .published import KEY, current_values

# A unit is expected to report a KPI if it reported it in any of this many months before.
EXPECTED_LOOKBACK_MONTHS = 12


def ingest_lookups(*, today: date) -> Lookups:
    """The catalogue, the organisation and the suites (three queries)."""
    kpis = pd.DataFrame(
        [
            (k.code, k.pk, k.unit, k.aggregation, k.scale, k.plausible_min, k.plausible_max)
            for k in Kpi.objects.only("code", "unit", "aggregation", "plausible_min", "plausible_max")
        ],
        columns=KPI_COLUMNS,
    ).astype({"plausible_min": "float64", "plausible_max": "float64"})
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


def expected_rows(months: Iterable[date], *, lookups: Lookups | None = None) -> pd.DataFrame:
    """The rows a submission for ``months`` should have, with their codes, by month, KPI and unit.

    A unit is expected to submit a KPI for a month when it submitted it in any of the
    twelve months before, the KPI is in that month's suite and the unit is still active.
    ``lookups`` are the catalogue and units the file was checked against (read here when not given).

    1. One aggregate query (``_reports_before``): each KPI × unit's latest report in the twelve months
       before the first month, and its reports in the months the file spans, so the rows read do not
       grow with the history behind the file.
    2. The months each report makes expected (``_months_after_reports``), kept where the KPI is in the
       month's suite and the unit is active, named from the catalogue.

    One query with ``lookups``, four without; no step per month.
    """
    months = sorted(set(months))
    columns = [*KEY, "kpi_code", "org_code"]
    if not months:
        return pd.DataFrame(columns=columns)
    lookups = lookups or ingest_lookups(today=date.today())
    history = _reports_before(months)
    history["kpi_code"] = history["kpi_id"].map(lookups.kpis.set_index("kpi_id")["kpi_code"])
    history["org_code"] = history["org_unit_id"].map(lookups.units.set_index("org_unit_id")["org_code"])
    wanted = pd.to_datetime(pd.Series(months)).astype("datetime64[ns]")
    expected = _months_after_reports(history, _month_numbers(wanted))
    expected["month"] = wanted.to_numpy()[expected.pop("position").to_numpy()]
    fy_start = expected["month"].dt.year - (expected["month"].dt.month < 4).astype(int)
    in_suite = pd.MultiIndex.from_arrays([fy_start, expected["kpi_id"]]).isin(
        pd.MultiIndex.from_frame(lookups.suites[SUITE_COLUMNS])
    )
    units = lookups.units.set_index("org_unit_id")
    active_from = expected["org_unit_id"].map(pd.to_datetime(units["active_from"]))
    active_to = expected["org_unit_id"].map(pd.to_datetime(units["active_to"]))
    active = (active_from <= expected["month"]) & (active_to.isna() | (active_to >= expected["month"]))
    kept = expected[in_suite & active.to_numpy()].sort_values(["month", "kpi_id", "org_unit_id"])
    return kept[columns].reset_index(drop=True)


def _reports_before(months: list[date]) -> pd.DataFrame:
    """kpi_id, org_unit_id, reported: the published submitted reports that can make a row of ``months``
    expected (one query).

    Of the twelve months before the first of ``months``, only each KPI × unit's latest report matters (any
    later month within twelve of an earlier report is within twelve of the latest), so the database groups
    them to that one row; reports in the months the file spans, up to its last month, are kept one a month.
    A month's file thus reads one row per KPI × unit whatever the length of the history.
    """
    first, last = months[0], months[-1]
    in_span = Case(When(month__gte=first, then=F("month")), default=Value(None), output_field=DateField())
    reports = (
        Measurement.objects.filter(
            is_rollup=False,
            status=Measurement.Status.PUBLISHED,
            month__gte=add_months(first, -EXPECTED_LOOKBACK_MONTHS),
            month__lt=last,
        )
        .order_by()
        .values("kpi_id", "org_unit_id", span=in_span)
        .annotate(reported=Max("month"))
        .values_list("kpi_id", "org_unit_id", "reported")
    )
    return pd.DataFrame(list(reports), columns=["kpi_id", "org_unit_id", "reported"])


def template_rows(month: date) -> pd.DataFrame:
    """The rows of ``month``'s template: what was reported lately (``expected_rows``) and every KPI × unit the
    catalogue expects (``kpis.ingest.template.catalogue_pairs``), so a new trust's first template is full.

    The KPIs are those in the month's financial-year suite (every active KPI while the year has no suite yet:
    the check will say the suite must be agreed first), active that month. A KPI whose catalogue entry names
    its reporting level is listed for the units at that level only. Six queries.
    """
    fy = FinancialYear.containing(month)
    suite = KpiSuiteEntry.objects.filter(suite__financial_year=fy.label).values_list("kpi_id", flat=True)
    in_force = Kpi.objects.filter(active_from__lte=month).exclude(active_to__lt=month)
    if suite.exists():
        in_force = in_force.filter(pk__in=suite)
    kpis = pd.DataFrame(
        in_force.values_list("pk", "code", "aggregation", "reporting_level"), columns=KPI_PAIR_COLUMNS
    )
    units = pd.DataFrame(
        OrgUnit.objects.values_list("pk", "code", "level", "parent_id", "active_from", "active_to"),
        columns=UNIT_PAIR_COLUMNS,
    )
    reported = pd.DataFrame(
        Measurement.objects.filter(
            is_rollup=False,
            status=Measurement.Status.PUBLISHED,
            month__gte=add_months(month, -EXPECTED_LOOKBACK_MONTHS),
            month__lt=month,
        )
        .values_list("kpi_id", "org_unit__level")
        .distinct(),
        columns=REPORTED_LEVEL_COLUMNS,
    )
    catalogue = catalogue_pairs(kpis=kpis, units=units, reported_levels=reported, month=month)
    lately = expected_rows([month])
    # A KPI with a reporting level is listed at that level alone, even where other levels reported it lately.
    level_of = units.set_index("org_unit_id")["level"]
    named = kpis[kpis["reporting_level"] != ""].set_index("kpi_id")["reporting_level"]
    elsewhere = lately["kpi_id"].map(named).notna() & (
        lately["kpi_id"].map(named) != lately["org_unit_id"].map(level_of)
    )
    return pd.concat([lately[~elsewhere], catalogue.assign(month=pd.Timestamp(month))]).drop_duplicates(
        ["kpi_id", "org_unit_id"]
    )


def template_month(*, today: date) -> date:
    """The month a template is for unless another is asked for: the next unpublished one (one query)."""
    latest = Measurement.objects.filter(
        is_rollup=False, status=Measurement.Status.PUBLISHED, month__lt=today
    ).aggregate(latest=Max("month"))["latest"]
    return next_unpublished_month(latest_published=latest, today=today)


def _month_numbers(months: pd.Series) -> np.ndarray:
    """Months as consecutive integers (January 2000 is 24000), so that "twelve months on" is + 12."""
    return (months.dt.year * 12 + months.dt.month - 1).to_numpy()


def _months_after_reports(history: pd.DataFrame, wanted: np.ndarray) -> pd.DataFrame:
    """Each KPI and unit of ``history`` with the ``position`` in ``wanted`` (sorted month numbers)
    of every month that falls in the twelve months after one of its reports.

    A series' reports close enough together that their twelve-month windows meet are one
    run, expecting the months from just after its first report to twelve after its last;
    runs of one series never overlap, so each month comes from one run only.
    """
    series = ["kpi_id", "org_unit_id"]
    reports = history.assign(number=_month_numbers(pd.to_datetime(history["reported"])))
    reports = reports.sort_values([*series, "number"]).reset_index(drop=True)
    same_series = (reports[series] == reports[series].shift()).all(axis=1)
    gap = reports["number"].diff() > EXPECTED_LOOKBACK_MONTHS
    runs = (
        reports.assign(run=(~same_series | gap).cumsum())
        .groupby(["run", *series, "kpi_code", "org_code"])
        .agg(first=("number", "min"), last=("number", "max"))
        .reset_index()
    )
    low = np.searchsorted(wanted, runs["first"].to_numpy() + 1, side="left")
    high = np.searchsorted(wanted, runs["last"].to_numpy() + EXPECTED_LOOKBACK_MONTHS, side="right")
    counts = np.maximum(high - low, 0)
    which = np.repeat(np.arange(len(runs)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return (
        runs.iloc[which][[*series, "kpi_code", "org_code"]]
        .assign(position=np.repeat(low, counts) + offsets)
        .reset_index(drop=True)
    )


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
