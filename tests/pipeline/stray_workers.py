"""A Celery worker that no test started, consuming from the broker database a worker test is about to use.

Such a worker (a `make worker` left running, another run's worker on the same Redis database) takes the test's
messages and runs them against its own database and settings, and the test fails later and obscurely: a task
whose result never comes, a pipeline that never finishes. The worker tests ask before they start their own
workers, and stop with a message that says what is there and how to find it.

Redis says who is connected to which of its databases: a Celery worker is blocked in BRPOP on its queues
(flag ``b``) and pattern-subscribed to its remote-control channel (``psub``). Neither is done by the tests'
own process, which only sends tasks and waits on their results (a plain subscription).
"""

from __future__ import annotations

from urllib.parse import urlsplit


def consumers(broker_url: str) -> list[dict[str, str]]:
    """The Redis clients consuming as a Celery worker does from ``broker_url``'s database."""
    import redis

    database = int(urlsplit(broker_url).path.strip("/") or 0)
    with redis.Redis.from_url(broker_url) as client:
        clients = client.client_list()
    return [
        c
        for c in clients
        if int(c["db"]) == database
        and ("b" in c["flags"] or c["cmd"] in {"brpop", "blpop"} or int(c.get("psub", 0)) > 0)
    ]


def refuse_stray_workers(broker_url: str) -> None:
    """Fail the test, saying why, if a worker it did not start consumes from ``broker_url``'s database."""
    import pytest

    if found := consumers(broker_url):
        where = urlsplit(broker_url)
        database = f"Redis database {where.path.strip('/') or 0} at {where.hostname}:{where.port or 6379}"
        listed = "; ".join(f"{c['addr']} (connected {c['age']} s ago, last {c['cmd']})" for c in found)
        pytest.fail(
            f"a Celery worker not started by this test is consuming from {database}: {listed}. It would "
            "take the test's messages. Stop it (`pgrep -af 'celery.*worker'`; `ss -tnp` names the process "
            "behind each address) or give the run a Redis database of its own (CELERY_BROKER_URL).",
            pytrace=False,
        )
