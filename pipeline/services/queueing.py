"""Owing the publish pipeline a run and telling a worker: after a publish, or a failed run owed again.

The passes themselves are ``pipeline.services.runs``, which the Celery tasks in ``pipeline.tasks`` run. This
is the one service that imports the tasks, so the task module imports the services it runs at the top and
neither imports the other inside a function.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from escalation.services.data_quality import raise_issues_from_warnings
from kpis.models import Upload
from pmf.services.audit import Actor, update_audited
from pmf.services.jobs import send_task

from ..models import PipelineRun
from ..tasks import run_pipeline_task
from .runs import Status, record_run


def owe_run(
    *, reason: str, kpi_ids: list[int] | None = None, first_month: date | None = None, start: str = "spc"
) -> PipelineRun:
    """Record the follow-on work a change owes, in the caller's transaction, and tell a worker once it
    commits (``catch_up`` does it if none can be told)."""
    run = record_run(
        reason=reason, kpi_ids=kpi_ids, first_month=first_month, start=start, queued=in_process()
    )
    transaction.on_commit(lambda: _tell_a_worker(run.pk))
    return run


def in_process() -> bool:
    """Whether background work runs in the process that asks for it (no broker: the embedded default)."""
    return bool(run_pipeline_task.app.conf.task_always_eager)


def _tell_a_worker(run_id: int) -> None:
    if send_task(run_pipeline_task, run_id) and not in_process():
        PipelineRun.objects.filter(pk=run_id).update(queued=True)


def owe_after_publish(
    sender: Any,
    *,
    kpi_ids: list[int] | None,
    first_month: date | None,
    reason: str,
    upload: Upload | None = None,
    actor: Actor = None,
    **kwargs: Any,
) -> None:
    """``kpis.signals.data_published``: a publish, in its transaction, owes the pipeline from the charts on;
    the warnings its team chose to publish over join the data-quality log in the same transaction."""
    if upload is not None and upload.warnings:
        raise_issues_from_warnings(upload=upload, warnings=None, actor=actor)
    owe_run(reason=reason, kpi_ids=kpi_ids, first_month=first_month)


def owe_again(*, run_id: int, actor: Actor) -> PipelineRun:
    """The performance team owes a failed run again once its cause is fixed; a worker is told at once."""
    with transaction.atomic():
        run = PipelineRun.objects.select_for_update().get(pk=run_id)
        if run.status != Status.FAILED:
            raise ValidationError(
                f"This run is {run.get_status_display().lower()}: only a failed run can be owed again."
            )
        update_audited(
            run,
            actor=actor,
            verb="owed again",
            audited=["status", "attempts"],
            status=Status.OWED,
            finished_at=None,
            attempts=0,
            queued=in_process(),
        )
        transaction.on_commit(lambda: _tell_a_worker(run_id))
    return run
