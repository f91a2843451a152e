"""What the publish pipeline owes, is doing and has done, for the performance team; and "Owe again"."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pmf.feedback import tell
from pmf.formatting import format_month, format_value
from pmf.permissions import can_manage_data, require, signed_in

from .services import MAX_ATTEMPTS, in_process, owe_again, recent_runs
from .steps import STEPS

# What each step reports, in words (a key not listed is shown with its underscores as spaces).
LABELS = {
    "series": "charts",
    "points": "points",
    "months": "months rated",
    "divisions": "divisions",
    "created": "ratings new",
    "updated": "changed",
    "unchanged": "unchanged",
    "reworded": "explanations reworded",
    "planned": "divisions re-planned",
    "month": "month",
    "opened": "cases opened",
    "de_escalated": "de-escalated",
    "dq_raised": "data-quality issues raised",
    "dq_resolved": "data-quality issues resolved",
    "skipped": "skipped",
}
TITLES = {step.name: step.title for step in STEPS}


def described(results: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    """A run's stored step results as (step title, what it did) lines."""
    return [
        (
            TITLES.get(entry["step"], entry["step"]),
            ", ".join(
                f"{LABELS.get(key, key.replace('_', ' '))}: {_shown(key, value)}"
                for key, value in entry["result"].items()
            ),
        )
        for entry in results or []
    ]


def _shown(key: str, value: object) -> str:
    if key == "month" and isinstance(value, str):
        return format_month(date.fromisoformat(value))
    return format_value(value, "count") if isinstance(value, int) else str(value)


@require(can_manage_data)
def pipeline_runs(request: HttpRequest) -> HttpResponse:
    """Every run still owed, running or failed, and the latest finished ones, each with what its steps did
    (two queries)."""
    return render(
        request,
        "pipeline/runs.html",
        {
            "runs": [(run, described(run.result)) for run in recent_runs()],
            "steps": STEPS,
            "titles": TITLES,
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
