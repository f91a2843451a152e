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


@shared_task(acks_late=True)
def validate_upload_task(upload_id: int) -> dict[str, object]:
    """Check an uploaded file; it writes no measurements, so a re-run after a crash is safe."""
    from .services.submission import validate_upload

    with run_job(name="validate_upload", arguments={"upload_id": upload_id}) as job:
        upload = validate_upload(upload_id=upload_id)
        job.result = {"status": upload.status, "errors": len(upload.errors), "warnings": len(upload.warnings)}
    return job.result
