"""A monthly data submission: receive → validate → preview → confirm (drafts) → publish.

Every step is all-or-nothing and audited:

1. ``receive_upload`` keeps the raw file; the same bytes twice (same sha256) is a no-op,
   unless the first check of them never finished (see ``RECHECKABLE``): then they are
   checked again. ``queueing.submit_upload`` receives a file and queues its check.
2. ``validate_upload`` (the Celery task's body) reads and checks the file, recording
   every error and warning and a preview of what would change. It writes no
   measurements, so a worker killed part-way leaves nothing to undo and the task can
   simply run again. An unexpected error marks the upload failed, with a reference
   that is also in the error log; ``queueing.recheck_upload`` queues the check again.
   The reading and checking is in ``checking.py``; the rows that pass are kept beside
   the file (``checked_rows.py``) so that confirming does not read the file again, and
   deleted once the upload is published or superseded.
3. ``confirm_upload`` writes the rows as draft measurements in one transaction,
   after making sure under the month lock that they still pass (the kept rows while
   the catalogue is unchanged, otherwise a fresh check of the file).
4. ``publish_upload`` makes the drafts the published values (restated values keep
   their old revision as superseded), refreshes the roll-up and queues the downstream
   work: it says what it published (``measurements.announce_publish``), and the publish pipeline records
   the charts, ratings, escalations and IPR content as owed in the same transaction.

Confirm and publish hold ``MonthLock`` rows for the months the file covers, so two
submissions for the same month never interleave.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone

from pmf.formatting import format_datetime
from pmf.models import User
from pmf.services.audit import Actor, record_audit, update_audited

from ..ingest.checked import lookups_fingerprint
from ..ingest.problems import as_records
from ..models import Measurement, MonthLock, Upload
from ..selectors.ingest import (
    ingest_lookups,
    latest_revisions,
    published_values,
)
from ..selectors.published import KEY, VALUE_COLUMNS
from ..signals import publish_requested
from .checked_rows import discard_checked_rows, keep_checked_rows, kept_checked_rows
from .checking import check_file, months_of, preview, with_codes
from .measurements import announce_publish
from .revisions import compare_with_current, insert_measurements
from .rollup import RollupResult, refresh_rollups

UPLOAD = Upload._meta.label
SUPERSEDE_BATCH = 5000
# Checks that ended without an outcome to act on, or whose outcome may change on a re-run.
RECHECKABLE = (Upload.Status.FAILED, Upload.Status.INVALID)
STILL_CHECKING = (Upload.Status.RECEIVED, Upload.Status.VALIDATING)

logger = logging.getLogger(__name__)


class SubmissionError(ValidationError):
    """A step that cannot be taken now, with the reason to show the user.

    A ``ValidationError``, so pages show it with ``pmf.feedback.tell``; ``str()`` is the
    plain reason, for the command line.
    """

    def __str__(self) -> str:
        return "; ".join(self.messages)


@dataclass(frozen=True)
class Received:
    upload: Upload
    created: bool
    message: str


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


def can_recheck(upload: Upload) -> bool:
    """Whether checking ``upload`` again may be asked for: its check failed, or found errors
    (the catalogue may have been put right since), or has been running so long it was lost.

    "So long" is longer than any job may take (``PMF_JOB_STALE_AFTER``), counted from when the
    check now running was asked for: the upload, or the last time it was asked for again. So a
    check just asked for again is not offered again, nor re-queued by the same file sent again,
    while it may still be waiting for a worker.
    """
    if upload.status in RECHECKABLE:
        return True
    waited = timezone.now() - upload.check_requested_at
    return upload.status in STILL_CHECKING and waited > settings.PMF_JOB_STALE_AFTER


@transaction.atomic
def receive_upload(*, actor: Actor, content: bytes, name: str) -> Received:
    """Keep the raw file as a new upload, or point at the upload that already has these bytes.

    The same bytes as an upload whose check failed or was lost are not "nothing new":
    that upload is set to be checked again (``created`` is then True, so the caller
    queues the check).
    """
    sha = hashlib.sha256(content).hexdigest()
    existing = Upload.objects.select_for_update().filter(sha256=sha).first()
    if existing is not None and existing.status != Upload.Status.INVALID and can_recheck(existing):
        _reset_for_check(actor=actor, upload=existing, verb="upload repeated after a failed check", note=name)
        return Received(
            upload=existing,
            created=True,
            message="This file was uploaded before but its check did not finish; checking it again now.",
        )
    if existing is not None:
        record_audit(
            actor=actor, verb="upload repeated", object_type=UPLOAD, object_id=existing.pk, note=name
        )
        when = timezone.localtime(existing.uploaded_at)
        return Received(
            upload=existing,
            created=False,
            message=f"This file was already uploaded on {format_datetime(when)} "
            f"({existing.get_status_display().lower()}); nothing has changed.",
        )
    upload = Upload(
        original_name=name[:255],
        uploaded_by=actor if isinstance(actor, User) else None,
        sha256=sha,
        check_requested_at=timezone.now(),
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


@transaction.atomic
def request_recheck(*, actor: Actor, upload: Upload) -> Upload:
    """Put an upload whose check may be asked for again (``can_recheck``) back to "received";
    the caller then checks it (``queueing.recheck_upload``)."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if not can_recheck(upload):
        raise SubmissionError(
            f"This upload is {upload.get_status_display().lower()}: there is nothing to check again."
        )
    _reset_for_check(actor=actor, upload=upload, verb="check requested again")
    return upload


