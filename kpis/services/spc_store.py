"""Writing charted series to ``SpcSeries`` and ``SpcPoint``: binary ``COPY`` on PostgreSQL, ``bulk_create``
elsewhere. The caller has removed the rows these series replace, in the same transaction.

On PostgreSQL the series' ids are taken from their sequence first, so the points can name their series in
the same stream, and both tables are written by one ``COPY`` each: no model instance per row and no number
formatted as text. Columns whose text differs from row to row (a point's rule and type, a series' icons) are
written by grouping the rows that share them: each group is a block of ``binary_copy`` rows with its text
given once, and the blocks follow one another in one stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from ..models import SpcPoint, SpcSeries
from .binary_copy import HEADER, TRAILER, Field, encode_rows

SERIES_NUMBERS = ("target", "mean", "lpl", "upl")
SERIES_TEXT = ("rule_set", "direction", "variation_icon", "assurance")
POINT_NUMBERS = ("value", "mean", "lpl", "upl", "near_lpl", "near_upl")
POINT_TEXT = ("rule", "point_type")


DELETE_BATCH = 5000


def remove_charts(series_ids: list[int]) -> None:
    """Remove these charts and their points: on PostgreSQL one statement per table, whatever their number
    (the ids as one array); elsewhere in batches the database takes as parameters."""
    if not series_ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table, column in ((SpcPoint._meta.db_table, "series_id"), (SpcSeries._meta.db_table, "id")):
                cursor.execute(
                    f"DELETE FROM {connection.ops.quote_name(table)} WHERE {column} = ANY(%s)",  # noqa: S608  # nosec B608
                    [series_ids],
                )
        return
    for start in range(0, len(series_ids), DELETE_BATCH):
        batch = series_ids[start : start + DELETE_BATCH]
        SpcPoint.objects.filter(series_id__in=batch).delete()
        SpcSeries.objects.filter(pk__in=batch).delete()


def store_charts(series: pd.DataFrame, points: pd.DataFrame) -> None:
    """Write ``series`` (one row per chart: ``kpi_id``, ``unit_id``, ``first_month``, ``latest_month``, ``n``,
    ``inputs``, SERIES_NUMBERS and SERIES_TEXT) and ``points`` (one row per month: ``kpi_id``, ``unit_id``,
    ``month``, ``segment``, POINT_NUMBERS and POINT_TEXT). Missing numbers are NaN and missing text empty."""
    if series.empty:
        return
    if connection.vendor == "postgresql":
        ids = _next_ids(len(series))
        _copy_series(series, ids)
        _copy_points(points, _series_ids(points, series, ids))
    else:
        ids = _bulk_create_series(series)
        _bulk_create_points(points, _series_ids(points, series, ids))


def _series_ids(points: pd.DataFrame, series: pd.DataFrame, ids: list[int]) -> np.ndarray:
    """Each point's series id, from the series' KPI and unit."""
    by_key = pd.Series(ids, index=pd.MultiIndex.from_frame(series[["kpi_id", "unit_id"]]))
    return by_key.reindex(pd.MultiIndex.from_frame(points[["kpi_id", "unit_id"]])).to_numpy(dtype=np.int64)


def _copy_points(points: pd.DataFrame, series_ids: np.ndarray) -> None:
    _copy(
        SpcPoint,
        {
            "series_id": Field("int8", series_ids),
            "month": Field("date", _days(points["month"])),
            "segment": Field("int2", points["segment"].to_numpy(dtype=np.int64)),
            **_numbers(points, POINT_NUMBERS),
        },
        {name: points[name] for name in POINT_TEXT},
        rows=len(points),
    )


def _days(months: pd.Series) -> np.ndarray:
    return pd.to_datetime(months).to_numpy(dtype="datetime64[D]")


def _numbers(frame: pd.DataFrame, names: tuple[str, ...]) -> dict[str, Field]:
    fields = {}
    for name in names:
        values = frame[name].to_numpy(dtype="float64", na_value=np.nan)
        fields[name] = Field("float8", values, missing=np.isnan(values))
    return fields


def _next_ids(count: int) -> list[int]:
    """``count`` new ids from the series table's own sequence, so rows written by ``COPY`` can carry them."""
    table = SpcSeries._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_series(series: pd.DataFrame, ids: list[int]) -> None:
    _copy(
        SpcSeries,
        {
            "id": Field("int8", np.asarray(ids, dtype=np.int64)),
            "kpi_id": Field("int8", series["kpi_id"].to_numpy(dtype=np.int64)),
            "org_unit_id": Field("int8", series["unit_id"].to_numpy(dtype=np.int64)),
            "first_month": Field("date", _days(series["first_month"])),
            "latest_month": Field("date", _days(series["latest_month"])),
            "n_points": Field("int4", series["n"].to_numpy(dtype=np.int64)),
            "computed_at": Field("timestamptz", timezone.now()),
            # Every digest is 64 hexadecimal digits: one fixed-width column, not a group of rows per digest.
            "inputs": Field("text", series["inputs"].to_numpy(dtype="S64")),
            **_numbers(series, SERIES_NUMBERS),
        },
        {name: series[name] for name in SERIES_TEXT},
        rows=len(series),
    )


