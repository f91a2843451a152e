"""Reminding divisions of the commentary their off-plan key KPIs still need (DESIGN §3, Commentary).

Run daily (``reviews.tasks.send_commentary_reminders_task``, or ``manage.py send_commentary_reminders``).
The rule is the IPR's (``reviews.ipr.rules.needs_commentary``), read from the stored IPR content, so the
reminders live with the IPR; the e-mail links to the divisional dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from divisions.models import TRIUMVIRATE_ROLES, Level, OrgUnit, RoleAssignment
from kpis.models import CommentaryReminder, Kpi
from kpis.selectors.published import latest_published_month
from pmf.formatting import format_month
from pmf.services.audit import record_audit

from ..ipr.content import IprKpiRow
from ..ipr.store import division_content


@dataclass
class ReminderResult:
    month: date | None
    sent: list[tuple[str, str]] = field(default_factory=list)  # (division code, KPI code)
    no_address: list[str] = field(default_factory=list)  # divisions with nobody to e-mail

    def as_dict(self) -> dict[str, object]:
        return {
            "month": self.month.isoformat() if self.month else None,
            "sent": [f"{d}/{k}" for d, k in self.sent],
            "no_address": self.no_address,
        }


def _addresses(division_ids: list[int], today: date) -> dict[int, list[str]]:
    """The e-mail addresses of each division's triumvirate in force today (one query)."""
    found: dict[int, list[str]] = {}
    for unit_id, email in (
        RoleAssignment.objects.filter(
            org_unit_id__in=division_ids, role__in=TRIUMVIRATE_ROLES, start__lte=today
        )
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .exclude(user__email="")
        .order_by("org_unit_id", "user__email")
        .values_list("org_unit_id", "user__email")
    ):
        if email not in found.setdefault(unit_id, []):
            found[unit_id].append(email)
    return found


def send_commentary_reminders(*, month: date | None = None, today: date | None = None) -> ReminderResult:
    """E-mail each division's triumvirate about its key KPIs off plan in ``month`` with no commentary.

    1. The month is the latest published one unless given.
    2. Per division, the KPIs needing commentary are those the dashboard flags (the IPR's rule,
       ``reviews.ipr.rules.needs_commentary``), less those already reminded for that month.
    3. One e-mail per division lists them; a ``CommentaryReminder`` per KPI records that it went, so a
       second run the same day, or the next day, sends nothing new. A division whose triumvirate has no
       e-mail address is reported and tried again on the next run.
    """
    month = month or latest_published_month()
    result = ReminderResult(month=month)
    if month is None:
        return result
    today = today or date.today()
    divisions = list(OrgUnit.objects.filter(level=Level.DIVISION).order_by("code"))
    addresses = _addresses([d.pk for d in divisions], today)
    reminded = set(CommentaryReminder.objects.filter(month=month).values_list("org_unit_id", "kpi__code"))
    for division in divisions:
        due = [
            row
            for row in division_content(month, division).kpis
            if row.needs_commentary and (division.pk, row.code) not in reminded
        ]
        if not due:
            continue
        to = addresses.get(division.pk, [])
        if not to:
            result.no_address.append(division.code)
            continue
        _remind(division, month, due, to)
        result.sent += [(division.code, row.code) for row in due]
    return result


@transaction.atomic
def _remind(division: OrgUnit, month: date, rows: list[IprKpiRow], to: list[str]) -> None:
    """Record the reminders, then send the e-mail: if sending fails, nothing is recorded."""
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=[r.code for r in rows])}
    for row in rows:
        CommentaryReminder.objects.create(kpi=kpis[row.code], org_unit=division, month=month, sent_to=to)
    link = reverse("division-dashboard", args=[division.code]) + f"?month={month:%Y-%m}"
    lines = [
        f"{division.name}: {len(rows)} key KPI{'s' if len(rows) != 1 else ''} missed plan in "
        f"{format_month(month)} and {'have' if len(rows) != 1 else 'has'} no commentary yet.",
        "",
        *[f"- {r.name} ({r.code}), executive lead: {r.owner or 'not set'}" for r in rows],
        "",
        "Please write what the chart tells us, the issues, actions, mitigations and the expected recovery",
        f"date on {division.name}'s dashboard: {settings.PMF_BASE_URL}{link}",
    ]
    send_mail(
        subject=f"Commentary needed: {division.name}, {format_month(month)}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=to,
    )
    record_audit(
        actor=None,
        verb="remind",
        object_type="divisions.commentary",
        object_id=f"{division.code} {month:%Y-%m}",
        after={"kpis": [r.code for r in rows], "sent_to": to},
    )
