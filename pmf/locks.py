"""Named locks that serialise work across processes: PostgreSQL advisory locks.

Two workers, or a worker and a command, must never rebuild the same stored results at once (the SPC refresh
deletes and re-inserts a KPI's charts; two at once collide on its unique constraint). An advisory lock is
held by the database session, so it is released when its holder's connection ends, even when the holder is
killed: a lock never outlives a dead worker.

SQLite, the embedded default, has no advisory locks; it lets one writer in at a time and runs background
work in the serving process, so there a lock of this process stands in.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (advisory locks are keyed by a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


_IN_PROCESS: dict[str, threading.Lock] = {}


@contextmanager
def try_hold(name: str) -> Iterator[bool]:
    """Hold the lock ``name`` for the block if no one else holds it; yields whether it was taken.

    Session-level on PostgreSQL, so it spans the transactions inside the block and is released when the
    holder's connection ends, even if the holder is killed. Elsewhere (SQLite, whose background work runs
    in the serving process) a lock of this process stands in for it, so two request threads never both
    hold it.
    """
    if connection.vendor == "postgresql":
        key = lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            taken = bool(cursor.fetchone()[0])
        try:
            yield taken
        finally:
            if taken:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    lock = _IN_PROCESS.setdefault(name, threading.Lock())
    taken = lock.acquire(blocking=False)
    try:
        yield taken
    finally:
        if taken:
            lock.release()


def is_exclusive_across_processes() -> bool:
    """Whether ``try_hold`` excludes other processes too (PostgreSQL), not only this one's threads."""
    return connection.vendor == "postgresql"


def lock_until_commit(name: str) -> None:
    """Take the lock ``name`` until the surrounding transaction ends, waiting for any other holder
    (no-op outside PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(name)])
