"""Data sets loaded once a test session and lent to the test modules and tests that stand on them.

Loading the demonstration trust through the real services costs the best part of a minute of processor time,
and a score of test modules and the browser journeys stand on it. Each data set (the demo trust, the demo
without its latest month, the small world …) is loaded at most once a session, on a copy of the freshly
migrated test database, committed, and kept as a copy of its own. A module or a test borrows it:

- on SQLite (an in-memory test database) the copy's pages are written into the test database with SQLite's
  backup API, and what the test database held before is written back when it is given back;
- on PostgreSQL each copy is a database; the connection is pointed at it while it is borrowed, or at a
  database made from it as a template when the test commits (a browser test, whose live server reads what
  was committed). The live server's threads connect with the same settings, so they see it too.

Either way the test database holds what it held before once the data set is given back, and the load went
through the same services, with the same settings, as when each module loaded its own.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from django.db import connection, transaction
from django.db.backends.signals import connection_created

T = TypeVar("T")
DataSet = tuple[str, Callable[[], Any]]  # a data set's name and its load
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SERVER = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}  # psycopg's names: Django's

# Every connection this process opens. A thread can hold more than one: the browser tests' sync Playwright
# runs code in contexts of its own, each with its own connection, and closing ``connection`` closes only the
# current context's. One left open would still be on a copy given back (and dropped) after its test.
_OPENED: weakref.WeakSet[Any] = weakref.WeakSet()


def _remember(sender: Any, connection: Any, **kwargs: Any) -> None:
    _OPENED.add(connection)


connection_created.connect(_remember, weak=False, dispatch_uid="tests.data_sets.remember")


class Copies(Protocol):
    def save(self) -> Any: ...
    def holding(self, saved: Any, *, writable: bool) -> Any: ...
    def close(self) -> None: ...


class SqliteCopies:
    """Copies of the in-memory SQLite test database, each an in-memory database of its own."""

    def __init__(self) -> None:
        self.kept: list[sqlite3.Connection] = []

    def _test_database(self) -> sqlite3.Connection:
        assert not connection.in_atomic_block, "a data set is lent outside any transaction"
        connection.ensure_connection()
        return connection.connection

    def save(self) -> sqlite3.Connection:
        """A copy of what the test database holds now."""
        saved = sqlite3.connect(":memory:", check_same_thread=False)
        self._test_database().backup(saved)
        self.kept.append(saved)
        return saved

    @contextmanager
    def holding(self, saved: sqlite3.Connection, *, writable: bool) -> Iterator[None]:
        """The test database holds the copy's data inside the block (the copy itself is never written)."""
        before = sqlite3.connect(":memory:")
        self._test_database().backup(before)
        try:
            saved.backup(self._test_database())
            yield
        finally:
            before.backup(self._test_database())
            before.close()

    def close(self) -> None:
        for saved in self.kept:
            saved.close()


