"""The submission service end to end on the demonstration trust: receive, validate, confirm, publish."""

import pytest

from kpis.models import Measurement, Upload
from kpis.services.submission import (
    SubmissionError,
    confirm_upload,
    publish_upload,
    receive_upload,
    validate_upload,
)
from pmf.models import AuditEvent

pytestmark = pytest.mark.django_db


def published_trust_value(code, month="2025-07-01"):
    """The month's published value of Medicine, rolled up from its units: the trust's own A&E figure comes
    from NHS England's file (the national import), so the roll-up is read one level down."""
    return Measurement.objects.filter(
        kpi__code=code, org_unit__code="RWD-MED", month=month, status="published", is_rollup=True
    ).first()


def test_a_real_month_goes_from_file_to_published_values_and_rollup(
    july, perf, django_capture_on_commit_callbacks
):
    received = receive_upload(actor=perf, content=july, name="july.csv")
    upload = validate_upload(upload_id=received.upload.pk)
    assert upload.status == Upload.Status.VALID, upload.errors[:5]
    assert upload.summary["new"] == upload.row_count > 300
    assert published_trust_value("AE-4H") is None

    result = confirm_upload(actor=perf, upload=upload)
    assert result.new == upload.row_count
    assert Measurement.objects.filter(upload=upload, status="draft").count() == upload.row_count
    assert published_trust_value("AE-4H") is None  # drafts are not visible

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish_upload(actor=perf, upload=upload)
    assert len(callbacks) >= 1  # downstream work queued on commit
    ae = published_trust_value("AE-4H")
    assert ae is not None and 40 < ae.value < 100
    verbs = set(
        AuditEvent.objects.filter(object_type="kpis.Upload", object_id=str(upload.pk)).values_list(
            "verb", flat=True
        )
    )
    assert {"received", "validated", "confirmed", "published"} <= verbs


def test_the_same_file_twice_is_a_no_op_with_a_message(july, perf):
    first = receive_upload(actor=perf, content=july, name="july.csv")
    again = receive_upload(actor=perf, content=july, name="july-copy.csv")
    assert not again.created and again.upload == first.upload
    assert "already uploaded" in again.message
    assert Upload.objects.filter(sha256=first.upload.sha256).count() == 1


def test_a_restatement_keeps_the_old_revision(july, perf):
    upload = validate_upload(upload_id=receive_upload(actor=perf, content=july, name="a.csv").upload.pk)
    confirm_upload(actor=perf, upload=upload)
    publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
    lines = july.decode().splitlines()
    changed = [line for line in lines if line.startswith("AE-4H,") and ",RWD-MED-UEC," in line][0]
    fields = changed.split(",")
    fields[3] = str(int(float(fields[3])) - 100)
    fields[5] = ""
    restated = "\n".join([lines[0], ",".join(fields)]) + "\n"
    second = validate_upload(
        upload_id=receive_upload(actor=perf, content=restated.encode(), name="b.csv").upload.pk
    )
    assert second.status == "valid", second.errors
    assert second.summary["restated"] == 1 and second.summary["restatements"][0]["org_code"] == "RWD-MED-UEC"
    confirm_upload(actor=perf, upload=second)
    publish_upload(actor=perf, upload=Upload.objects.get(pk=second.pk))
    history = Measurement.objects.filter(
        kpi__code="AE-4H", org_unit__code="RWD-MED-UEC", month="2025-07-01", is_rollup=False
    ).order_by("revision")
    assert [(m.revision, m.status) for m in history] == [(1, "superseded"), (2, "published")]


def test_confirming_twice_or_publishing_unconfirmed_is_refused(july, perf):
    upload = validate_upload(upload_id=receive_upload(actor=perf, content=july, name="a.csv").upload.pk)
    with pytest.raises(SubmissionError):
        publish_upload(actor=perf, upload=upload)
    confirm_upload(actor=perf, upload=upload)
    with pytest.raises(SubmissionError):
        confirm_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