def _reset_for_check(*, actor: Actor, upload: Upload, verb: str, note: str = "") -> None:
    """Put an upload back to "received", forgetting the outcome of its last check, and start
    the time the new check may take (``can_recheck``)."""
    discard_checked_rows([upload])
    update_audited(
        upload,
        actor=actor,
        verb=verb,
        why=note,
        audited=["status", "failure_reference"],
        status=Upload.Status.RECEIVED,
        progress=0,
        failure_reference="",
        errors=[],
        warnings=[],
        summary={},
        check_requested_at=timezone.now(),
    )


def failure_reference(upload_id: int) -> str:
    """A short reference that ties what the upload page shows to its line in the error log."""
    return f"U{upload_id}-{secrets.token_hex(3).upper()}"


def record_check_failure(*, upload_id: int, reference: str, stage: str) -> Upload:
    """Mark an upload whose check did not finish as failed; a finished outcome is left as it is."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload_id)
        if upload.status not in STILL_CHECKING:
            return upload
        discard_checked_rows([upload])
        update_audited(
            upload,
            actor=None,
            verb="check failed",
            audited=["status"],
            context={"reference": reference, "stage": stage},
            status=Upload.Status.FAILED,
            failure_reference=reference,
            errors=[],
            warnings=[],
            progress=0,
            summary={},
        )
    return upload


def _read(upload: Upload) -> bytes:
    with upload.file.open("rb") as handle:
        return handle.read()


def _set_progress(upload_id: int, percent: int) -> None:
    Upload.objects.filter(pk=upload_id, status=Upload.Status.VALIDATING).update(progress=percent)


def validate_upload(*, upload_id: int) -> Upload:
    """Check an upload and record the outcome and the preview; safe to run again at any point.

    Only an upload waiting for its check ("received", or "validating" when a check is run
    again after its worker was lost) is checked; any other is returned as it is, so a
    check delivered twice never turns a checked, confirmed or failed upload back. An
    unexpected error (a fault in PMF, not in the file) is logged with a reference and
    marks the upload failed, so it never stays "validating".
    """
    # Compare and set in one statement: what this run read a moment ago cannot turn a finished check back.
    started = Upload.objects.filter(pk=upload_id, status__in=STILL_CHECKING).update(
        status=Upload.Status.VALIDATING, progress=5, failure_reference=""
    )
    upload = Upload.objects.get(pk=upload_id)
    if not started:
        return upload
    try:
        return _check_and_record(upload)
    except Exception:
        reference = failure_reference(upload_id)
        logger.exception("Checking upload %s failed unexpectedly (reference %s)", upload_id, reference)
        return record_check_failure(upload_id=upload_id, reference=reference, stage="check")


def _check_and_record(upload: Upload) -> Upload:
    upload_id = upload.pk
    checked = check_file(_read(upload), progress=lambda p: _set_progress(upload_id, p))
    summary: dict[str, object] = {}
    if checked.errors.empty and checked.lookups is not None:
        summary = preview(checked.rows, lookups=checked.lookups)
        # Confirm reuses these rows while the catalogue is unchanged, instead of reading the file again.
        summary["checked"] = keep_checked_rows(
            upload=upload, rows=checked.rows, fingerprint=lookups_fingerprint(checked.lookups)
        )
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload_id)
        if upload.status != Upload.Status.VALIDATING:
            return upload  # confirmed by a run that finished first
        before = {"status": upload.status}
        upload.status = Upload.Status.VALID if checked.errors.empty else Upload.Status.INVALID
        upload.errors = as_records(checked.errors)
        upload.warnings = as_records(with_codes(checked.warnings, checked))
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


def lock_months(months: Iterable[date], *, holder: str) -> None:
    """Hold the lock rows of ``months`` until the surrounding transaction ends.

    Call it first in the transaction: on SQLite the insert takes the single write lock
    before anything is read, so what follows reads the latest committed data. PostgreSQL
    waits for the other submission to finish; SQLite waits up to its busy timeout, and
    then the submission is refused with a message to try again.
    """
    ordered = sorted(set(months))
    try:
        MonthLock.objects.bulk_create([MonthLock(month=m) for m in ordered], ignore_conflicts=True)
        list(MonthLock.objects.select_for_update().filter(month__in=ordered).order_by("month").values("id"))
        MonthLock.objects.filter(month__in=ordered).update(held_by=holder[:100], held_at=timezone.now())
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        raise SubmissionError(
            "Another submission for these months is being confirmed or published: try again in a minute."
        ) from error


def _months(upload: Upload) -> list[date]:
    return [date.fromisoformat(m) for m in upload.months]


def confirm_upload(*, actor: Actor, upload: Upload) -> ConfirmResult:
    """Write a checked upload's rows as draft measurements, all in one transaction.

    Steps:
    1. Lock the months, then make sure the rows still pass: the rows kept at the check
       are used when the catalogue, organisation and suites are as they were then;
       otherwise the file is checked again. Any error stops the confirmation and
       nothing is written.
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
        rows = _rows_passing_now(upload)
        months = months_of(rows)
        merged = compare_with_current(rows, published_values(months), extra=[])
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