class PostgresCopies:
    """Copies of the PostgreSQL test database, each a database made from another as its template."""

    def __init__(self) -> None:
        self.home = connection.settings_dict["NAME"]
        self.prefix = f"{self.home}_copy_"
        self.made: list[str] = []
        db = connection.settings_dict  # how to reach the server's maintenance database:
        self.server = {key: db[setting] for key, setting in SERVER.items() if db[setting]}
        self.dropping = ThreadPoolExecutor(max_workers=1)  # a drop waits on a checkpoint: not the tests
        self.drops: list[Future[None]] = []
        leftovers = self._admin(
            "SELECT datname FROM pg_database WHERE left(datname, %s) = %s", [len(self.prefix), self.prefix]
        )
        for (name,) in leftovers:  # from a run that was killed
            self._drop(name)

    def _admin(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run ``sql`` on the server's maintenance database (not through Django: a thread uses it too)."""
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
            cursor = admin.execute(sql, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def _drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _copy_of(self, source: str) -> str:
        name = f"{self.prefix}{uuid.uuid4().hex[:10]}"
        assert not connection.in_atomic_block, "a data set is lent outside any transaction"
        connection.close()  # a template database must have no other session: nor a thread's left behind
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        )
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        self.made.append(name)
        return name

    def save(self) -> str:
        """A copy of what the test database holds now."""
        return self._copy_of(connection.settings_dict["NAME"])

    @contextmanager
    def holding(self, saved: str, *, writable: bool) -> Iterator[None]:
        """The connection points at the copy inside the block, or at a copy of it if the test commits."""
        name = self._copy_of(saved) if writable else saved
        before = connection.settings_dict["NAME"]
        _point_at(name)
        try:
            yield
        finally:
            _point_at(before)
            if writable:
                self.made.remove(name)
                self.drops.append(self.dropping.submit(self._drop, name))

    def close(self) -> None:
        self.dropping.shutdown(wait=True)
        for name in self.made:
            self._drop(name)
        for drop in self.drops:
            drop.result()  # a failed drop is said


def _point_at(name: str) -> None:
    """Connect to database ``name`` from now on: this thread, and every thread that connects afresh."""
    from django.conf import settings

    connection.close()
    for opened in list(_OPENED):  # this thread's connections in every context, not only the current one
        if opened.alias == connection.alias and opened._thread_ident == threading.get_ident():
            opened.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name


class DataSets:
    """The session's data sets, each loaded at most once on a copy of the freshly migrated test database."""

    def __init__(self, django_db_blocker: Any) -> None:
        self.blocker = django_db_blocker
        with self.blocker.unblock():
            self.copies: Copies = SqliteCopies() if connection.vendor == "sqlite" else PostgresCopies()
            self.migrated = self.copies.save()
        self.loaded: dict[str, tuple[Any, Any]] = {}

    def _get(self, name: str, load: Callable[[], Any], on: DataSet | None = None) -> tuple[Any, Any]:
        if name not in self.loaded:
            base = self.migrated if on is None else self._get(*on)[0]
            with self.blocker.unblock(), self.copies.holding(base, writable=True):
                result = _committed(load)
                self.loaded[name] = (self.copies.save(), result)
        return self.loaded[name]

    def for_the_module(self, name: str, load: Callable[[], T]) -> Iterator[T]:
        """A module-scoped fixture yields from this: the data set ``name`` (loaded by ``load`` the first time)
        in the test database until the module's last test, with what the fixture yields a copy of ``load``'s
        result.

        Inside a transaction rolled back after the module, like ``tests.world.once_for_the_module``, so what
        the module's other fixtures add goes too; each test runs in a savepoint of its own (``db``).
        """
        saved, result = self._get(name, load)
        with self.blocker.unblock(), self.copies.holding(saved, writable=False):
            outer = transaction.atomic()
            outer.__enter__()
            try:
                yield copy.deepcopy(result)
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    @contextmanager
    def committed(self, name: str, load: Callable[[], T], on: DataSet | None = None) -> Iterator[T]:
        """The data set ``name`` committed in the test database for one test in a transaction of its own
        (``transactional_db``), which may commit on top of it; the test database as before afterwards.

        With ``on`` (another data set's name and load), ``load`` runs on that data set, not on the migrated
        database: its on-commit work is done before ``load`` starts, as when one loads after the other.
        """
        saved, result = self._get(name, load, on)
        with self.copies.holding(saved, writable=True):
            yield copy.deepcopy(result)

    def close(self) -> None:
        with self.blocker.unblock():
            self.copies.close()


def load_demo() -> Any:
    """The load of the "demo" data set: the demonstration trust, as ``make run`` loads it."""
    from demo.services import load_demo_trust

    return load_demo_trust(trust="rwd")


DEMO: DataSet = ("demo", load_demo)


def _committed(load: Callable[[], T]) -> T:
    """Run ``load`` and commit it, its on-commit work done in-process and passwords hashed the fast way, as
    the per-test fixtures arrange for tests."""
    from django.test import TestCase, override_settings

    from roof.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            override_settings(PASSWORD_HASHERS=FAST_HASHING),
            transaction.atomic(),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            return load()
    finally:
        app.conf.task_always_eager = eager