def _copy(
    model: type[SpcSeries] | type[SpcPoint],
    fields: Mapping[str, Field],
    text: Mapping[str, pd.Series],
    *,
    rows: int,
) -> None:
    """One binary ``COPY`` of ``rows`` rows into ``model``'s table: ``fields`` per row, and each ``text``
    column by groups of rows that share its values (binary_copy writes text given once for a block)."""
    groups = (
        pd.DataFrame({name: column.to_numpy() for name, column in text.items()})
        .groupby(list(text), sort=False)
        .indices
    )
    blocks = []
    for values, members in groups.items():
        chosen = np.asarray(members)
        shared = [Field("text", value) for value in (values if isinstance(values, tuple) else (values,))]
        rows_of_group = [*(_subset(field, chosen) for field in fields.values()), *shared]
        blocks.append(encode_rows(rows_of_group, rows=len(chosen))[len(HEADER) : -len(TRAILER)])
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in [*fields, *text])
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)"  # noqa: S608 — names from the model
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for block in (HEADER, *blocks, TRAILER):
            copy.write(block)


def _subset(field: Field, chosen: np.ndarray) -> Field:
    if not isinstance(field.values, np.ndarray):
        return field
    missing = None if field.missing is None else field.missing[chosen]
    return Field(field.pg_type, field.values[chosen], missing=missing)


def _bulk_create_series(series: pd.DataFrame) -> list[int]:
    created = SpcSeries.objects.bulk_create(
        [
            SpcSeries(
                kpi_id=row["kpi_id"],
                org_unit_id=row["unit_id"],
                first_month=_date(row["first_month"]),
                latest_month=_date(row["latest_month"]),
                n_points=int(row["n"]),
                **{name: _float(row[name]) for name in SERIES_NUMBERS},
                **{name: row[name] for name in SERIES_TEXT},
                inputs=row["inputs"],
            )
            for row in series.to_dict("records")
        ],
        batch_size=2000,
    )
    if all(s.pk is not None for s in created):
        return [s.pk for s in created]
    # A backend that does not return ids from a bulk insert: look them up by KPI and unit.
    found = {
        (k, u): pk
        for k, u, pk in SpcSeries.objects.filter(kpi_id__in=series["kpi_id"].unique().tolist()).values_list(
            "kpi_id", "org_unit_id", "pk"
        )
    }
    return [found[(k, u)] for k, u in zip(series["kpi_id"], series["unit_id"], strict=True)]


def _bulk_create_points(points: pd.DataFrame, series_ids: np.ndarray) -> None:
    columns = ["month", "segment", *POINT_NUMBERS, *POINT_TEXT]
    SpcPoint.objects.bulk_create(
        [
            SpcPoint(
                series_id=int(series_id),
                month=_date(month),
                segment=int(segment),
                **{name: _float(v) for name, v in zip(POINT_NUMBERS, numbers, strict=True)},
                rule=rule,
                point_type=point_type,
            )
            for series_id, (month, segment, *numbers, rule, point_type) in zip(
                series_ids, points[columns].itertuples(index=False, name=None), strict=True
            )
        ],
        batch_size=5000,
    )


def _date(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def _float(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number
