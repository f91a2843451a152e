"""Setting priorities and milestones, the owners' updates, the reminders, and who may write what."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from pmf.models import AuditEvent
from pmf.permissions import (
    Access,
    can_manage_priorities,
    can_read_priorities,
    can_write_priority_update,
)
from pmf.roles import Role
from strategy.models import PriorityUpdateReminder
from strategy.selectors import overdue_milestones, owner_due
from strategy.services.priorities import save_milestone, save_priority, write_update
from strategy.services.reminders import send_priority_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(world):
    exec_ = world.users["exec"]
    exec_.email = "coo@example.nhs.uk"
    exec_.save(update_fields=["email"])
    return save_priority(
        actor=world.users["perf"],
        year=2025,
        title="Reduce long waits",
        owner=exec_,
        division=world.surgery,
        kpis=[world.kpis[code] for code in sorted(world.kpis)[:2]],
    )


def test_a_priority_and_its_changes_are_audited(world, priority):
    event = AuditEvent.objects.get(
        object_type="strategy.Priority", object_id=str(priority.pk), verb="created"
    )
    assert event.after["title"] == "Reduce long waits" and event.after["kpis"] == sorted(world.kpis)[:2]
    save_priority(
        actor=world.users["perf"],
        priority=priority,
        year=2025,
        title="Reduce long waits for planned care",
        owner=priority.owner,
        division=world.surgery,
    )
    changed = AuditEvent.objects.get(
        object_type="strategy.Priority", object_id=str(priority.pk), verb="updated"
    )
    assert changed.before["title"] == "Reduce long waits" and changed.after["kpis"] == []
    with pytest.raises(ValidationError, match="already has a priority"):
        save_priority(actor=None, year=2025, title="reduce long waits for planned care", owner=priority.owner)


def test_a_milestone_is_added_then_completed_and_both_are_audited(world, priority):
    milestone = save_milestone(
        actor=world.users["perf"], priority=priority, title="Hub open", due_date=date(2025, 7, 25)
    )
    save_milestone(
        actor=world.users["perf"],
        priority=priority,
        milestone=milestone,
        title="Hub open",
        due_date=date(2025, 7, 25),
        completed_on=date(2025, 8, 1),
    )
    events = AuditEvent.objects.filter(
        object_type="strategy.Milestone", object_id=str(milestone.pk)
    ).order_by("pk")
    assert [e.verb for e in events] == ["created", "updated"]
    assert events[1].after["completed_on"] == "2025-08-01"


def test_an_update_is_refused_for_a_month_to_come_or_outside_the_year(world, priority):
    owner = priority.owner
    with pytest.raises(ValidationError, match="still to come"):
        write_update(
            actor=owner,
            priority=priority,
            month=date(2025, 9, 1),
            status="on_track",
            narrative="x",
            today=date(2025, 8, 4),
        )
    with pytest.raises(ValidationError, match="2025/26"):
        write_update(
            actor=owner,
            priority=priority,
            month=date(2025, 3, 1),
            status="on_track",
            narrative="x",
            today=date(2025, 8, 4),
        )
    with pytest.raises(ValidationError, match="progressing"):
        write_update(
            actor=owner,
            priority=priority,
            month=date(2025, 7, 1),
            status="on_track",
            narrative=" ",
            today=date(2025, 8, 4),
        )
    update = write_update(
        actor=owner,
        priority=priority,
        month=date(2025, 7, 18),
        status="at_risk",
        narrative="Late.",
        today=date(2025, 8, 4),
    )
    assert update.month == date(2025, 7, 1)


def test_owners_are_reminded_once_of_the_update_missing(world, priority):
    first = send_priority_reminders(today=date(2025, 8, 4))
    assert first.sent == [(priority.pk, date(2025, 7, 1))]
    assert [m.to for m in mail.outbox] == [["coo@example.nhs.uk"]]
    assert "Reduce long waits" in mail.outbox[0].subject and "Jul 2025" in mail.outbox[0].subject
    assert f"/priorities/{priority.pk}/update/?month=2025-07" in mail.outbox[0].body
    assert send_priority_reminders(today=date(2025, 8, 5)).sent == []  # once per priority and month
    assert PriorityUpdateReminder.objects.filter(priority=priority).count() == 1
    write_update(
        actor=priority.owner,
        priority=priority,
        month=date(2025, 8, 1),
        status="on_track",
        narrative="Fine.",
        today=date(2025, 9, 2),
    )
    assert send_priority_reminders(today=date(2025, 9, 2)).sent == []  # August's was written
    assert len(mail.outbox) == 1


def test_an_owner_without_an_address_is_reported_and_tried_again(world, priority):
    priority.owner.email = ""
    priority.owner.save(update_fields=["email"])
    result = send_priority_reminders(today=date(2025, 8, 4))
    assert (result.sent, result.no_address, len(mail.outbox)) == ([], [priority.pk], 0)


def test_what_an_owner_owes_and_what_the_division_is_asked(world, priority):
    save_milestone(actor=None, priority=priority, title="Hub open", due_date=date(2025, 7, 25))
    save_milestone(
        actor=None,
        priority=priority,
        title="Validated",
        due_date=date(2025, 5, 31),
        completed_on=date(2025, 6, 2),
    )
    ward = world.units["WLD-MED-CAR-W1"]  # a Medicine ward delivers one milestone of Surgery's priority
    save_milestone(
        actor=None, priority=priority, title="On the ward", due_date=date(2025, 6, 30), org_unit=ward
    )
    due = owner_due(priority.owner, date(2025, 8, 4))
    assert [m.title for m in due.overdue] == ["On the ward", "Hub open"]
    assert [(p.pk, month) for p, month in due.missing] == [(priority.pk, date(2025, 7, 1))]
    assert not owner_due(world.users["board"], date(2025, 8, 4))
    assert [m["title"] for m in overdue_milestones(world.surgery, date(2025, 8, 4))] == ["Hub open"]
    assert [m["title"] for m in overdue_milestones(world.medicine, date(2025, 8, 4))] == ["On the ward"]
    assert overdue_milestones(world.surgery, date(2025, 7, 25)) == []  # due today: not yet overdue


def test_who_may_read_set_and_update_priorities():
    def access(*roles, divisions=()):
        return Access(is_authenticated=True, roles=frozenset(roles), divisions=frozenset(divisions))

    board, executive, perf = access(Role.BOARD_MEMBER), access(Role.EXECUTIVE), access(Role.PERFORMANCE_TEAM)
    lead, commissioner = access(Role.CLINICAL_LEAD, divisions={1}), access(Role.COMMISSIONER)
    assert all(can_read_priorities(a) for a in (board, executive, perf, lead, access(Role.VIEWER)))
    assert not can_read_priorities(commissioner)
    assert [can_manage_priorities(a) for a in (perf, executive, board, lead)] == [True, True, False, False]
    assert can_write_priority_update(executive, is_owner=True)
    assert not can_write_priority_update(executive, is_owner=False)  # another executive's priority
    assert can_write_priority_update(perf, is_owner=False)
    assert not can_write_priority_update(board, is_owner=False)
