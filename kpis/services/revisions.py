"""Writing measurement revisions: compare incoming rows with the current ones, supersede what
changed, insert the new revisions in bulk.

Publishing an upload (``measurements``, ``submission``) and refreshing the roll-up (``rollup``)
both write revisions this way, so it sits below them both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from ..models import Measurement, Upload
from ..selectors.published import KEY, VALUE_COLUMNS
from .binary_copy import Field, encode_rows


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_missing = a.isna() & b.isna()
    close = np.isclose(a.astype(float), b.astype(float), rtol=0, atol=1e-9, equal_nan=False)
    return np.asarray(both_missing | close)


def compare_with_current(incoming: pd.DataFrame, existing: pd.DataFrame, *, extra: list[str]) -> pd.DataFrame:
    """``incoming`` joined to the current rows on KEY, with ``is_new`` and ``is_changed`` flags.

    A row is changed when any value column (or ``extra`` column the current rows have)
    differs; the current row's columns carry the suffix ``_old``.
    """
    merged = incoming.merge(existing, on=KEY, how="left", suffixes=("", "_old"))
    is_new = merged["id"].isna()
    unchanged = ~is_new
    compared = VALUE_COLUMNS + [c for c in extra if c in existing.columns]
    for column in compared:
        unchanged &= _same(merged[column], merged[f"{column}_old"])
    return merged.assign(is_new=is_new, is_changed=~is_new & ~unchanged)


def apply_changes(
    *,
    incoming: pd.DataFrame,
    existing: pd.DataFrame,
    upload: Upload | None,
    is_rollup: bool,
    extra: list[str],
) -> tuple[int, int, int]:
    """Insert what is new, supersede and re-issue what changed, leave the rest alone.

    ``incoming`` has KEY, VALUE_COLUMNS and the ``extra`` columns; returns
    (added, restated, unchanged).
    """
    merged = compare_with_current(incoming, existing, extra=extra)
    is_new, changed = merged["is_new"], merged["is_changed"]
    Measurement.objects.filter(pk__in=merged.loc[changed, "id"].astype(int).tolist()).update(
        status=Measurement.Status.SUPERSEDED
    )
    to_write = merged[is_new | changed].copy()
    to_write["revision"] = _after_earlier_revisions(to_write, is_rollup=is_rollup) + 1
    insert_measurements(
        to_write[[*KEY, *VALUE_COLUMNS, "revision", *extra]],
        upload_id=upload.pk if upload else None,
        status=Measurement.Status.PUBLISHED,
        is_rollup=is_rollup,
    )
    return int(is_new.sum()), int(changed.sum()), int((~is_new & ~changed).sum())


def _after_earlier_revisions(rows: pd.DataFrame, *, is_rollup: bool) -> pd.Series:
    """The revision each row follows: its current row's, or for a key with no current row the
    highest withdrawn one (a roll-up value withdrawn and later computed again), else 0."""
    current = rows["revision"]
    months = sorted(rows.loc[current.isna(), "month"].unique())
    if not months:
        return current.astype(int)
    withdrawn = pd.DataFrame(
        list(
            Measurement.objects.filter(
                month__in=months, is_rollup=is_rollup, status=Measurement.Status.SUPERSEDED
            )
            .values("kpi_id", "org_unit_id", "month")
            .annotate(highest=Max("revision"))
            .values_list("kpi_id", "org_unit_id", "month", "highest")
        ),
        columns=[*KEY, "highest"],
    )
    highest = rows[KEY].merge(withdrawn, on=KEY, how="left")["highest"].to_numpy(dtype=float)
    return current.astype(float).fillna(pd.Series(highest, index=rows.index)).fillna(0).astype(int)


INSERTED_COLUMNS = [
    *KEY,
    *VALUE_COLUMNS,
    "revision",
    "is_synthetic",
    "children_contributing",
    "children_expected",
]


def insert_measurements(rows: pd.DataFrame, *, upload_id: int | None, status: str, is_rollup: bool) -> int:
    """Insert measurement rows in bulk: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

    ``rows`` has KEY, VALUE_COLUMNS and ``revision``, and may have ``is_synthetic`` and
    the roll-up's children counts. Returns the number of rows written.
    """
    frame = rows.reindex(columns=INSERTED_COLUMNS)
    frame["is_synthetic"] = frame["is_synthetic"].astype("boolean").fillna(False).astype(bool)
    frame["month"] = pd.to_datetime(frame["month"])
    for column in ("children_contributing", "children_expected"):
        frame[column] = frame[column].astype("Int64")
    if frame.empty:
        return 0
    if connection.vendor == "postgresql":
        _copy_measurements(frame, upload_id=upload_id, status=status, is_rollup=is_rollup)
    else:
        frame["month"] = frame["month"].dt.date
        Measurement.objects.bulk_create(
            [
                Measurement(
                    **{c: _none_if_missing(v) for c, v in row.items()},
                    upload_id=upload_id,
                    status=status,
                    is_rollup=is_rollup,
                )
                for row in frame.to_dict("records")
            ],
            batch_size=2000,
        )
    return len(frame)


def _copy_measurements(frame: pd.DataFrame, *, upload_id: int | None, status: str, is_rollup: bool) -> None:
    """psycopg 3's ``COPY … FROM STDIN`` in PostgreSQL's binary format, the stream built in bulk
    (``binary_copy``): no value is formatted as text, and the columns that are the same on
    every row (upload, status, kind, time) are given once."""
    fields = [
        Field("int8", frame["kpi_id"].to_numpy(dtype="int64")),
        Field("int8", frame["org_unit_id"].to_numpy(dtype="int64")),
        Field("date", frame["month"].to_numpy(dtype="datetime64[ns]")),
        *(_float_field(frame[column]) for column in VALUE_COLUMNS),
        Field("int4", frame["revision"].to_numpy(dtype="int64")),
        Field("bool", frame["is_synthetic"].to_numpy(dtype="bool")),
        *(_integer_field(frame[column]) for column in ("children_contributing", "children_expected")),
        Field("int8", upload_id),
        Field("text", status),
        Field("bool", is_rollup),
        Field("timestamptz", timezone.now()),
    ]
    names = [*INSERTED_COLUMNS, "upload_id", "status", "is_rollup", "created_at"]
    table = connection.ops.quote_name(Measurement._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    data = encode_rows(fields, rows=len(frame))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)"  # noqa: S608 — names come from the model
        ) as copy,
    ):
        copy.write(data)


def _float_field(column: pd.Series) -> Field:
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    return Field("float8", values, missing=np.isnan(values))


def _integer_field(column: pd.Series) -> Field:
    missing = column.isna().to_numpy()
    return Field("int4", column.fillna(0).to_numpy(dtype="int64"), missing=missing if missing.any() else None)


def _none_if_missing(value: object) -> object:
    return (
        None if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value
    )
