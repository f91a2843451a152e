"""Named locks that serialise work across processes: PostgreSQL advisory locks.

Two workers, or a worker and a command, must never rebuild the same stored results at once (the SPC refresh
deletes and re-inserts a KPI's charts; two at once collide on its unique constraint). An advisory lock is
held by the database session, so it is released when its holder's connection ends, even when the holder is
killed: a lock never outlives a dead worker.

SQLite, the embedded default, has no advisory locks; it lets one writer in at a time and runs background
work in-process, so ``hold`` there only reports that the lock is not exclusive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (advisory locks are keyed by a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def hold(name: str) -> Iterator[bool]:
    """Hold the lock ``name`` for the block, waiting for any other holder; yields whether it is exclusive.

    Session-level, so it spans the transactions inside the block. Use it outside any transaction: work done
    under it commits as it goes, and what a later holder reads is what this one committed.
    """
    if connection.vendor != "postgresql":
        yield False
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def lock_until_commit(name: str) -> None:
    """Take the lock ``name`` until the surrounding transaction ends, waiting for any other holder
    (no-op outside PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(name)])
