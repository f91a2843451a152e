"""What the publish pipeline owes, is doing and has done, for the performance team; and "Owe again"."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pmf.feedback import tell
from pmf.permissions import can_manage_data, require, signed_in

from .services import MAX_ATTEMPTS, in_process, owe_again, recent_runs
from .steps import STEPS


@require(can_manage_data)
def pipeline_runs(request: HttpRequest) -> HttpResponse:
    """Every run still owed, running or failed, and the latest finished ones, each with what its steps did
    (two queries)."""
    return render(
        request,
        "pipeline/runs.html",
        {
            "runs": recent_runs(),
            "steps": STEPS,
            "max_attempts": MAX_ATTEMPTS,
            "in_process": in_process(),
        },
    )


@require_POST
@require(can_manage_data)
def pipeline_owe_again(request: HttpRequest, pk: int) -> HttpResponse:
    tell(
        request,
        lambda: owe_again(run_id=pk, actor=signed_in(request)),
        done="Owed again: the charts, ratings, escalations and IPR content follow.",
    )
    return redirect("pipeline-runs")
