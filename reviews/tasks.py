"""Background work on packs, the IPR and its commentary. Thin: each task calls one service, records the run.

Ratings, schedules and the IPR content follow each publish through the publish pipeline (`pipeline/`)."""

from datetime import date

from celery import shared_task

from pmf.services.jobs import run_job

from .models import IprReport
from .services.commentary_reminders import send_commentary_reminders
from .services.ipr_pack import build_ipr_pack
from .services.packs import run_pack_deadlines


@shared_task(acks_late=True)
def build_ipr_pack_task(report_id: int) -> dict[str, str]:
    """Build the PDF board pack of one IPR; safe to run twice (it replaces the file)."""
    with run_job(name="build_ipr_pack", arguments={"report_id": report_id}) as job:
        report = build_ipr_pack(report=IprReport.objects.get(pk=report_id))
        job.result = {"month": report.month.isoformat(), "pdf": report.pdf.name}
    return job.result


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
