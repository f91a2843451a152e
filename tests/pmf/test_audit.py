"""update_audited: the one snapshot → save → audit sequence services use to change a row."""

from __future__ import annotations

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from kpis.models import Upload
from pmf.models import AuditEvent
from pmf.services.audit import update_audited
from tests.factories import UserFactory


@pytest.fixture
def upload(db):
    return Upload.objects.create(
        file="uploads/2025/07/returns.csv", original_name="returns.csv", sha256="a" * 64, status="valid"
    )


def test_update_audited_saves_the_fields_and_records_them_before_and_after(upload):
    perf = UserFactory(username="perf")
    now = timezone.now()

    event = update_audited(
        upload,
        actor=perf,
        verb="published",
        why="July returns",
        status="published",
        published_by=perf,
        published_at=now,
    )

    upload.refresh_from_db()
    assert (upload.status, upload.published_by, upload.published_at) == ("published", perf, now)
    assert event is not None
    assert (event.actor, event.verb, event.note) == ("perf", "published", "July returns")
    assert (event.object_type, event.object_id) == ("kpis.Upload", str(upload.pk))
    # A foreign key is recorded by its stored column, as every other snapshot is.
    assert event.before == {"status": "valid", "published_by_id": None, "published_at": None}
    stamp = DjangoJSONEncoder().default(now)
    assert event.after == {"status": "published", "published_by_id": perf.pk, "published_at": stamp}


def test_update_audited_leaves_other_columns_as_another_writer_left_them(upload):
    Upload.objects.filter(pk=upload.pk).update(progress=60)  # written elsewhere since ``upload`` was read

    update_audited(upload, actor=None, verb="checked", status="invalid")

    upload.refresh_from_db()
    assert (upload.status, upload.progress) == ("invalid", 60)


def test_update_audited_records_the_audited_fields_under_the_name_given(upload):
    event = update_audited(
        upload,
        actor=None,
        verb="checked",
        audited=["original_name", "status"],
        object_id="returns",
        row_count=12,
    )

    assert event is not None
    assert event.object_id == "returns"
    assert event.before == event.after == {"original_name": "returns.csv", "status": "valid"}


def test_update_audited_keeps_a_copy_of_a_json_field_not_the_list_itself(upload):
    upload.errors = [{"row": 2, "reason": "not a number"}]
    upload.save()

    event = update_audited(upload, actor=None, verb="rechecked", errors=[])
    upload.errors.append({"row": 3})  # a later edit in memory must not rewrite the history

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.before == {"errors": [{"row": 2, "reason": "not a number"}]}
    assert event.after == {"errors": []}


def test_update_audited_only_if_changed_writes_no_event_for_the_same_values(upload):
    unchanged = update_audited(upload, actor=None, verb="updated", only_if_changed=True, status="valid")
    changed = update_audited(upload, actor=None, verb="updated", only_if_changed=True, status="invalid")

    assert unchanged is None
    assert changed is not None and changed.after == {"status": "invalid"}
    assert AuditEvent.objects.filter(verb="updated").count() == 1


def test_update_audited_adds_the_context_of_the_change_to_its_after(upload):
    event = update_audited(
        upload,
        actor=None,
        verb="check failed",
        context={"reference": "U1-ABC", "stage": "queue"},
        status="failed",
    )

    assert event is not None
    assert event.before == {"status": "valid"}
    assert event.after == {"status": "failed", "reference": "U1-ABC", "stage": "queue"}
