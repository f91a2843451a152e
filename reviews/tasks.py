"""Background work on ratings. Thin: the task calls one service and records the run."""

from datetime import date

from celery import shared_task

from pmf.services.jobs import run_job

from .ipr_store import warm_latest_ipr_content
from .services.meetings import sync_schedules
from .services.packs import run_pack_deadlines
from .services.ratings import compute_ratings, months_to_rate


@shared_task(acks_late=True)
def compute_ratings_task(from_month: str | None = None) -> dict[str, int]:
    """Rate every division from ``from_month`` (ISO date; default every published month) onwards.

    Runs after each publish; safe to run twice (an unchanged rating is left alone).
    """
    with run_job(name="compute_ratings", arguments={"from_month": from_month}) as job:
        start = date.fromisoformat(from_month) if from_month else None
        result = compute_ratings(months=months_to_rate(start))
        # A changed review frequency re-plans the division's future meetings.
        replanned = sync_schedules()
        # The newest month's draft IPR is built now, not by its first reader.
        warmed = warm_latest_ipr_content()
        job.result = {
            **result.as_dict(),
            "schedules_planned": len(replanned),
            "ipr_content": warmed.isoformat() if warmed else None,
        }
    return job.result


@shared_task(acks_late=True)
def build_ipr_pack_task(report_id: int) -> dict[str, str]:
    """Build the PDF board pack of one IPR; safe to run twice (it replaces the file)."""
    from .models import IprReport
    from .services.ipr_pack import build_ipr_pack

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
