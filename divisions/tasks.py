"""Background work for the divisions. Thin: the task calls one service and records the run."""

from celery import shared_task

from pmf.services.jobs import run_job

from .services.commentary_reminders import send_commentary_reminders


@shared_task(acks_late=True)
def send_commentary_reminders_task() -> dict[str, object]:
    """The daily reminder of commentary still needed; safe to run twice (each KPI and month once)."""
    with run_job(name="send_commentary_reminders") as job:
        job.result = send_commentary_reminders().as_dict()
    return job.result
