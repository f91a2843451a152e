"""Submission safety: a crash part-way writes nothing; two submissions for a month never interleave."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from escalation.models import DataQualityIssue
from kpis.models import Measurement, Upload
from kpis.services import submission
from kpis.services.submission import (
    SubmissionError,
    confirm_upload,
    lock_months,
    publish_upload,
    receive_upload,
    validate_upload,
)
from pmf.models import AuditEvent, User

JULY = date(2025, 7, 1)


class WorkerLost(Exception):
    """Stands in for a worker killed or a database gone at the worst moment."""


def checked(content, name, perf):
    upload = validate_upload(upload_id=receive_upload(actor=perf, content=content, name=name).upload.pk)
    assert upload.status == Upload.Status.VALID, upload.errors[:3]
    return upload


def restated(july: bytes, *, by: int) -> bytes:
    """July's file reduced to one unit's A&E row, its numerator lowered by ``by``: a restatement."""
    lines = july.decode().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("AE-4H,") and ",RWD-MED-UEC," in line)
    fields = lines[index].split(",")
    fields[3], fields[5] = str(max(int(float(fields[3])) - by, 0)), ""
    return "\n".join([lines[0], ",".join(fields)]).encode() + b"\n"


def ae_history():
    return list(
        Measurement.objects.filter(
            kpi__code="AE-4H", org_unit__code="RWD-MED-UEC", month=JULY, is_rollup=False
        )
        .order_by("revision")
        .values_list("revision", "status", "value")
    )


def medicine_ae():
    """Medicine's A&E four hours, rolled up from urgent and emergency care (the trust's is NHS England's)."""
    return list(
        Measurement.objects.filter(
            kpi__code="AE-4H", org_unit__code="RWD-MED", month=JULY, status="published", is_rollup=True
        ).values_list("revision", "value")
    )


@pytest.fixture
def published_july(july, perf):
    upload = checked(july, "july.csv", perf)
    confirm_upload(actor=perf, upload=upload)
    publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
    return upload


@pytest.mark.django_db
def test_a_crash_after_publish_supersedes_the_old_values_leaves_the_month_as_it_was(
    july, perf, published_july, monkeypatch
):
    upload = checked(restated(july, by=100), "restated.csv", perf)
    confirm_upload(actor=perf, upload=upload)
    before = (ae_history(), medicine_ae())
    assert [status for _, status, _ in before[0]] == ["published", "draft"]

    def roll_up_then_crash(**kwargs):
        raise WorkerLost  # the old value is already superseded and the draft published by now

    monkeypatch.setattr(submission, "refresh_rollups", roll_up_then_crash)
    with pytest.raises(WorkerLost):
        publish_upload(actor=perf, upload=upload)

    assert (ae_history(), medicine_ae()) == before
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.CONFIRMED
    assert not AuditEvent.objects.filter(verb="published", object_id=str(upload.pk)).exists()

    monkeypatch.undo()
    publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
    assert [(r, s) for r, s, _ in ae_history()] == [(1, "superseded"), (2, "published")]
    assert medicine_ae()[0][1] != before[1][0][1]  # the roll-up followed the restatement


@pytest.mark.django_db
def test_a_crash_after_confirm_supersedes_earlier_drafts_keeps_them(july, perf, monkeypatch):
    first = checked(july, "first.csv", perf)
    confirm_upload(actor=perf, upload=first)
    drafts = Measurement.objects.filter(upload=first, status="draft").count()
    second = checked(july.replace(b"\n", b"\r\n"), "second.csv", perf)  # same data, different bytes

    def crash(*args, **kwargs):
        raise WorkerLost  # the first upload's drafts are superseded by now

    monkeypatch.setattr(submission, "insert_measurements", crash)
    with pytest.raises(WorkerLost):
        confirm_upload(actor=perf, upload=second)

    assert Upload.objects.get(pk=first.pk).status == Upload.Status.CONFIRMED
    assert Measurement.objects.filter(upload=first, status="draft").count() == drafts
    assert not Measurement.objects.filter(upload=second).exists()
    assert Upload.objects.get(pk=second.pk).status == Upload.Status.VALID

    monkeypatch.undo()
    result = confirm_upload(actor=perf, upload=Upload.objects.get(pk=second.pk))
    assert result.superseded_uploads == [first.pk]
    assert Measurement.objects.filter(upload=second, status="draft").count() == drafts


def test_two_submissions_for_the_same_month_never_interleave(committed_july):
    """One submission holds July's lock; another July confirmation waits (PostgreSQL) or is refused (SQLite).

    Either way it writes nothing while the first holds the month. On PostgreSQL, which CI
    also runs (DATABASE_URL), it must wait and then go through.
    """
    july = committed_july
    perf = User.objects.get(username="perf")
    second = checked(july, "second.csv", perf)
    held, release = threading.Event(), threading.Event()
    events: list[str] = []

    def first_submission_holding_july():
        try:
            with transaction.atomic():
                lock_months([JULY], holder="first submission")
                held.set()
                release.wait(60)
                events.append("first released")
        finally:
            connection.close()

    def second_submission():
        try:
            held.wait(60)
            confirm_upload(actor=perf, upload=second)
            events.append("second confirmed")
        except SubmissionError as error:
            events.append(f"second refused: {error}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=first_submission_holding_july),
        threading.Thread(target=second_submission),
    ]
    for thread in threads:
        thread.start()
    assert held.wait(60)
    time.sleep(2)  # long enough for the second to have written, were it not held back
    during = list(events)
    written_during = Measurement.objects.filter(upload=second).count()
    release.set()
    for thread in threads:
        thread.join(90)

    assert written_during == 0
    if connection.vendor == "postgresql":
        assert during == []  # still waiting for the lock
        assert events == ["first released", "second confirmed"]
        assert Measurement.objects.filter(upload=second, status="draft").count() > 300
    elif events and events[0].startswith("second refused"):
        assert "Another submission for these months" in events[0]
        assert Upload.objects.get(pk=second.pk).status == Upload.Status.VALID
        assert not Measurement.objects.filter(upload=second).exists()
    else:  # SQLite waited for its write lock instead, then went through
        assert during == [] and events == ["first released", "second confirmed"]


@pytest.mark.django_db
def test_publishing_over_warnings_logs_them_as_data_quality_issues(july, perf, published_july):
    upload = checked(restated(july, by=10**6), "none-within-4h.csv", perf)  # numerator 0
    assert "large_change" in {w["code"] for w in upload.warnings}
    assert "missing_row" not in {w["code"] for w in upload.warnings}  # the rest is already published
    confirm_upload(actor=perf, upload=upload)
    assert not DataQualityIssue.objects.filter(upload=upload).exists()

    publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))

    assert DataQualityIssue.objects.filter(upload=upload).count() == len(upload.warnings)
    issue = DataQualityIssue.objects.get(upload=upload, description__contains="month before")
    assert issue.source == DataQualityIssue.Source.VALIDATION
    assert (issue.kpi.code, issue.org_unit.code, issue.month) == ("AE-4H", "RWD-MED-UEC", JULY)
