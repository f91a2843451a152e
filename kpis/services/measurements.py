"""Publishing measurements: new rows, restatements as new revisions, then the roll-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from pmf.services.audit import Actor, record_audit

from ..models import Measurement, Upload
from ..signals import data_published, stored_data_changed
from .binary_copy import Field, encode_rows
from .rollup import RollupResult, refresh_rollups

KEY = ["kpi_id", "org_unit_id", "month"]
VALUE_COLUMNS = ["numerator", "denominator", "value"]


@dataclass(frozen=True)
class PublishResult:
    added: int
    restated: int
    unchanged: int
    rollup: RollupResult


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_missing = a.isna() & b.isna()
    close = np.isclose(a.astype(float), b.astype(float), rtol=0, atol=1e-9, equal_nan=False)
    return np.asarray(both_missing | close)


ROLLUP_COLUMNS = ["children_contributing", "children_expected"]
FLAG_COLUMNS = ["is_synthetic"]


def current_values(*, months: list, is_rollup: bool) -> pd.DataFrame:
    """The published, current measurements for ``months`` as a frame (one query)."""
    columns = ["id", *KEY, *VALUE_COLUMNS, "revision", *FLAG_COLUMNS, *(ROLLUP_COLUMNS if is_rollup else [])]
    rows = Measurement.objects.filter(
        month__in=months, status=Measurement.Status.PUBLISHED, is_rollup=is_rollup
    ).values_list(*columns)
    return pd.DataFrame(list(rows), columns=columns)


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


def announce_publish(
    *,
    kpi_ids: list[int] | None,
    months: list[date],
    reason: str,
    upload: Upload | None = None,
    actor: Actor = None,
) -> None:
    """Say, inside the publishing transaction, that these KPIs' published values changed from the earliest
    of ``months`` (by ``upload``, published by ``actor``). Every publish path (an upload, an import, the demo
    loader) calls this; the follow-on work is the publish pipeline's, which records it as owed in the same
    transaction, with the upload's warnings as data-quality issues (``kpis.signals``)."""
    data_published.send(
        sender=Measurement,
        kpi_ids=kpi_ids,
        first_month=min(months) if months else None,
        reason=reason,
        upload=upload,
        actor=actor,
    )


@transaction.atomic
def publish_frame(*, actor: Actor, upload: Upload, frame: pd.DataFrame) -> PublishResult:
    """Publish submitted rows (KEY + VALUE_COLUMNS + ``is_synthetic``) from ``upload``.

    A row identical to the current published one is left alone, so publishing the
    same data twice changes nothing; a different value becomes a new revision and the
    old one is kept as superseded.
    """
    frame = frame.copy()
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    months = sorted(frame["month"].unique())
    existing = current_values(months=months, is_rollup=False)
    added, restated, unchanged = apply_changes(
        incoming=frame, existing=existing, upload=upload, is_rollup=False, extra=["is_synthetic"]
    )
    rollup = refresh_rollups(months=months)
    if added or restated or rollup.changed:  # the same figures published again change nothing downstream
        stored_data_changed.send(sender=Measurement)
        announce_publish(
            kpi_ids=sorted(int(k) for k in frame["kpi_id"].unique()),
            months=months,
            reason=f"upload {upload.pk} published",
            upload=upload,
            actor=actor,
        )
    if added or restated:
        record_audit(
            actor=actor,
            verb="published",
            object_type=Upload._meta.label,
            object_id=upload.pk,
            after={"added": added, "restated": restated, "unchanged": unchanged, "rollup": rollup.as_dict()},
        )
    return PublishResult(added=added, restated=restated, unchanged=unchanged, rollup=rollup)
