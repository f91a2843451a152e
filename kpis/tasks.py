"""Background work on KPI data. Thin: each task calls one service and records the run."""

from celery import shared_task

from pmf.services.jobs import run_job

from .services.spc import refresh_spc


@shared_task(acks_late=True)
def refresh_spc_task(kpi_ids: list[int] | None = None) -> dict[str, int]:
    """Recompute the stored SPC charts after a publish; safe to run twice (it replaces them)."""
    with run_job(name="refresh_spc", arguments={"kpi_ids": kpi_ids}) as job:
        result = refresh_spc(kpi_ids=kpi_ids)
        job.result = {"series": result.series, "points": result.points}
    return job.result
