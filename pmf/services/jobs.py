"""Recording background work in ``JobRun`` so pages can show progress and outcomes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from pmf.models import JobRun

logger = logging.getLogger(__name__)


@contextmanager
def run_job(*, name: str, arguments: dict[str, Any] | None = None) -> Iterator[JobRun]:
    """Record a job from start to finish; a failure is recorded and then re-raised."""
    with carry_out(JobRun.objects.create(name=name, arguments=arguments or {})) as job:
        yield job


@contextmanager
def carry_out(job: JobRun) -> Iterator[JobRun]:
    """Do a job already recorded as owed (``running`` since it was asked for): a failure is recorded and
    then re-raised; success is recorded at 100 %."""
    try:
        yield job
    except Exception as error:
        job.status, job.message = JobRun.Status.FAILED, f"{type(error).__name__}: {error}"
        job.finished_at = timezone.now()
        job.save()
        raise
    job.status, job.progress, job.finished_at = JobRun.Status.SUCCEEDED, 100, timezone.now()
    job.save()


def report_progress(job: JobRun, percent: int, message: str = "") -> None:
    job.progress = max(0, min(100, percent))
    job.message = message or job.message
    job.save(update_fields=["progress", "message"])


def send_task(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Send ``task`` to the workers now; False (logged) when it cannot be sent.

    Work sent this way happens after a commit, so nothing here may hang or fail: it does not wait or retry,
    and it asks for no result (its caller records the outcome in the database: a ``JobRun``, a
    ``PipelineRun``, an upload), since asking for one makes Celery first reach the result store, which with
    Redis down waits about 20 seconds and then raises. What could not be sent stays owed, in the caller's
    own record, until ``catch_up`` or the person who asked sends it again.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False, ignore_result=True)
    except Exception as error:  # any failure to send: the broker, the network, a refused connection
        if task.app.conf.task_always_eager and settings.PMF_RAISE_BACKGROUND_ERRORS:
            raise  # run in-process, so this is the task's own failure: tests must see it
        logger.warning("Could not queue %s: %s", task.name, error, exc_info=True)
        return False
    return True


def fail_stale_jobs(*, older_than: timedelta, names: Iterable[str] | None = None) -> int:
    """Mark as failed the runs still "running" long after any job could take: their worker stopped."""
    stale = JobRun.objects.filter(status=JobRun.Status.RUNNING, started_at__lt=timezone.now() - older_than)
    if names is not None:
        stale = stale.filter(name__in=list(names))
    return stale.update(
        status=JobRun.Status.FAILED,
        finished_at=timezone.now(),
        message="The worker stopped before this job finished; its work is owed again.",
    )
