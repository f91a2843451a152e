"""Background work on packs, the IPR and its commentary. Thin: each task calls one service, records the run.

Ratings, schedules and the IPR content follow each publish through the publish pipeline (`pipeline/`)."""

from datetime import date
from typing import Any

from celery import shared_task

from pmf.services.jobs import run_job, send_task

from .services.commentary_reminders import send_commentary_reminders
from .services.packs import run_pack_deadlines
from .services.printing import print_owed


@shared_task(acks_late=True)
def print_pdf_task(job_id: int) -> dict[str, str] | None:
    """Print and store the PDF a JobRun owes (a data pack or a board pack); safe to run twice."""
    return print_owed(job_id).result


def send_print(sender: Any, *, job_id: int, **kwargs: Any) -> None:
    """``pdf_owed``: tell a worker to print (in-process when there is no broker). What cannot be sent stays
    owed in its JobRun, which ``catch_up`` marks failed in time, so the page offers to print it again."""
    send_task(print_pdf_task, job_id)


@shared_task(acks_late=True)
def run_pack_deadlines_task(today: str | None = None) -> dict[str, list[int]]:
    """The daily pack job: build due packs, circulate at −2 days, flag late ones. Safe to run twice."""
    with run_job(name="run_pack_deadlines", arguments={"today": today}) as job:
        result = run_pack_deadlines(today=date.fromisoformat(today) if today else None)
        job.result = result.as_dict()
    return job.result


@shared_task(acks_late=True)
def send_commentary_reminders_task() -> dict[str, object]:
    """The daily reminder of commentary still needed; safe to run twice (each KPI and month once)."""
    with run_job(name="send_commentary_reminders") as job:
        job.result = send_commentary_reminders().as_dict()
    return job.result
