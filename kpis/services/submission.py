"""A monthly data submission: receive → validate → preview → confirm (drafts) → publish.

Every step is all-or-nothing and audited:

1. ``receive_upload`` keeps the raw file; the same bytes twice (same sha256) is a no-op.
2. ``validate_upload`` (the Celery task's body) reads and checks the file, recording
   every error and warning and a preview of what would change. It writes no
   measurements, so a worker killed part-way leaves nothing to undo and the task can
   simply run again.
3. ``confirm_upload`` writes the rows as draft measurements in one transaction,
   after checking the file again under the month lock.
4. ``publish_upload`` makes the drafts the published values (restated values keep
   their old revision as superseded), refreshes the roll-up and queues the downstream
   work (``measurements.queue_after_publish``) once the transaction commits.

Confirm and publish hold ``MonthLock`` rows for the months the file covers, so two
submissions for the same month never interleave.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from pmf.models import User
from pmf.services.audit import Actor, record_audit

from ..ingest.problems import ERROR, as_records, combine
from ..ingest.reader import read_upload
from ..ingest.validate import review_warnings, validate_rows
from ..models import Measurement, MonthLock, Upload
from ..selectors_ingest import (
    expected_rows,
    ingest_lookups,
    latest_limits,
    latest_revisions,
    previous_month_values,
    published_values,
)
from .measurements import KEY, VALUE_COLUMNS, compare_with_current, insert_measurements, queue_after_publish
from .rollup import RollupResult, refresh_rollups

UPLOAD = Upload._meta.label
# How many restatements the preview lists (all are counted).
PREVIEW_RESTATEMENTS = 200
SUPERSEDE_BATCH = 5000


class SubmissionError(Exception):
    """A step that cannot be taken now, with the reason to show the user."""


@dataclass(frozen=True)
class Received:
    upload: Upload
    created: bool
    message: str


@dataclass(frozen=True)
class Checked:
    """A file read and checked: the rows that passed, every problem, and the months covered."""

    rows: pd.DataFrame
    problems: pd.DataFrame
    months: list[date]
    row_count: int

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] != ERROR]


@dataclass(frozen=True)
class ConfirmResult:
    new: int
    restated: int
    unchanged: int
    superseded_uploads: list[int]


@dataclass(frozen=True)
class PublishUploadResult:
    published: int
    restated: int
    rollup: RollupResult


@transaction.atomic
def receive_upload(*, actor: Actor, content: bytes, name: str) -> Received:
    """Keep the raw file as a new upload, or point at the upload that already has these bytes."""
    sha = hashlib.sha256(content).hexdigest()
    existing = Upload.objects.filter(sha256=sha).first()
    if existing is not None:
        record_audit(
            actor=actor, verb="upload repeated", object_type=UPLOAD, object_id=existing.pk, note=name
        )
        when = timezone.localtime(existing.uploaded_at)
        return Received(
            upload=existing,
            created=False,
            message=f"This file was already uploaded on {when:%d %b %Y at %H:%M} "
            f"({existing.get_status_display().lower()}); nothing has changed.",
        )
    upload = Upload(
        original_name=name[:255], uploaded_by=actor if isinstance(actor, User) else None, sha256=sha
    )
    upload.file.save(f"submission-{sha[:12]}.bin", ContentFile(content), save=False)
    upload.save()
    record_audit(
        actor=actor,
        verb="received",
        object_type=UPLOAD,
        object_id=upload.pk,
        after={"name": name, "bytes": len(content), "sha256": sha},
    )
    return Received(upload=upload, created=True, message="File received; checking it now.")


def submit_upload(*, actor: Actor, content: bytes, name: str) -> Received:
    """Receive a file and queue its validation once the upload is committed."""
    from ..tasks import validate_upload_task

    with transaction.atomic():
        received = receive_upload(actor=actor, content=content, name=name)
        if received.created:
            upload_id = received.upload.pk
            transaction.on_commit(lambda: validate_upload_task.delay(upload_id))
    return received


def check_file(content: bytes, *, progress: Callable[[int], None] | None = None) -> Checked:
    """Read and check a file against the database as it is now; writes nothing."""
    report = progress or (lambda percent: None)
    read = read_upload(content, max_bytes=settings.PMF_UPLOAD_MAX_BYTES)
    report(25)
    if read.rows is None:
        return Checked(rows=_empty_rows(), problems=read.problems, months=[], row_count=0)
    lookups = ingest_lookups(today=timezone.localdate())
    validated = validate_rows(read.rows, lookups)
    report(60)
    rows = validated.rows
    months = sorted({m.date() for m in rows["month"]})
    expected = expected_rows(months)
    warnings = review_warnings(
        rows,
        previous=previous_month_values(months),
        limits=latest_limits(rows["kpi_id"].unique().tolist()),
        expected=expected,
    )
    report(80)
    return Checked(
        rows=rows,
        problems=combine([read.problems, validated.problems, warnings]),
        months=months,
        row_count=len(read.rows),
    )


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=["row", *KEY, *VALUE_COLUMNS])


def _read(upload: Upload) -> bytes:
    with upload.file.open("rb") as handle:
        return handle.read()


def _set_progress(upload_id: int, percent: int, **fields: object) -> None:
    Upload.objects.filter(pk=upload_id).update(progress=percent, **fields)


def validate_upload(*, upload_id: int) -> Upload:
    """Check an upload and record the outcome and the preview; safe to run again at any point."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status in (Upload.Status.CONFIRMED, Upload.Status.PUBLISHED, Upload.Status.SUPERSEDED):
        return upload
    _set_progress(upload_id, 5, status=Upload.Status.VALIDATING)
    checked = check_file(_read(upload), progress=lambda p: _set_progress(upload_id, p))
    summary = preview(checked.rows) if checked.errors.empty else {}
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload_id)
        if upload.status != Upload.Status.VALIDATING:
            return upload  # confirmed by a run that finished first
        before = {"status": upload.status}
        upload.status = Upload.Status.VALID if checked.errors.empty else Upload.Status.INVALID
        upload.errors = as_records(checked.errors)
        upload.warnings = as_records(checked.warnings)
        upload.row_count = checked.row_count
        upload.months = [m.isoformat() for m in checked.months]
        upload.summary = summary
        upload.progress = 100
        upload.save()
        record_audit(
            actor=None,
            verb="validated",
            object_type=UPLOAD,
            object_id=upload.pk,
            before=before,
            after={
                "status": upload.status,
                "rows": upload.row_count,
                "errors": len(upload.errors),
                "warnings": len(upload.warnings),
            },
        )
    return upload


