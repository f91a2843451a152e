"""The Celery application and the beat schedule, kept in code."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmf.settings")

app = Celery("pmf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Scheduled work is added here as each feature lands, so the schedule is reviewed in code.
app.conf.beat_schedule = {
    "record-heartbeat": {"task": "pmf.tasks.heartbeat", "schedule": crontab(minute="*/15")},
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
        "task": "divisions.tasks.send_commentary_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
}


@worker_process_init.connect
def start_chart_browser(**_: object) -> None:
    """Each worker process starts its chart browser as it starts, in the background, so the first PDF pack it
    prints does not wait for Chromium and plotly.js (PMF_CHART_BROWSER_AT_WORKER_START=0 turns this off)."""
    from django.conf import settings

    if settings.PMF_CHART_BROWSER_AT_WORKER_START:
        from kpis.chart_browser import start_browser_in_background

        start_browser_in_background()
