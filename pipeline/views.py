"""What the publish pipeline owes, is doing and has done, for the performance team; and "Owe again"."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divisions.words import request_words
from pmf.feedback import tell
from pmf.formatting import format_month, format_value
from pmf.permissions import can_manage_data, require, signed_in
from pmf.words import TrustWords

from .services.queueing import in_process, owe_again
from .services.runs import MAX_ATTEMPTS, recent_runs
from .steps import STEPS

# What each step reports, in words (a key not listed is shown with its underscores as spaces), the levels as
# placeholders for the trust's words.
LABELS = {
    "series": "charts",
    "points": "points",
    "months": "months rated",
    "divisions": "{divisions}",
    "created": "ratings new",
    "updated": "changed",
    "unchanged": "unchanged",
    "reworded": "explanations reworded",
    "planned": "{divisions} re-planned",
    "month": "month",
    "opened": "cases opened",
    "de_escalated": "de-escalated",
    "dq_raised": "data-quality issues raised",
    "dq_resolved": "data-quality issues resolved",
    "skipped": "skipped",
}


def step_titles(words: TrustWords) -> dict[str, str]:
    """Each step's title in the trust's words, in the order the steps run."""
    return {step.name: words.fill(step.title) for step in STEPS}


def described(results: list[dict[str, Any]] | None, words: TrustWords) -> list[tuple[str, str]]:
    """A run's stored step results as (step title, what it did) lines, in the trust's words."""
    titles = step_titles(words)
    return [
        (
            titles.get(entry["step"], entry["step"]),
            ", ".join(
                f"{words.fill(LABELS.get(key, key.replace('_', ' ')))}: {_shown(key, value)}"
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
    (three queries, the trust's words among them)."""
    words = request_words(request)
    return render(
        request,
        "pipeline/runs.html",
        {
            "runs": [(run, described(run.result, words)) for run in recent_runs()],
            "titles": step_titles(words),
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
