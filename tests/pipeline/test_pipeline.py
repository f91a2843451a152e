"""The publish pipeline in one process: what a publish owes, how it is done, and how it catches up."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis.models import Measurement, SpcSeries
from pipeline.models import PipelineRun
from pmf.models import AuditEvent, JobRun, User
from reviews.models import Criterion

from .small_trust import LAST_MONTH as LAST
from .small_trust import publish, rebuilt, stored

pytestmark = pytest.mark.django_db


def latest_chart_month():
    return SpcSeries.objects.order_by("-latest_month").values_list("latest_month", flat=True).first()


def steps(run):
    return [step["step"] for step in run.result]


def test_a_publish_owes_one_run_in_its_transaction_and_the_commit_does_it(
    small_trust, django_capture_on_commit_callbacks
):
    before = latest_chart_month()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(small_trust, [LAST])
        run = PipelineRun.objects.get(status="owed")  # written with the measurements
    assert latest_chart_month() == before  # nothing done before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    run.refresh_from_db()
    assert (run.status, run.queued, run.attempts) == ("done", True, 1)
    assert steps(run) == ["spc", "ratings", "schedules", "escalations", "ipr"]
    assert run.result[-1]["result"]["month"] == LAST
    assert str(latest_chart_month()) == LAST
    assert set(JobRun.objects.filter(name__startswith="pipeline:").values_list("status", flat=True)) == {
        "succeeded"
    }
    assert stored() == rebuilt()


def test_with_the_broker_down_the_publish_stands_says_so_and_catch_up_does_the_rest(
    small_trust, unreachable_broker, django_capture_on_commit_callbacks, client, caplog
):
    before = latest_chart_month()
    with django_capture_on_commit_callbacks(execute=True):
        publish(small_trust, [LAST])
    run = PipelineRun.objects.get()
    assert (run.status, run.queued) == ("owed", False)
    assert Measurement.objects.filter(month=LAST, status="published").exists()  # the publish stands
    assert latest_chart_month() == before
    assert "Could not queue" in caplog.text

    client.force_login(User.objects.get(username="perf"))
    assert "background worker could not be reached" in client.get(reverse("home")).content.decode()

    unreachable_broker.conf.task_always_eager = True
    call_command("catch_up")
    run.refresh_from_db()
    assert run.status == "done"
    assert str(latest_chart_month()) == LAST
    assert stored() == rebuilt()
    assert "pipeline-notice" not in client.get(reverse("home")).content.decode()


def test_a_failing_step_is_recorded_shown_and_done_again_by_catch_up(
    small_trust, settings, django_capture_on_commit_callbacks, client
):
    settings.PMF_RAISE_BACKGROUND_ERRORS = False
    removed = Criterion.objects.order_by("pk").last()
    removed.delete()  # three criteria of four: the ratings refuse to run on a half-made set
    with django_capture_on_commit_callbacks(execute=True):
        publish(small_trust, [LAST])
    run = PipelineRun.objects.get()
    assert run.status == "failed"
    assert run.message.startswith("The ratings step failed")
    assert str(latest_chart_month()) == LAST  # the step before it stands
    assert steps(run) == ["spc"]
    client.force_login(User.objects.get(username="perf"))
    page = client.get(reverse("home")).content.decode()
    assert "Work after a change to published data failed" in page
    client.force_login(User.objects.get_or_create(username="someone")[0])
    assert "pipeline-notice" not in client.get(reverse("home")).content.decode()

    Criterion.objects.bulk_create([removed])
    call_command("catch_up")
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)
    assert stored() == rebuilt()


def test_a_run_whose_worker_died_is_owed_again_and_its_job_marked_failed(small_trust):
    long_ago = timezone.now() - timedelta(hours=3)
    run = PipelineRun.objects.create(reason="upload 1 published", status="running", attempts=1)
    PipelineRun.objects.filter(pk=run.pk).update(started_at=long_ago)
    job = JobRun.objects.create(name="pipeline:spc", arguments={"runs": [run.pk]})
    JobRun.objects.filter(pk=job.pk).update(started_at=long_ago)
    call_command("catch_up")
    run.refresh_from_db()
    job.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)
    assert job.status == "failed"
    assert "worker stopped" in job.message


def test_the_ratings_command_runs_the_pipeline_from_ratings(small_trust, capsys):
    call_command("compute_ratings")
    run = PipelineRun.objects.get()
    assert (run.status, run.start_step) == ("done", "ratings")
    assert steps(run) == ["ratings", "schedules", "escalations", "ipr"]
    assert "ratings:" in capsys.readouterr().out


def test_the_charts_command_refuses_an_unknown_kpi_and_writes_nothing(small_trust):
    with pytest.raises(CommandError, match="No KPI with the code NOPE"):
        call_command("refresh_spc", "--kpi", "NOPE")
    assert not PipelineRun.objects.exists()


def test_catch_up_with_nothing_owed_says_so(small_trust, capsys):
    call_command("catch_up")
    assert "Nothing is owed" in capsys.readouterr().out


def test_a_trust_with_no_rating_criteria_yet_still_gets_its_charts_escalations_and_ipr_content(
    small_trust, django_capture_on_commit_callbacks
):
    Criterion.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        publish(small_trust, [LAST])
    run = PipelineRun.objects.get()
    assert run.status == "done"
    assert run.result[1] == {
        "step": "ratings",
        "result": {"skipped": "no rating criteria are set up yet, so no division is rated"},
    }
    assert steps(run) == ["spc", "ratings", "schedules", "escalations", "ipr"]


def test_a_run_that_keeps_killing_its_worker_is_given_up_after_its_attempts(small_trust):
    long_ago = timezone.now() - timedelta(hours=3)
    run = PipelineRun.objects.create(reason="upload 1 published", status="running", attempts=3)
    PipelineRun.objects.filter(pk=run.pk).update(started_at=long_ago)
    call_command("catch_up")
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("failed", 3)
    assert "stopped during this run, 3 times" in run.message


def test_the_performance_team_sees_every_run_and_owes_a_failed_one_again(
    small_trust, client, django_capture_on_commit_callbacks
):
    run = PipelineRun.objects.create(
        reason="upload 7 published", status="failed", attempts=3, finished_at=timezone.now(), message="boom"
    )
    perf = User.objects.get(username="perf")
    client.force_login(perf)
    page = client.get(reverse("pipeline-runs")).content.decode()
    assert "upload 7 published" in page and "Owe again" in page and "Not tried again by itself" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pipeline-owe-again", args=[run.pk]), follow=True)
    assert "Owed again" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 1)  # done at once: background work runs in-process here
    event = AuditEvent.objects.get(verb="owed again", object_id=str(run.pk))
    assert (event.actor, event.before["status"], event.after["status"]) == ("perf", "failed", "owed")
    response = client.post(reverse("pipeline-owe-again", args=[run.pk]), follow=True)
    assert "only a failed run can be owed again" in response.content.decode()
    assert AuditEvent.objects.filter(verb="owed again").count() == 1


def test_the_runs_page_takes_two_queries_beyond_the_session_whatever_the_runs(
    small_trust, client, django_assert_num_queries
):
    client.force_login(User.objects.get(username="perf"))
    client.get(reverse("pipeline-runs"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("pipeline-runs"))
    for n in range(30):
        PipelineRun.objects.create(reason=f"upload {n}", status="done", finished_at=timezone.now(), result=[])
    with django_assert_num_queries(len(few)):
        client.get(reverse("pipeline-runs"))
