"""PDFs owed: a request records that a pack is to be printed and returns at once; a worker prints it.

A print is a ``JobRun`` (`pmf.services.jobs`), created ``running`` in the asker's transaction with what to
print in its arguments. Once that commits, ``pdf_owed`` is sent and `reviews.tasks` hands the job to a worker
(in-process when there is no broker), which prints and stores the file (`reviews.services.printing`). Pages
read the latest print of their pack: printing, failed (with "Print again"), or done, with the stored file.
A print whose worker died is marked failed by ``catch_up`` after the longest a job may take.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from pmf.models import JobRun

PACK_PRINT = "print_pack"  # arguments: pack_id
BOARD_PACK_PRINT = "build_ipr_pack"  # arguments: report_id

pdf_owed = Signal()  # job_id: the JobRun to print, sent after the commit that owes it


def owe_pdf(name: str, **arguments: int) -> JobRun:
    """Record in the caller's transaction that a PDF is owed, and tell a worker once it commits."""
    job = JobRun.objects.create(name=name, arguments=arguments, message="Printing")
    transaction.on_commit(lambda: pdf_owed.send(sender=JobRun, job_id=job.pk))
    return job


def latest_print(name: str, **arguments: int) -> JobRun | None:
    """The last print asked for of this PDF, whatever became of it."""
    key, value = next(iter(arguments.items()))
    return (
        JobRun.objects.filter(name=name, **{f"arguments__{key}": value})
        .order_by("-started_at", "-id")
        .first()
    )
