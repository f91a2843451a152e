"""The rows kept at the check: used to confirm, deleted once the upload is published or superseded."""

import pytest
from django.db import transaction

from kpis.models import Measurement, Upload
from kpis.services.submission import confirm_upload, publish_upload, receive_upload, validate_upload

pytestmark = pytest.mark.django_db


def validated(content, name, perf):
    upload = validate_upload(upload_id=receive_upload(actor=perf, content=content, name=name).upload.pk)
    assert upload.status == Upload.Status.VALID, upload.errors[:3]
    return upload


def kept_name(upload):
    return upload.summary["checked"]["name"]


def test_confirming_uses_the_rows_kept_at_the_check_not_the_file_again(july, perf):
    upload = validated(july, "july.csv", perf)
    storage = upload.file.storage
    with storage.open(upload.file.name, "wb") as handle:
        handle.write(b"not,a,submission\n")  # a fresh check of the raw file would now fail
    result = confirm_upload(actor=perf, upload=upload)
    assert result.new == upload.row_count
    assert Measurement.objects.filter(upload=upload, status="draft").count() == upload.row_count


def test_the_kept_rows_are_deleted_when_the_upload_is_published(
    july, perf, django_capture_on_commit_callbacks
):
    upload = validated(july, "july.csv", perf)
    storage, name = upload.file.storage, kept_name(upload)
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_upload(actor=perf, upload=upload)
    assert storage.exists(name)  # kept until the upload is published or superseded

    with django_capture_on_commit_callbacks(execute=True):
        publish_upload(actor=perf, upload=upload)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PUBLISHED
    assert not storage.exists(name)
    assert "checked" not in upload.summary
    assert storage.exists(upload.file.name)  # the raw file is always kept


def test_the_kept_rows_are_deleted_when_the_upload_is_superseded(
    july, perf, django_capture_on_commit_callbacks
):
    first = validated(july, "first.csv", perf)
    confirm_upload(actor=perf, upload=first)
    second = validated(july.replace(b"\n", b"\r\n"), "second.csv", perf)  # same data, other bytes
    storage, first_name, second_name = first.file.storage, kept_name(first), kept_name(second)

    with django_capture_on_commit_callbacks(execute=True):
        result = confirm_upload(actor=perf, upload=second)
    assert result.superseded_uploads == [first.pk]
    first.refresh_from_db()
    assert first.status == Upload.Status.SUPERSEDED
    assert not storage.exists(first_name)
    assert "checked" not in first.summary
    assert storage.exists(second_name)


def test_the_kept_rows_stay_when_the_publish_is_rolled_back(july, perf, django_capture_on_commit_callbacks):
    upload = validated(july, "july.csv", perf)
    confirm_upload(actor=perf, upload=upload)
    storage, name = upload.file.storage, kept_name(upload)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish_upload(actor=perf, upload=upload)
        raise RuntimeError("the surrounding work failed")
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CONFIRMED
    assert storage.exists(name)
    assert kept_name(upload) == name
