"""Background work on KPI data. Thin: each task calls one service and records the run.

What follows a publish (the charts first) is the publish pipeline's (`pipeline/`)."""

from celery import shared_task

from pmf.services.jobs import run_job

from .services.submission import validate_upload


@shared_task(acks_late=True)
def validate_upload_task(upload_id: int) -> dict[str, object]:
    """Check an uploaded file; it writes no measurements, so a re-run after a crash is safe.

    An unexpected error does not fail the task: the service marks the upload failed and
    logs it, and the run records the reference the upload page shows.
    """
    with run_job(name="validate_upload", arguments={"upload_id": upload_id}) as job:
        upload = validate_upload(upload_id=upload_id)
        job.result = {"status": upload.status, "errors": len(upload.errors), "warnings": len(upload.warnings)}
        if upload.failure_reference:
            job.result["reference"] = upload.failure_reference
            job.message = (
                f"The check failed unexpectedly: reference {upload.failure_reference} in the error log."
            )
    return job.result