def _rows_passing_now(upload: Upload) -> pd.DataFrame:
    """The upload's rows, from the check kept at validation if still valid, else checked afresh."""
    lookups = ingest_lookups(today=timezone.localdate())
    kept = kept_checked_rows(upload=upload, fingerprint=lookups_fingerprint(lookups))
    if kept is not None:
        return kept
    checked = check_file(_read(upload), lookups=lookups, warnings=False)
    if not checked.errors.empty:
        raise SubmissionError(
            f"The file no longer passes its checks ({len(checked.errors)} errors): check it again."
        )
    return checked.rows


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
        superseded = list(Upload.objects.filter(pk__in=others))
        discard_checked_rows(superseded)
        for upload in superseded:
            upload.status = Upload.Status.SUPERSEDED
        Upload.objects.bulk_update(superseded, ["status", "summary"])
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


def missing_for_publish() -> list[str]:
    """What the work that follows a publish still needs set up, in plain sentences (none: nothing).

    The follow-on steps are not this app's, so it asks: ``kpis.signals.publish_requested``, whose receivers
    (the publish pipeline) each say what their steps need.
    """
    return [
        sentence
        for _receiver, sentences in publish_requested.send(sender=Upload)
        for sentence in (sentences or [])
    ]


def publish_upload(*, actor: Actor, upload: Upload) -> PublishUploadResult:
    """Publish a confirmed upload's drafts; the roll-up and downstream work follow.

    Steps:
    1. Lock the months, and refuse, with what to set up, when the work that follows a publish could not
       run (``missing_for_publish``: a new trust without its four rating criteria): nothing is written, so a
       publish never leaves the data out with its ratings owed and impossible.
    2. The published values the drafts replace become superseded (kept, as the
       restatement's history); the drafts become the published values.
    3. Refresh the roll-up for the financial years touched, and announce the publish
       (``measurements.announce_publish`` sends ``kpis.signals.data_published``): the
       publish pipeline (the ``pipeline`` app) records, in this same transaction, the
       charts, ratings, schedules, escalations and IPR content as owed, and logs each
       validation warning as a data-quality issue. They run once this commits (or at
       ``catch_up`` when no worker could be told).
    """
    if not isinstance(actor, User):
        raise SubmissionError("Publishing needs a named member of the performance team.")
    with transaction.atomic():
        lock_months(_months(upload), holder=f"publish upload {upload.pk}")
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.CONFIRMED:
            raise SubmissionError(f"Only a confirmed upload can be published (this one is {upload.status}).")
        if missing := missing_for_publish():
            raise SubmissionError(f"Not published, and nothing written: {' '.join(missing)}")
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
        discard_checked_rows([upload])
        upload.save(update_fields=["status", "published_at", "published_by", "summary"])
        rollup = refresh_rollups(months=months)
        if len(draft_keys):
            # The pipeline owes the charts onwards, and logs each warning the team chose to publish over.
            announce_publish(
                kpi_ids=sorted(int(k) for k in draft_keys["kpi_id"].unique()),
                months=months,
                reason=f"upload {upload.pk} published",
                upload=upload,
                actor=actor,
            )
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
