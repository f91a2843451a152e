"""Ingest of the large trust on PostgreSQL: one month (~16k team rows) and a 60-month back-fill,
each through the real submission service (read, validate, preview, confirm as drafts), against a raw
psycopg 3 ``COPY`` of the same rows into the same table in the same run. Everything is rolled back,
and the table vacuumed before each timing."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from functools import partial

import pandas as pd
from django.db import connection, transaction
from django.test import override_settings

from bench.large_trust import LargeTrust
from bench.loading import load_large_trust_structure
from divisions.models import OrgUnit
from kpis.models import Kpi, KpiSuite, Measurement
from kpis.services.catalogue import save_suite
from kpis.services.submission import confirm_upload, receive_upload, validate_upload
from pmf.periods import FinancialYear

from . import Measure


class _Rollback(Exception):
    pass


def _rolled_back(work: Callable[[], object]) -> float:
    """Time ``work`` inside a transaction that is then undone, so each run starts equal."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            work()
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        return elapsed


def _vacuumed() -> None:
    """Clear the measurement table of the rows earlier rolled-back runs left behind (dead rows stay
    in the table and its indexes until a vacuum, which may be switched off), so that the service
    and the raw ``COPY`` each start from the same clean table."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Measurement._meta.db_table)}")


def _prepare(trust: LargeTrust) -> None:
    if not OrgUnit.objects.filter(code="LT").exists():
        with transaction.atomic():
            load_large_trust_structure(trust)
    kpis = list(Kpi.objects.filter(code__startswith="lt-kpi-"))
    months = pd.to_datetime(trust.measurements["month"])
    first, last = FinancialYear.containing(months.min().date()), FinancialYear.containing(months.max().date())
    for year in range(first.start_year, last.start_year + 1):
        label = FinancialYear(year).label
        if not KpiSuite.objects.filter(financial_year=label, entries__kpi__code="lt-kpi-001").exists():
            save_suite(actor=None, financial_year=label, kpis=kpis)


def _submit(content: bytes) -> None:
    upload = receive_upload(actor=None, content=content, name="bench.csv").upload
    upload = validate_upload(upload_id=upload.pk)
    assert upload.status == "valid", upload.errors[:3]
    confirm_upload(actor=None, upload=upload)


def measurement_frame(rows: pd.DataFrame, **columns: object) -> pd.DataFrame:
    """Generated rows (KPI and unit codes) as measurement rows (database ids), with ``columns`` added."""
    ids = dict(Kpi.objects.values_list("code", "id"))
    units = dict(OrgUnit.objects.values_list("code", "id"))
    return pd.DataFrame(
        {
            "kpi_id": rows["kpi_code"].map(ids),
            "org_unit_id": rows["org_code"].map(units),
            "month": pd.to_datetime(rows["month"]).dt.date,
            "numerator": rows["numerator"],
            "denominator": rows["denominator"],
            "value": rows["value"],
            **columns,
        }
    )


def _copy(rows: pd.DataFrame) -> Callable[[], object]:
    """A raw COPY of the same rows, the buffer built before the clock starts."""
    frame = measurement_frame(
        rows,
        status="draft",
        is_rollup=False,
        revision=1,
        is_synthetic=False,
        created_at="2025-01-01T00:00:00+00:00",
    )
    data = frame.to_csv(index=False, header=False)
    table = Measurement._meta.db_table
    columns = ", ".join(frame.columns)

    def copy() -> None:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"  # noqa: S608 — fixed names
            ) as stream,
        ):
            stream.write(data)

    return copy


def run(trust: LargeTrust) -> list[Measure]:
    if connection.vendor != "postgresql":
        print("[ingest] skipped: needs PostgreSQL (set DATABASE_URL=postgresql://…)")
        return []
    _prepare(trust)
    rows = trust.measurements
    latest = rows[rows["month"] == rows["month"].max()]
    measures = []
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, PMF_UPLOAD_MAX_BYTES=500 * 1024 * 1024),
    ):
        for label, part, goal in (
            ("one month", latest, "under 2 s"),
            (f"{rows['month'].nunique()}-month back-fill", rows, "within 2× of COPY"),
        ):
            content = part.to_csv(index=False, float_format="%.6g").encode()
            _vacuumed()
            service = _rolled_back(partial(_submit, content))
            copy = _copy(part)
            _vacuumed()
            baseline = _rolled_back(copy)
            measures.append(
                Measure(
                    part="ingest",
                    what=f"{label}: {len(part):,} rows read, validated, previewed and loaded as drafts",
                    seconds=service,
                    baseline="raw psycopg 3 COPY of the same rows into the same table",
                    baseline_seconds=baseline,
                    goal=goal,
                )
            )
    return measures
