"""Fault injection on PostgreSQL with real Celery workers on Redis: the broker down during a publish, two
publishes of the same month at once from two processes, and a worker killed in the middle of the pipeline.

Each test has a database of its own, copied from one set up once (migrated, with the small trust's first
months published), and runs every publish and worker as a separate process, as production does. Each ends
by comparing what is stored — charts, ratings, IPR content — with what a clean rebuild from the published
data gives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

from .small_trust import LAST_MONTH
from .stray_workers import refuse_stray_workers

pytestmark = pytest.mark.skipif(
    not (settings.CELERY_BROKER_URL and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))
    and not os.environ.get("PMF_REQUIRE_BROKER"),
    reason="needs PostgreSQL and a Celery broker: set DATABASE_URL and CELERY_BROKER_URL (CI does)",
)

ROOT = Path(settings.BASE_DIR)
# The suite's broker, on a database of its own so these tests' workers take none of the suite's messages.
BROKER = urlunsplit(urlsplit(settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0")._replace(path="/13"))
CLOSED_PORT_BROKER = "redis://127.0.0.1:9/0"


def server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin(sql: str) -> None:
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


class Deployment:
    """One database and the processes that work on it."""

    def __init__(self, name: str, tmp: Path) -> None:
        self.name, self.tmp = name, tmp
        self.env = os.environ | {
            "DATABASE_URL": server_url(name),
            "CELERY_BROKER_URL": BROKER,
            "MEDIA_ROOT": str(tmp / "media"),
            "PMF_CHART_BROWSER_AT_WORKER_START": "0",
            "DJANGO_SETTINGS_MODULE": "pmf.settings",
        }
        self.workers: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str, broker: str = BROKER, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 — our own interpreter and manage.py
            [sys.executable, *args],
            env=self.env | {"CELERY_BROKER_URL": broker},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=check,
        )

    def start(self, *args: str, broker: str = BROKER) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, *args],
            env=self.env | {"CELERY_BROKER_URL": broker},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def start_worker(self, *, concurrency: int = 1) -> subprocess.Popen[bytes]:
        pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"--concurrency={concurrency}"]
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "roof",
                "worker",
                *pool,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
                "-n",
                f"{self.name}-{len(self.workers)}@%h",
            ],
            env=self.env,
            cwd=ROOT,
        )
        self.workers.append(worker)
        return worker

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(server_url(self.name), autocommit=True) as connection:
            cursor = connection.execute(sql)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def runs(self) -> list[tuple[str, int, bool]]:
        return self.query("SELECT status, attempts, queued FROM pipeline_pipelinerun ORDER BY id")

    def wait_until_nothing_is_owed(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            statuses = {status for status, _, _ in self.runs()}
            if statuses and statuses <= {"done", "failed"}:
                return
            time.sleep(0.5)
        raise AssertionError(f"the pipeline did not finish: {self.runs()}")

    def upload_file(self, month: str, *, scale: float = 1.0) -> Path:
        path = self.tmp / f"{month}-{scale}.csv"
        self.run("-m", "tests.pipeline.small_trust", "write-upload", month, str(path), str(scale))
        return path

    def stored(self) -> dict:
        return json.loads(self.run("-m", "tests.pipeline.small_trust", "stored").stdout.splitlines()[-1])

    def rebuilt(self) -> dict:
        return json.loads(self.run("-m", "tests.pipeline.small_trust", "rebuilt").stdout.splitlines()[-1])

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()


@pytest.fixture(scope="module")
def template() -> Iterator[str]:
    """A database migrated and holding the small trust with all but its last month published."""
    name = f"pmf_fault_template_{uuid.uuid4().hex[:8]}"
    admin(f'CREATE DATABASE "{name}"')
    try:
        deployment = Deployment(name, Path("."))
        deployment.run("manage.py", "migrate", "--noinput", broker="")
        deployment.run(
            "-m", "tests.pipeline.small_trust", "set-up", broker=""
        )  # in-process, as make run does
        deployment.query("DELETE FROM pipeline_pipelinerun")  # the set-up's own, done: the tests count theirs
        deployment.query("DELETE FROM pmf_jobrun")
        yield name
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def deployment(template, tmp_path) -> Iterator[Deployment]:
    refuse_stray_workers(BROKER)
    name = f"pmf_fault_{uuid.uuid4().hex[:8]}"
    admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    subprocess.run(  # noqa: S603 — nothing left from another test on this broker database
        [sys.executable, "-m", "celery", "-A", "roof", "purge", "-f"],
        env=os.environ | {"CELERY_BROKER_URL": BROKER, "DATABASE_URL": server_url(name)},
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    deployment = Deployment(name, tmp_path)
    try:
        yield deployment
    finally:
        deployment.stop()
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def publish(deployment: Deployment, path: Path, *, broker: str = BROKER) -> subprocess.Popen[str]:
    return deployment.start(
        "manage.py", "import_measurements", str(path), "--publish", "--user", "perf", broker=broker
    )


def test_a_publish_with_the_broker_down_stands_and_catch_up_brings_everything_in_line(deployment):
    before = deployment.stored()
    file = deployment.upload_file(LAST_MONTH)
    started = time.monotonic()
    publishing = publish(deployment, file, broker=CLOSED_PORT_BROKER)
    output, _ = publishing.communicate(timeout=300)
    assert publishing.returncode == 0, output
    assert time.monotonic() - started < 60  # it does not hang on the broker
    assert "Published" in output
    assert deployment.runs() == [("owed", 0, False)]  # the debt was recorded with the publish
    published = f"SELECT count(*) FROM kpis_measurement WHERE month = '{LAST_MONTH}'"  # noqa: S608 — a constant
    assert deployment.query(published)[0][0] > 0
    assert deployment.stored()["series"] == before["series"]  # nothing followed yet

    catch_up = deployment.run("manage.py", "catch_up")
    assert "Ran spc, ratings, schedules, escalations, ipr" in catch_up.stdout
    assert deployment.runs() == [("done", 1, False)]
    after = deployment.stored()
    assert after != before
    assert after == deployment.rebuilt()


def test_two_publishes_of_the_same_month_at_once_end_as_the_later_data(deployment):
    deployment.start_worker(concurrency=2)
    files = [deployment.upload_file(LAST_MONTH, scale=scale) for scale in (1.0, 0.9)]
    publishing = [publish(deployment, file) for file in files]
    outputs = [p.communicate(timeout=300)[0] for p in publishing]
    assert any(
        p.returncode == 0 and "Published" in out for p, out in zip(publishing, outputs, strict=True)
    ), outputs
    deployment.wait_until_nothing_is_owed()
    assert {status for status, _, _ in deployment.runs()} == {"done"}, deployment.runs()
    assert deployment.query(
        "SELECT count(*) FROM pmf_jobrun WHERE status <> 'succeeded' AND name LIKE 'pipeline:%'"
    ) == [(0,)]
    after = deployment.stored()
    assert after == deployment.rebuilt()


def test_a_worker_killed_in_the_middle_of_the_pipeline_is_made_good_when_one_starts(deployment):
    worker = deployment.start_worker()
    time.sleep(3)  # let it start and find nothing owed
    restated = deployment.upload_file(LAST_MONTH, scale=0.8)
    publishing = publish(deployment, restated)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if deployment.query(
            "SELECT count(*) FROM pmf_jobrun WHERE status = 'running' AND name LIKE 'pipeline:%'"
        )[0][0]:
            break
        assert publishing.poll() in (None, 0), publishing.communicate()[0]
        time.sleep(0.005)
    else:
        raise AssertionError(f"the pipeline never started: {deployment.runs()}")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert publishing.wait(timeout=300) == 0
    assert [status for status, _, _ in deployment.runs()] == ["running"]  # orphaned, as the probe found

    deployment.start_worker()  # it looks for owed work as it starts
    deployment.wait_until_nothing_is_owed()
    assert deployment.runs() == [("done", 2, True)]
    killed = deployment.query(
        "SELECT message FROM pmf_jobrun WHERE status = 'failed' AND name LIKE 'pipeline:%'"
    )
    assert killed and "worker stopped" in killed[0][0]
    assert deployment.query("SELECT count(*) FROM pmf_jobrun WHERE status = 'running'") == [(0,)]
    assert deployment.stored() == deployment.rebuilt()