def preview(rows: pd.DataFrame) -> dict[str, object]:
    """What publishing these rows would do: counts by month, and restatements old → new."""
    months = sorted({m.date() for m in rows["month"]})
    merged = compare_with_current(rows, published_values(months), extra=[])
    merged["month_label"] = merged["month"].dt.strftime("%Y-%m")
    by_month = (
        merged.groupby("month_label")
        .agg(rows=("row", "size"), new=("is_new", "sum"), restated=("is_changed", "sum"))
        .reset_index()
    )
    by_month["unchanged"] = by_month["rows"] - by_month["new"] - by_month["restated"]
    restated = merged[merged["is_changed"]].head(PREVIEW_RESTATEMENTS)
    lookups = ingest_lookups(today=timezone.localdate())
    kpi_codes = dict(zip(lookups.kpis["kpi_id"], lookups.kpis["kpi_code"], strict=True))
    unit_codes = dict(zip(lookups.units["org_unit_id"], lookups.units["org_code"], strict=True))
    return {
        "rows": len(merged),
        "new": int(merged["is_new"].sum()),
        "restated": int(merged["is_changed"].sum()),
        "unchanged": int((~merged["is_new"] & ~merged["is_changed"]).sum()),
        "by_month": [
            {k: (int(v) if k != "month_label" else v) for k, v in r.items()}
            for r in by_month.to_dict("records")
        ],
        "restatements": [
            {
                "row": int(r["row"]),
                "kpi_code": kpi_codes.get(r["kpi_id"], ""),
                "org_code": unit_codes.get(r["org_unit_id"], ""),
                "month": r["month_label"],
                "old": float(r["value_old"]),
                "new": float(r["value"]),
            }
            for r in restated.to_dict("records")
        ],
    }


def lock_months(months: Iterable[date], *, holder: str) -> None:
    """Hold the lock rows of ``months`` until the surrounding transaction ends.

    Call it first in the transaction: on SQLite the insert takes the single write lock
    before anything is read, so what follows reads the latest committed data.
    """
    ordered = sorted(set(months))
    MonthLock.objects.bulk_create([MonthLock(month=m) for m in ordered], ignore_conflicts=True)
    list(MonthLock.objects.select_for_update().filter(month__in=ordered).order_by("month").values("id"))
    MonthLock.objects.filter(month__in=ordered).update(held_by=holder[:100], held_at=timezone.now())


def _months(upload: Upload) -> list[date]:
    return [date.fromisoformat(m) for m in upload.months]


