"""Publishing measurements: new rows, restatements as new revisions, then the roll-up."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction

from pmf.services.audit import Actor, record_audit
from reviews.tasks import compute_ratings_task

from ..models import Measurement, Upload
from ..tasks import refresh_spc_task
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
    merged = incoming.merge(existing, on=KEY, how="left", suffixes=("", "_old"))
    is_new = merged["id"].isna()
    unchanged = ~is_new
    compared = VALUE_COLUMNS + [c for c in extra if c in existing.columns]
    for column in compared:
        unchanged &= _same(merged[column], merged[f"{column}_old"])
    changed = ~is_new & ~unchanged

    Measurement.objects.filter(pk__in=merged.loc[changed, "id"].astype(int).tolist()).update(
        status=Measurement.Status.SUPERSEDED
    )
    to_write = merged[is_new | changed].copy()
    to_write["revision"] = to_write["revision"].fillna(0).astype(int) + 1
    Measurement.objects.bulk_create(
        [
            Measurement(
                kpi_id=int(row["kpi_id"]),
                org_unit_id=int(row["org_unit_id"]),
                month=row["month"],
                numerator=_float_or_none(row["numerator"]),
                denominator=_float_or_none(row["denominator"]),
                value=float(row["value"]),
                upload=upload,
                status=Measurement.Status.PUBLISHED,
                is_rollup=is_rollup,
                revision=int(row["revision"]),
                **{column: row[column] for column in extra},
            )
            for row in to_write.to_dict("records")
        ],
        batch_size=2000,
    )
    return int(is_new.sum()), int(changed.sum()), int(unchanged.sum())


def _float_or_none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type, call-overload]


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
    kpi_ids = sorted(int(k) for k in frame["kpi_id"].unique())
    transaction.on_commit(lambda: refresh_spc_task.delay(kpi_ids))
    transaction.on_commit(lambda: compute_ratings_task.delay(months[0].isoformat()))
    if added or restated:
        record_audit(
            actor=actor,
            verb="published",
            object_type=Upload._meta.label,
            object_id=upload.pk,
            after={"added": added, "restated": restated, "unchanged": unchanged, "rollup": rollup.as_dict()},
        )
    return PublishResult(added=added, restated=restated, unchanged=unchanged, rollup=rollup)
