"""Escalation's background work: the daily check (evaluation after each publish is the publish pipeline's)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from kpis.selectors.published import latest_published_month
from pmf.services.jobs import run_job

from .services.data_quality import escalate_unresolved_issues
from .services.evaluation import evaluate_escalations
from .services.ladder import check_action_plans


@shared_task(acks_late=True)
def daily_escalation_check() -> dict[str, object]:
    """Send overdue action plans to FPEC, unresolved data-quality issues to the DQAG, and re-evaluate the
    latest published month (cases move with the days, not only with a publish)."""
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
