"""Recording background work in ``JobRun`` so pages can show progress and outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from pmf.models import JobRun


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
