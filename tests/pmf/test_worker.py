"""A real Celery worker on a real broker runs the project's tasks against the test database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from pmf.models import JobRun
from pmf.tasks import heartbeat
from tests.pipeline.stray_workers import refuse_stray_workers

needs_broker = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL and not os.environ.get("PMF_REQUIRE_BROKER"),
    reason="needs a Celery broker and a shared database: set CELERY_BROKER_URL and DATABASE_URL (CI does)",
)


@pytest.fixture
def worker(transactional_db, tasks_run_in_process):
    assert settings.CELERY_BROKER_URL, "PMF_REQUIRE_BROKER is set but CELERY_BROKER_URL is not"
    tasks_run_in_process.conf.task_always_eager = False
    tasks_run_in_process.control.purge()  # nothing left over from an earlier run
    refuse_stray_workers(settings.CELERY_BROKER_URL)
    assert connection.vendor == "postgresql", (
        "a worker process cannot share an in-memory SQLite test database"
    )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = os.environ | {"DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "roof",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@needs_broker
def test_worker_runs_a_task_and_records_the_job(worker):
    job_id = heartbeat.delay().get(timeout=120)
    job = JobRun.objects.get(pk=job_id)
    assert (job.name, job.status, job.progress) == ("heartbeat", JobRun.Status.SUCCEEDED, 100)
    assert worker.poll() is None, "the worker should still be running"


def test_without_a_broker_tasks_run_in_process(db, settings):
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured, so tasks are not run in-process (the worker test covers it)")
    assert settings.CELERY_TASK_ALWAYS_EAGER
    started = time.monotonic()
    job_id = heartbeat.delay().get()
    assert JobRun.objects.get(pk=job_id).status == JobRun.Status.SUCCEEDED
    assert time.monotonic() - started < 10


@needs_broker
def test_publishing_queues_the_pipeline_for_the_worker_on_commit(worker):
    """End to end through the broker: the demo publish commits, the worker runs the pipeline, charts first."""
    from demo.services import load_demo_trust
    from kpis.models import SpcSeries
    from pipeline.models import PipelineRun

    load_demo_trust(trust="rwd")
    deadline = time.monotonic() + 180
    while PipelineRun.objects.exclude(status="done").exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert PipelineRun.objects.exists()
    assert not PipelineRun.objects.exclude(status="done").exists()
    assert SpcSeries.objects.filter(kpi__code="AE-4H", org_unit__code="RWD").exists()
    assert JobRun.objects.filter(name="pipeline:spc", status=JobRun.Status.SUCCEEDED).exists()
