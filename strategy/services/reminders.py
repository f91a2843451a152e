"""Reminding owners of the monthly update their priority still needs (DESIGN §9), as the commentary reminders
remind divisions (``reviews.services.commentary_reminders``).

Run daily (``strategy.tasks.send_priority_reminders_task``, or ``manage.py send_priority_reminders``). An
update for a month is due by the month's end; from the next day it is missing and its owner is e-mailed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from pmf.formatting import format_month
from pmf.services.audit import record_audit

from ..models import Priority, PriorityUpdateReminder
from ..selectors import missing_updates


@dataclass
class PriorityReminderResult:
    sent: list[tuple[int, date]] = field(default_factory=list)  # (priority id, month)
    no_address: list[int] = field(default_factory=list)  # priorities whose owner has no e-mail address

    def as_dict(self) -> dict[str, object]:
        return {
            "sent": [f"{pk}/{month:%Y-%m}" for pk, month in self.sent],
            "no_address": self.no_address,
        }


def send_priority_reminders(*, today: date | None = None) -> PriorityReminderResult:
    """E-mail each owner whose update for the month just ended is missing.

    1. The missing updates are those of ``strategy.selectors.missing_updates`` (the month just ended, for the
       priorities of the financial year it belongs to).
    2. A priority already reminded for that month is skipped, so a second run sends nothing new.
    3. One e-mail per priority; a ``PriorityUpdateReminder`` records that it went. An owner with no e-mail
       address is reported and tried again on the next run.
    """
    today = today or date.today()
    result = PriorityReminderResult()
    due = missing_updates(today)
    reminded = set(
        PriorityUpdateReminder.objects.filter(month__in={month for _, month in due}).values_list(
            "priority_id", "month"
        )
    )
    for priority, month in due:
        if (priority.pk, month) in reminded:
            continue
        if not priority.owner.email:
            result.no_address.append(priority.pk)
            continue
        _remind(priority, month, priority.owner.email)
        result.sent.append((priority.pk, month))
    return result


@transaction.atomic
def _remind(priority: Priority, month: date, to: str) -> None:
    """Record the reminder, then send the e-mail: if sending fails, nothing is recorded."""
    PriorityUpdateReminder.objects.create(priority=priority, month=month, sent_to=[to])
    link = reverse("priority-update", args=[priority.pk]) + f"?month={month:%Y-%m}"
    lines = [
        f"The monthly update on the Board's priority \u201c{priority.title}\u201d for {format_month(month)} "
        "has not been written yet.",
        "",
        "Please give its status (on track, at risk, off track or complete), a short narrative and the",
        f"evidence behind it: {settings.PMF_BASE_URL}{link}",
    ]
    send_mail(
        subject=f"Priority update needed: {priority.title}, {format_month(month)}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[to],
    )
    record_audit(
        actor=None,
        verb="remind",
        object_type=Priority._meta.label,
        object_id=priority.pk,
        after={"month": month.isoformat(), "sent_to": [to]},
    )
