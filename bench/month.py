"""A new month end to end on the large trust, on PostgreSQL: with 59 months published, month 60 is submitted
(read, validated, previewed, confirmed as drafts) and published through the real services, and the publish
pipeline runs in the same process (tasks in-process): roll-up, SPC, ratings, schedules, escalations and IPR
content. The clock stops when every run the publish owed is done.

The baseline is a raw binary ``COPY`` of the month's team rows into the measurement table, committed, in the
same run. The first run publishes the 59 months (once; it takes minutes). A later run first takes month 60
back out (its measurements, the ratings, cases and content made from it) and brings the charts back to 59
months, untimed, so every run starts from the same state.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from datetime import date, datetime

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from bench.large_trust import LargeTrust
from escalation.models import DataQualityIssue, EscalationCase
from kpis.models import Measurement, Upload
from kpis.services.binary_copy import Field, encode_rows
from kpis.services.measurements import publish_frame
from kpis.services.submission import confirm_upload, publish_upload, receive_upload, validate_upload
from pipeline.models import PipelineRun
from pipeline.services.runs import run_now
from pmf.models import JobRun, User
from reviews.models import DivisionRating, IprDraftContent
from reviews.services.defaults import seed_rating_defaults

from . import Measure
from .ingest import _prepare, measurement_frame

STEPS = ("spc", "ratings", "schedules", "escalations", "ipr")


def _history(trust: LargeTrust, month: date) -> None:
    """Every month before ``month`` published once (the first run only; the pipeline follows)."""
    _prepare(trust)
    seed_rating_defaults(actor=None)
    rows = trust.measurements
    earlier = rows[pd.to_datetime(rows["month"]).dt.date < month]
    first = pd.to_datetime(earlier["month"]).min().date()
    if Measurement.objects.filter(month=first, status=Measurement.Status.PUBLISHED).exists():
        return
    print(
        f"[month] publishing {len(earlier):,} rows of {earlier['month'].nunique()} months (first run only)…"
    )
    with transaction.atomic():
        upload = Upload.objects.create(sha256=f"bench-month-{uuid.uuid4().hex}", status="valid")
        publish_frame(actor=None, upload=upload, frame=measurement_frame(earlier, is_synthetic=True))


def _take_back(month: date) -> None:
    """Month ``month`` out again, with what was made from it, and the charts back as they were (untimed)."""
    if not Measurement.objects.filter(month__gte=month).exists():
        return
    print(f"[month] taking {month:%Y-%m} back out, as left by an earlier run…")
    with transaction.atomic():
        uploads = set(Measurement.objects.filter(month__gte=month).values_list("upload_id", flat=True))
        Measurement.objects.filter(month__gte=month).delete()
        DivisionRating.objects.filter(month__gte=month).delete()
        EscalationCase.objects.filter(opened_month__gte=month).delete()
        DataQualityIssue.objects.filter(month__gte=month).delete()
        IprDraftContent.objects.filter(month__gte=month).delete()
        Upload.objects.filter(pk__in=uploads - {None}).delete()
    run_now(reason="the month benchmark took its month back out")


def _copy_baseline(rows: pd.DataFrame) -> float:
    """A raw binary ``COPY`` of the month's rows as published measurements, committed; then removed."""
    frame = measurement_frame(rows)
    values = {c: frame[c].to_numpy(dtype="float64") for c in ("numerator", "denominator", "value")}
    fields = [
        Field("int8", frame["kpi_id"].to_numpy(dtype="int64")),
        Field("int8", frame["org_unit_id"].to_numpy(dtype="int64")),
        Field("date", pd.to_datetime(frame["month"]).to_numpy(dtype="datetime64[ns]")),
        *(Field("float8", v, missing=np.isnan(v)) for v in values.values()),
        Field("int4", 1),
        Field("bool", False),
        Field("text", Measurement.Status.PUBLISHED.value),
        Field("bool", False),
        Field("timestamptz", timezone.now()),
    ]
    names = ["kpi_id", "org_unit_id", "month", *values, "revision", "is_synthetic", "status", "is_rollup"]
    table = connection.ops.quote_name(Measurement._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*names, "created_at"])
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)"  # noqa: S608 — names from the model
    data = encode_rows(fields, rows=len(frame))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(data)
    elapsed = time.perf_counter() - started
    Measurement.objects.filter(month=frame["month"].iloc[0], upload__isnull=True).delete()
    return elapsed


def _new_month(content: bytes, actor: User) -> float:
    """Submit, confirm and publish the month; the pipeline runs in this process as the publish commits."""
    started = time.perf_counter()
    upload = receive_upload(actor=actor, content=content, name="month.csv").upload
    upload = validate_upload(upload_id=upload.pk)
    assert upload.status == "valid", upload.errors[:3]
    confirm_upload(actor=actor, upload=upload)
    publish_upload(actor=actor, upload=upload)
    elapsed = time.perf_counter() - started
    left = PipelineRun.objects.exclude(status=PipelineRun.Status.DONE).count()
    assert left == 0, f"{left} pipeline runs are not done"
    return elapsed


def _step_seconds(since: datetime) -> str:
    """How long each pipeline step took in the run just made (from its job records)."""
    jobs = JobRun.objects.filter(name__startswith="pipeline:", started_at__gte=since).order_by("started_at")
    return ", ".join(
        f"{job.name.removeprefix('pipeline:')} {(job.finished_at - job.started_at).total_seconds():.2f} s"
        for job in jobs
        if job.finished_at is not None
    )


def run(trust: LargeTrust) -> list[Measure]:
    if connection.vendor != "postgresql":
        print("[month] skipped: needs PostgreSQL (set DATABASE_URL=postgresql://…)")
        return []
    rows = trust.measurements
    month = pd.to_datetime(rows["month"]).max().date()
    latest = rows[pd.to_datetime(rows["month"]).dt.date == month]
    _history(trust, month)
    _take_back(month)
    actor, _ = User.objects.get_or_create(username="bench.performance", defaults={"is_superuser": True})
    baseline = _copy_baseline(latest)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Measurement._meta.db_table)}")
    content = latest.to_csv(index=False, float_format="%.6g").encode()
    since = timezone.now()
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, PMF_UPLOAD_MAX_BYTES=500 * 1024 * 1024),
    ):
        seconds = _new_month(content, actor)
    print(f"[month] steps: {_step_seconds(since)}")
    return [
        Measure(
            part="month",
            what=f"month {month:%Y-%m} ({len(latest):,} rows) submitted, published and followed through "
            f"every pipeline step, {rows['month'].nunique() - 1} months before it",
            seconds=seconds,
            baseline="raw binary COPY of the month's rows, committed",
            baseline_seconds=baseline,
            goal="under 10 s",
        )
    ]
