"""Escalation's background work: evaluation after each publish, and the daily check."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from pmf.periods import parse_month
from pmf.services.jobs import run_job


@shared_task(acks_late=True)
def evaluate_escalations_task(month: str | None = None) -> dict[str, object]:
    """Evaluate cases for ``month`` (YYYY-MM or an ISO date; default: the latest published month)."""
    from .selectors import latest_published_month
    from .services.evaluation import evaluate_escalations

    with run_job(name="evaluate_escalations", arguments={"month": month}) as job:
        wanted = parse_month(month) if month else latest_published_month()
        job.result = {"month": None} if wanted is None else evaluate_escalations(month=wanted).as_dict()
    return job.result


@shared_task(acks_late=True)
def daily_escalation_check() -> dict[str, object]:
    """Send overdue action plans to FPEC, unresolved data-quality issues to the DQAG, and re-evaluate the
    latest published month (which also catches an evaluation that ran before its SPC refresh finished)."""
    from .selectors import latest_published_month
    from .services.data_quality import escalate_unresolved_issues
    from .services.evaluation import evaluate_escalations
    from .services.ladder import check_action_plans

    with run_job(name="daily_escalation_check") as job:
        today = timezone.localdate()
        latest = latest_published_month()
        evaluation = evaluate_escalations(month=latest).as_dict() if latest else {}
        job.result = {
            "plans_overdue": len(check_action_plans(today=today)),
            "dq_escalated": len(escalate_unresolved_issues(today=today)),
            "evaluation": evaluation,
        }
    return job.result
