"""Pages under load: gunicorn with production settings on loopback, read by a bounded crowd of signed-in
clients.

gunicorn serves the configured database (the large trust, published by part ``pages``) with three workers,
as ``docker compose`` runs it, ``DJANGO_DEBUG=0``. Each client is a thread that asks for the IPR, the SPC
matrix, a division's page and its dashboard at random, one request after another, for the run's length
(60 s; 10 s with ``--quick``), with 10 and then 30 clients. The baseline is the health-check page under the
same crowd: a client in ten asks for it alone, so its times show the queue every request waits in.

It starts gunicorn as a subprocess: a fixed command line on loopback.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess  # nosec B404
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection
from django.test import Client

from bench.large_trust import LargeTrust
from divisions.models import Level, OrgUnit
from pmf.models import User

from . import Measure
from .pages import _publish_trust

CROWDS = (10, 30)
SECONDS = 60
QUICK_SECONDS = 10
WORKERS = 3


@dataclass
class Times:
    seconds: list[float] = field(default_factory=list)
    failures: int = 0

    def p(self, percent: int) -> float:
        return statistics.quantiles(self.seconds, n=100)[percent - 1] if len(self.seconds) > 1 else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _session_cookie() -> str:
    """A signed-in session of the benchmark's reader, stored where the server reads sessions."""
    reader, _ = User.objects.get_or_create(username="bench.exec", defaults={"is_superuser": True})
    client = Client()
    client.force_login(reader)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    # The manifest production reads.
    subprocess.run(collect, env=env, check=True)  # noqa: S603  # nosec B603
    command = [sys.executable, "-m", "gunicorn", "roof.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning"]
    # Fixed arguments.
    server = subprocess.Popen(command, env=env)  # noqa: S603  # nosec B603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(port, "/health/", "")
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer on loopback within 60 s")


def _get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _crowd(port: int, clients: int, seconds: float, pages: list[str], cookie: str) -> tuple[Times, Times]:
    """``clients`` threads reading until the time is up; (the pages' times, the health page's times)."""
    read, health = Times(), Times()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        # Which page to read next, not a secret.
        chooser = random.Random(number)  # nosec B311
        own = health if number % 10 == 0 else read
        while time.monotonic() < deadline:
            path = "/health/" if own is health else chooser.choice(pages)
            started = time.perf_counter()
            status = _get(port, path, cookie)
            took = time.perf_counter() - started
            with lock:
                own.seconds.append(took)
                own.failures += status != 200

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return read, health


def run(trust: LargeTrust, *, quick: bool = False) -> list[Measure]:
    latest: date = _publish_trust(trust)
    division = OrgUnit.objects.filter(parent__code="LT", level=Level.DIVISION).order_by("code").first()
    if division is None:
        print("[load] skipped: needs the large trust, as part pages publishes it")  # noqa: T201
        return []
    month = f"{latest:%Y-%m}"
    pages = [
        f"/ipr/{month}/",
        f"/ipr/{month}/matrix/",
        f"/divisions/{division.code}/",
        f"/divisions/{division.code}/dashboard/",
    ]
    seconds = QUICK_SECONDS if quick else SECONDS
    cookie = _session_cookie()
    port = _free_port()
    server = _start_server(port)
    measures = []
    try:
        for path in pages:  # each page read once, so the stored content is built before the crowd comes
            assert _get(port, path, cookie) == 200, path
        for clients in CROWDS:
            read, health = _crowd(port, clients, seconds, pages, cookie)
            rate = len(read.seconds) / seconds
            what = f"{clients} clients for {seconds} s, the four pages at random ({rate:.1f} requests/s"
            what += f", {read.failures} failed, {len(health.seconds) / seconds:.1f}/s of the health page)"
            for percent in (50, 95):
                measures.append(
                    Measure(
                        part="load",
                        what=f"p{percent}, {what}",
                        seconds=read.p(percent),
                        baseline=f"p{percent} of the health page under the same load",
                        baseline_seconds=health.p(percent),
                        goal="p95 under 500 ms with 30 clients",
                    )
                )
    finally:
        server.terminate()
        server.wait(30)
    return measures
