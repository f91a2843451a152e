"""Background work on the Board's priorities. Thin: each task calls one service and records the run."""

from celery import shared_task

from pmf.services.jobs import run_job

from .services.reminders import send_priority_reminders


@shared_task(acks_late=True)
def send_priority_reminders_task() -> dict[str, object]:
    """The daily reminder of missing monthly updates; safe to run twice (each priority and month once)."""
    with run_job(name="send_priority_reminders") as job:
        job.result = send_priority_reminders().as_dict()
    return job.result
