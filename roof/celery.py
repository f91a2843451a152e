"""The Celery application and the beat schedule, kept in code."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmf.settings")

app = Celery("pmf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Scheduled work is added here as each feature lands, so the schedule is reviewed in code.
app.conf.beat_schedule = {
    "record-heartbeat": {"task": "pmf.tasks.heartbeat", "schedule": crontab(minute="*/15")},
    # Whatever a publish still owes (its worker could not be told, or died), and jobs whose worker died.
    "pipeline-catch-up": {"task": "pipeline.tasks.catch_up_task", "schedule": crontab(minute="*/5")},
    # PRM data packs: build those due, circulate at −2 days, flag late ones (DESIGN §4.6).
    "run-pack-deadlines": {
        "task": "reviews.tasks.run_pack_deadlines_task",
        "schedule": crontab(hour=6, minute=0),
    },
    # Overdue action plans to FPEC, unresolved data-quality issues to the DQAG (DESIGN §4.7).
    "escalation-daily-check": {
        "task": "escalation.tasks.daily_escalation_check",
        "schedule": crontab(hour=6, minute=30),
    },
    # Off-plan key KPIs still without commentary: remind the division, once per KPI and month (DESIGN §3).
    "commentary-reminders": {
        "task": "reviews.tasks.send_commentary_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # The Board's priorities without the month's update: remind the owner, once per month (DESIGN §9).
    "priority-update-reminders": {
        "task": "strategy.tasks.send_priority_reminders_task",
        "schedule": crontab(hour=7, minute=10),
    },
}


@worker_ready.connect
def catch_up_at_start(sender: object = None, **_: object) -> None:
    """A worker that starts (or restarts after dying) first looks for work owed, so nothing waits for beat."""
    from pipeline.tasks import catch_up_task

    catch_up_task.delay()


@worker_process_init.connect
def start_chart_browser(**_: object) -> None:
    """Each worker process starts its chart browser as it starts, in the background, so the first PDF pack it
    prints does not wait for Chromium and plotly.js (PMF_CHART_BROWSER_AT_WORKER_START=0 turns this off)."""
    from django.conf import settings

    if settings.PMF_CHART_BROWSER_AT_WORKER_START:
        from kpis.chart_browser import start_browser_in_background

        start_browser_in_background()
