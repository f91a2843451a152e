"""Core scheduled tasks."""

from celery import shared_task

from pmf.services.jobs import run_job


@shared_task(acks_late=True)
def heartbeat() -> int:
    """Proves the worker and beat are alive; the admin shows the latest run."""
    with run_job(name="heartbeat") as job:
        job.message = "Worker is alive."
    return job.pk
