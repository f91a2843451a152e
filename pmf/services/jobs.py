"""Recording background work in ``JobRun`` so pages can show progress and outcomes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from pmf.models import JobRun

logger = logging.getLogger(__name__)


@contextmanager
def run_job(*, name: str, arguments: dict[str, Any] | None = None) -> Iterator[JobRun]:
    """Record a job from start to finish; a failure is recorded and then re-raised."""
    job = JobRun.objects.create(name=name, arguments=arguments or {})
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
    """Send ``task`` to the workers now; False (logged) when the broker cannot be reached.

    It does not wait or retry: a publish that has committed must not hang on the broker nor fail after the
    fact. What a task would have done is recorded as owed by its caller, and ``catch_up`` does it later.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except (OperationalError, OSError) as error:  # kombu's connection errors, or the socket's own
        logger.warning("Could not queue %s: %s (it stays owed until catch_up runs)", task.name, error)
        return False
    return True


def send_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` once the current transaction commits (see ``send_task``)."""
    transaction.on_commit(lambda: send_task(task, *args, **kwargs))


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
