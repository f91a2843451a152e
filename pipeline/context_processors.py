"""Tell the performance team, on every page, when work after a publish is owed or has failed."""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

from pmf.permissions import request_access

from .models import PipelineRun
from .services.queueing import in_process
from .services.runs import MAX_ATTEMPTS, unfinished_runs


@dataclass(frozen=True)
class PipelineNotice:
    waiting: int
    waiting_since: datetime | None
    worker_told: bool
    failed: list[PipelineRun]
    in_process: bool
    max_attempts: int = MAX_ATTEMPTS


def pipeline_status(request: HttpRequest) -> dict[str, object]:
    """``pipeline_notice`` for the performance team when anything is owed or failed (one query)."""
    if not hasattr(request, "user") or not request_access(request).can_manage_data:
        return {}
    runs = unfinished_runs()
    if not runs:
        return {}
    waiting = [r for r in runs if r.status != PipelineRun.Status.FAILED]
    return {
        "pipeline_notice": PipelineNotice(
            waiting=len(waiting),
            waiting_since=waiting[0].created_at if waiting else None,
            worker_told=all(r.queued for r in waiting),
            failed=[r for r in runs if r.status == PipelineRun.Status.FAILED],
            in_process=in_process(),
        )
    }
