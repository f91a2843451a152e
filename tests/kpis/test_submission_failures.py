"""An unexpected error while checking an upload marks it failed, never leaves it "validating".

The fault is simulated by making one internal step raise, as a bug in PMF would: the
file itself is good, so once the fault is gone the same upload checks clean.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from divisions.models import Role, RoleAssignment
from kpis.models import Measurement, Upload
from kpis.services import submission
from kpis.services.queueing import recheck_upload, submit_upload
from kpis.services.submission import (
    SubmissionError,
    can_recheck,
    receive_upload,
    validate_upload,
)
from kpis.tasks import validate_upload_task
from pmf.models import AuditEvent, JobRun
from tests.factories import UserFactory

from .test_bad_uploads import catalogue, make_corpus  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_file(catalogue):  # noqa: F811
    corpus = make_corpus()
    return corpus.csv_text(corpus.GOOD).encode()


@pytest.fixture
def broken_preview(monkeypatch):
    """The preview step raises, as a bug would."""

    def fail(*args, **kwargs):
        raise RuntimeError("simulated fault in the preview")

    monkeypatch.setattr(submission, "preview", fail)
    return monkeypatch


@pytest.fixture
def perf():
    user = UserFactory(username="perf.team")
    RoleAssignment.objects.create(user=user, role=Role.PERFORMANCE_TEAM)
    return user


def audit_verbs(upload):
    return list(
        AuditEvent.objects.filter(object_type="kpis.Upload", object_id=str(upload.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_an_unexpected_error_marks_the_upload_failed_with_a_logged_reference(
    good_file, broken_preview, caplog
):
    upload = receive_upload(actor=None, content=good_file, name="good.csv").upload

    upload = validate_upload(upload_id=upload.pk)

    assert upload.status == Upload.Status.FAILED
    reference = upload.failure_reference
    assert reference.startswith(f"U{upload.pk}-") and len(reference) > len(f"U{upload.pk}-")
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].levelname == "ERROR" and logged[0].exc_info[0] is RuntimeError
    stored = Upload.objects.get(pk=upload.pk)
    assert (stored.status, stored.errors, stored.summary) == (Upload.Status.FAILED, [], {})
    assert Measurement.objects.count() == 0
    event = AuditEvent.objects.get(object_type="kpis.Upload", object_id=str(upload.pk), verb="check failed")
    assert event.after["reference"] == reference and event.before == {"status": "validating"}
    assert event.after == {"status": "failed", "reference": reference, "stage": "check"}


def test_the_task_records_the_failure_reference_in_its_run(good_file, broken_preview):
    upload = receive_upload(actor=None, content=good_file, name="good.csv").upload

    result = validate_upload_task.apply(args=[upload.pk]).get()

    upload.refresh_from_db()
    assert result["status"] == "failed" and result["reference"] == upload.failure_reference
    run = JobRun.objects.get(name="validate_upload")
    assert upload.failure_reference in run.message


def test_the_same_bytes_after_a_failure_are_checked_again(
    good_file, broken_preview, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = submit_upload(actor=None, content=good_file, name="good.csv")
    assert Upload.objects.get(pk=first.upload.pk).status == Upload.Status.FAILED
    broken_preview.undo()

    with django_capture_on_commit_callbacks(execute=True):
        again = submit_upload(actor=None, content=good_file, name="good-again.csv")

    assert again.created and again.upload.pk == first.upload.pk
    assert "checking it again" in again.message
    upload = Upload.objects.get(pk=first.upload.pk)
    assert upload.status == Upload.Status.VALID and upload.failure_reference == ""
    assert upload.summary["new"] == 3
    assert "upload repeated after a failed check" in audit_verbs(upload)


def test_the_same_bytes_after_a_finished_check_change_nothing(good_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = submit_upload(actor=None, content=good_file, name="good.csv")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = submit_upload(actor=None, content=good_file, name="good.csv")
    assert not again.created and "nothing has changed" in again.message and callbacks == []
    assert Upload.objects.get(pk=first.upload.pk).status == Upload.Status.VALID


def test_a_broker_that_cannot_be_reached_marks_the_upload_failed_not_stuck(
    good_file, unreachable_broker, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        received = submit_upload(actor=None, content=good_file, name="good.csv")

    upload = Upload.objects.get(pk=received.upload.pk)
    assert upload.status == Upload.Status.FAILED and upload.failure_reference
    assert any(upload.failure_reference in r.getMessage() for r in caplog.records)
    assert AuditEvent.objects.get(verb="check failed", object_id=str(upload.pk)).after["stage"] == "queue"


def test_a_check_lost_while_waiting_can_be_run_again_but_not_a_fresh_one(
    good_file, settings, django_capture_on_commit_callbacks
):
    upload = receive_upload(actor=None, content=good_file, name="good.csv").upload
    assert upload.status == Upload.Status.RECEIVED and not can_recheck(upload)
    with pytest.raises(SubmissionError, match="nothing to check again"):
        recheck_upload(actor=None, upload=upload)

    with (
        time_machine.travel(timezone.now() + settings.PMF_JOB_STALE_AFTER + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert can_recheck(upload)
        recheck_upload(actor=None, upload=upload)

    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.VALID


def test_a_check_counts_as_lost_after_the_longest_a_job_may_take(good_file, settings):
    settings.PMF_JOB_STALE_AFTER = timedelta(minutes=5)
    upload = receive_upload(actor=None, content=good_file, name="good.csv").upload

    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        assert not can_recheck(upload)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert can_recheck(upload)


def test_a_check_asked_for_again_is_not_lost_at_once_so_the_same_bytes_do_not_queue_another(
    good_file, settings, django_capture_on_commit_callbacks
):
    stale = settings.PMF_JOB_STALE_AFTER
    upload = receive_upload(actor=None, content=good_file, name="good.csv").upload
    later = timezone.now() + stale + timedelta(minutes=1)

    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            recheck_upload(actor=None, upload=upload)  # its check waits for a worker
        assert len(queued) == 1
        upload = Upload.objects.get(pk=upload.pk)
        assert upload.status == Upload.Status.RECEIVED and upload.check_requested_at == later
        assert not can_recheck(upload)

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            again = submit_upload(actor=None, content=good_file, name="good-again.csv")
        assert not again.created and "nothing has changed" in again.message and callbacks == []

    with time_machine.travel(later + stale + timedelta(minutes=1)):
        assert can_recheck(Upload.objects.get(pk=upload.pk))


def test_asking_again_records_the_state_it_resets_from_and_to(good_file, broken_preview):
    upload = validate_upload(upload_id=receive_upload(actor=None, content=good_file, name="g.csv").upload.pk)
    reference = upload.failure_reference

    recheck_upload(actor=None, upload=upload)

    event = AuditEvent.objects.get(verb="check requested again", object_id=str(upload.pk))
    assert event.before == {"status": "failed", "failure_reference": reference}
    assert event.after == {"status": "received", "failure_reference": ""}


@pytest.mark.parametrize("finished", ["valid", "invalid", "failed", "confirmed"])
def test_a_check_delivered_again_leaves_a_finished_upload_as_it_is(good_file, finished):
    upload = receive_upload(actor=None, content=good_file, name="g.csv").upload
    Upload.objects.filter(pk=upload.pk).update(
        status=finished, progress=100, errors=[{"row": 2, "reason": "kept"}], summary={"new": 7}
    )

    checked = validate_upload(upload_id=upload.pk)

    stored = Upload.objects.get(pk=upload.pk)
    assert checked.status == stored.status == finished
    assert (stored.progress, stored.errors, stored.summary) == (
        100,
        [{"row": 2, "reason": "kept"}],
        {"new": 7},
    )
    assert "validated" not in audit_verbs(upload)


def test_the_check_it_again_button_re_queues_the_check(
    client, perf, good_file, broken_preview, django_capture_on_commit_callbacks
):
    upload = validate_upload(upload_id=receive_upload(actor=None, content=good_file, name="g.csv").upload.pk)
    client.force_login(perf)
    page = client.get(reverse("upload-detail", kwargs={"pk": upload.pk})).content.decode()
    assert upload.failure_reference in page and "Check it again" in page
    broken_preview.undo()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("upload-recheck", kwargs={"pk": upload.pk}), follow=True)

    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.VALID
    assert "Checking the file again." in response.content.decode()
    event = AuditEvent.objects.get(verb="check requested again", object_id=str(upload.pk))
    assert event.actor == "perf.team" and event.before["status"] == "failed"


def test_check_it_again_on_a_valid_upload_is_refused_with_the_reason(client, perf, good_file):
    upload = validate_upload(upload_id=receive_upload(actor=None, content=good_file, name="g.csv").upload.pk)
    client.force_login(perf)

    response = client.post(reverse("upload-recheck", kwargs={"pk": upload.pk}), follow=True)

    assert "there is nothing to check again" in response.content.decode()
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.VALID
    assert (
        "Check it again"
        not in client.get(reverse("upload-detail", kwargs={"pk": upload.pk})).content.decode()
    )


def test_check_it_again_is_for_the_performance_team_and_by_post_only(client, good_file, broken_preview):
    upload = validate_upload(upload_id=receive_upload(actor=None, content=good_file, name="g.csv").upload.pk)
    url = reverse("upload-recheck", kwargs={"pk": upload.pk})
    viewer = UserFactory(username="viewer")
    RoleAssignment.objects.create(user=viewer, role=Role.VIEWER)

    assert client.post(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    perf = UserFactory(username="perf.team")
    RoleAssignment.objects.create(user=perf, role=Role.PERFORMANCE_TEAM)
    client.force_login(perf)
    assert client.get(url).status_code == 405
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.FAILED
    assert "check requested again" not in audit_verbs(upload)


def test_the_import_command_says_a_failed_check_plainly_and_checks_again_when_run_again(
    good_file, broken_preview, tmp_path
):
    from django.core.management import CommandError, call_command

    path = tmp_path / "month.csv"
    path.write_bytes(good_file)
    with pytest.raises(CommandError, match="could not be checked \\(reference U"):
        call_command("import_measurements", str(path))
    assert Upload.objects.get().status == "failed"
    assert not Measurement.objects.exists()

    broken_preview.undo()
    call_command("import_measurements", str(path))  # the same bytes: checked again, and confirmed
    assert Upload.objects.get().status == "confirmed"


def test_the_import_command_checks_an_invalid_upload_again_when_run_again(good_file, tmp_path):
    from django.core.management import CommandError, call_command

    from kpis.models import KpiSuiteEntry

    path = tmp_path / "month.csv"
    path.write_bytes(good_file)
    entry = KpiSuiteEntry.objects.get(kpi__code="LOS")
    entry.delete()  # LOS is not in the year's suite: the file is invalid
    with pytest.raises(CommandError, match="errors: nothing was written"):
        call_command("import_measurements", str(path))
    assert Upload.objects.get().status == "invalid"

    KpiSuiteEntry.objects.create(suite=entry.suite, kpi=entry.kpi)  # the catalogue put right
    call_command("import_measurements", str(path))

    upload = Upload.objects.get()
    assert upload.status == "confirmed"
    assert "check requested again" in audit_verbs(upload)
