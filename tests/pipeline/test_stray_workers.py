"""The worker tests name a Celery worker they did not start that consumes from their broker database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from .stray_workers import consumers, refuse_stray_workers

pytestmark = pytest.mark.skipif(
    not (settings.CELERY_BROKER_URL and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))
    and not os.environ.get("PMF_REQUIRE_BROKER"),
    reason="needs PostgreSQL and a Celery broker: set DATABASE_URL and CELERY_BROKER_URL (CI does)",
)


def test_a_worker_the_test_did_not_start_is_named_before_the_test_starts_its_own(transactional_db):
    broker = settings.CELERY_BROKER_URL
    assert broker, "PMF_REQUIRE_BROKER is set but CELERY_BROKER_URL is not"
    refuse_stray_workers(broker)  # none yet: the suite's own workers are stopped after their tests

    db = connection.settings_dict
    stray = subprocess.Popen(  # noqa: S603 — our own interpreter: a worker as `make worker` starts one
        [sys.executable, "-m", "celery", "-A", "roof", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=os.environ
        | {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": broker,
            "PMF_CHART_BROWSER_AT_WORKER_START": "0",
        },
        cwd=settings.BASE_DIR,
    )
    try:
        deadline = time.monotonic() + 180  # loading Django takes a while on a busy machine
        while not consumers(broker) and stray.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert stray.poll() is None, "the worker should have started"
        with pytest.raises(pytest.fail.Exception) as refused:
            refuse_stray_workers(broker)
        message = str(refused.value)
        assert "a Celery worker not started by this test is consuming from Redis database" in message
        assert "pgrep -af 'celery.*worker'" in message
    finally:
        stray.terminate()
        stray.wait(timeout=60)

    deadline = time.monotonic() + 30
    while consumers(broker) and time.monotonic() < deadline:
        time.sleep(0.2)
    refuse_stray_workers(broker)  # gone with its process
