"""The stored IPR content goes out of date per division and per month, and an out-of-date copy is served,
marked as updating, while one builder makes the new one (``reviews.ipr.store``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from divisions.models import OrgUnit
from kpis.models import Commentary, Kitemark, Measurement, Target, Upload
from pmf.locks import try_hold
from reviews.ipr.store import (
    _lock,
    _stored,
    changed_scope,
    division_content,
    draft_ipr_content,
    forget_ipr_content,
    rebuild_ipr_content,
)
from tests.world import LATEST, MONTHS

pytestmark = pytest.mark.django_db
BEFORE = MONTHS[-2]
SCOPES = ("", "WLD-SUR", "WLD-MED")


def _build_all() -> None:
    for month in (BEFORE, LATEST):
        draft_ipr_content(month)
        for code in SCOPES[1:]:
            division_content(month, OrgUnit.objects.get(code=code))


def _current() -> dict[tuple[date, str], bool]:
    found = {}
    for month in (BEFORE, LATEST):
        for scope in SCOPES:
            stored = _stored(month, scope, with_figures=False)
            assert stored is not None
            found[(month, scope)] = stored[1]
    return found


def test_a_change_to_a_divisions_month_puts_out_of_date_only_its_scorecard_and_the_trusts_report(world):
    _build_all()
    assert all(_current().values())

    forget_ipr_content(unit=OrgUnit.objects.get(code="WLD-SUR-GEN"), since=LATEST)

    stale = {key for key, current in _current().items() if not current}
    assert stale == {(LATEST, ""), (LATEST, "WLD-SUR")}


def test_a_change_without_a_unit_or_month_puts_every_copy_out_of_date(world):
    _build_all()
    forget_ipr_content()
    assert not any(_current().values())


def test_a_change_to_the_trusts_own_figures_puts_every_scope_out_of_date_from_its_month(world):
    _build_all()
    forget_ipr_content(unit=world.trust, since=LATEST)
    stale = {key for key, current in _current().items() if not current}
    assert stale == {(LATEST, scope) for scope in SCOPES}


def test_what_each_change_touches():
    sur = OrgUnit(pk=7)
    assert changed_scope(Commentary(org_unit=sur, month=LATEST)) == {"unit": 7, "since": LATEST}
    assert changed_scope(Measurement(org_unit=sur, month=BEFORE)) == {"unit": 7, "since": BEFORE}
    target = Target(org_unit=None, financial_year="2025/26", effective_from=date(2025, 9, 1))
    assert changed_scope(target) == {"unit": None, "since": date(2025, 4, 1)}
    upload = Upload(months=["2025-07-01", "2025-06-01"])
    assert changed_scope(upload) == {"unit": None, "since": BEFORE}
    assert changed_scope(Kitemark()) == {"unit": None, "since": None}


@contextmanager
def _another_builder(month: date, scope: str) -> Iterator[None]:
    """Hold the single-flight lock of ``month`` and ``scope`` from another thread (so another database
    session where the lock is PostgreSQL's), as a worker rebuilding the copy does."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        from django.db import connection

        try:
            with try_hold(_lock(month, scope)) as held:
                assert held
                taken.set()
                done.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(30)
    try:
        yield
    finally:
        done.set()
        thread.join()


def test_an_out_of_date_copy_is_served_marked_as_updating_while_another_builds_it(world):
    before = draft_ipr_content(LATEST)
    assert not getattr(before, "is_updating", False)
    forget_ipr_content()

    with _another_builder(LATEST, ""):
        served = draft_ipr_content(LATEST)
        assert served.is_updating  # type: ignore[attr-defined]
        assert served.to_json() == before.to_json()  # the previous copy, as it was
        assert not rebuild_ipr_content(LATEST, "")  # a second builder leaves it to the first

    assert rebuild_ipr_content(LATEST, "")  # the builder's turn: built again
    assert not rebuild_ipr_content(LATEST, "")  # current now: nothing to do
    assert not getattr(draft_ipr_content(LATEST), "is_updating", False)