def confirm_upload(*, actor: Actor, upload: Upload) -> ConfirmResult:
    """Write a checked upload's rows as draft measurements, all in one transaction.

    Steps:
    1. Lock the months, then check the file again: the data may have moved on since
       the preview. Any error now stops the confirmation and nothing is written.
    2. An earlier confirmed but unpublished upload for the same months is superseded,
       with its drafts (they are kept).
    3. Rows that are new or differ from the published value become drafts, each one
       revision above the latest for its KPI, unit and month; unchanged rows are left.
    """
    with transaction.atomic():
        lock_months(_months(upload), holder=f"confirm upload {upload.pk}")
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.VALID:
            raise SubmissionError(
                f"Only a checked upload without errors can be confirmed (this one is {upload.status})."
            )
        checked = check_file(_read(upload))
        if not checked.errors.empty:
            raise SubmissionError(
                f"The file no longer passes its checks ({len(checked.errors)} errors): check it again."
            )
        months = checked.months
        merged = compare_with_current(checked.rows, published_values(months), extra=[])
        to_write = merged[merged["is_new"] | merged["is_changed"]][[*KEY, *VALUE_COLUMNS]]
        superseded = _supersede_unpublished(actor=actor, months=months, keep=upload)
        revisions = to_write.merge(latest_revisions(months), on=KEY, how="left")
        revisions["revision"] = revisions["latest"].fillna(0).astype(int) + 1
        insert_measurements(revisions, upload_id=upload.pk, status=Measurement.Status.DRAFT, is_rollup=False)
        result = ConfirmResult(
            new=int(merged["is_new"].sum()),
            restated=int(merged["is_changed"].sum()),
            unchanged=int((~merged["is_new"] & ~merged["is_changed"]).sum()),
            superseded_uploads=superseded,
        )
        upload.status = Upload.Status.CONFIRMED
        upload.save(update_fields=["status"])
        record_audit(
            actor=actor,
            verb="confirmed",
            object_type=UPLOAD,
            object_id=upload.pk,
            before={"status": Upload.Status.VALID},
            after={"status": upload.status, **result.__dict__},
        )
    return result


def _supersede_unpublished(*, actor: Actor, months: list[date], keep: Upload) -> list[int]:
    others = list(
        Upload.objects.filter(status=Upload.Status.CONFIRMED, measurements__month__in=months)
        .exclude(pk=keep.pk)
        .distinct()
        .values_list("pk", flat=True)
    )
    if others:
        Measurement.objects.filter(upload_id__in=others, status=Measurement.Status.DRAFT).update(
            status=Measurement.Status.SUPERSEDED
        )
        Upload.objects.filter(pk__in=others).update(status=Upload.Status.SUPERSEDED)
        for other in others:
            record_audit(
                actor=actor,
                verb="superseded",
                object_type=UPLOAD,
                object_id=other,
                before={"status": Upload.Status.CONFIRMED},
                after={"status": Upload.Status.SUPERSEDED, "by_upload": keep.pk},
            )
    return others


def publish_upload(*, actor: Actor, upload: Upload) -> PublishUploadResult:
    """Publish a confirmed upload's drafts; the roll-up and downstream work follow.

    Steps:
    1. Lock the months.
    2. The published values the drafts replace become superseded (kept, as the
       restatement's history); the drafts become the published values.
    3. Refresh the roll-up for the financial years touched, and queue downstream work
       for when the transaction commits.
    """
    if not isinstance(actor, User):
        raise SubmissionError("Publishing needs a named member of the performance team.")
    with transaction.atomic():
        lock_months(_months(upload), holder=f"publish upload {upload.pk}")
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.CONFIRMED:
            raise SubmissionError(f"Only a confirmed upload can be published (this one is {upload.status}).")
        months = _months(upload)
        drafts = Measurement.objects.filter(upload=upload, status=Measurement.Status.DRAFT)
        draft_keys = pd.DataFrame(list(drafts.values_list(*KEY)), columns=KEY)
        draft_keys["month"] = pd.to_datetime(draft_keys["month"])
        replaced = published_values(months).merge(draft_keys, on=KEY)["id"].astype(int).tolist()
        for start in range(0, len(replaced), SUPERSEDE_BATCH):
            Measurement.objects.filter(pk__in=replaced[start : start + SUPERSEDE_BATCH]).update(
                status=Measurement.Status.SUPERSEDED
            )
        published = drafts.update(status=Measurement.Status.PUBLISHED)
        upload.status = Upload.Status.PUBLISHED
        upload.published_at, upload.published_by = timezone.now(), actor
        upload.save(update_fields=["status", "published_at", "published_by"])
        rollup = refresh_rollups(months=months)
        if len(draft_keys):
            queue_after_publish(kpi_ids=sorted(int(k) for k in draft_keys["kpi_id"].unique()), months=months)
        record_audit(
            actor=actor,
            verb="published",
            object_type=UPLOAD,
            object_id=upload.pk,
            before={"status": Upload.Status.CONFIRMED},
            after={
                "status": upload.status,
                "published": published,
                "restated": len(replaced),
                "rollup": rollup.as_dict(),
            },
        )
    return PublishUploadResult(published=published, restated=len(replaced), rollup=rollup)
