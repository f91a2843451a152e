"""A worker prints an owed PDF (`reviews.services.pdf_jobs`) and stores it with its pack."""

from __future__ import annotations

from collections.abc import Callable

from pmf.models import JobRun
from pmf.services.jobs import carry_out

from ..models import DataPack, IprReport
from .ipr_pack import build_ipr_pack
from .packs import store_pack_pdf
from .pdf_jobs import BOARD_PACK_PRINT, PACK_PRINT


def _print_pack(arguments: dict[str, int]) -> dict[str, str]:
    pack = DataPack.objects.select_related("meeting__division").get(pk=arguments["pack_id"])
    return {"pdf": str(store_pack_pdf(pack).pdf.name)}


def _print_board_pack(arguments: dict[str, int]) -> dict[str, str]:
    report = build_ipr_pack(report=IprReport.objects.get(pk=arguments["report_id"]))
    return {"month": report.month.isoformat(), "pdf": str(report.pdf.name)}


PRINTERS: dict[str, Callable[[dict[str, int]], dict[str, str]]] = {
    PACK_PRINT: _print_pack,
    BOARD_PACK_PRINT: _print_board_pack,
}


def print_owed(job_id: int) -> JobRun:
    """Print the PDF ``job_id`` owes, from its pack as it stands now, and record the outcome in the job.

    Safe to run twice: a job already finished is left alone, and a print replaces the stored file. A failure
    is recorded (the page offers "Print again") and re-raised."""
    job = JobRun.objects.get(pk=job_id)
    if job.status != JobRun.Status.RUNNING:
        return job
    with carry_out(job):
        job.result = PRINTERS[job.name](job.arguments)
        job.message = "Printed"
    return job
