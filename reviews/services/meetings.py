"""PRM schedules and meetings: generating and re-planning a division's year, attendance, minutes, decisions.

Every change writes an AuditEvent. ``sync_schedules`` runs after each rating run, so a division whose review
frequency changes has its future planned meetings re-planned (held and cancelled ones stay as history).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from divisions.models import Level, OrgUnit, Role, RoleAssignment
from divisions.words import trust_words
from pmf.formatting import format_date
from pmf.models import User
from pmf.periods import FinancialYear
from pmf.services.audit import Actor, record_audit, snapshot
from pmf.services.reword import reword_default
from pmf.words import TrustWords
from reviews.ratings import Frequency
from reviews.schedule import (
    MeetingStatus,
    PlannedMeeting,
    plan_meetings,
    replan,
)

from ..models import DivisionRating, Invitation, Meeting, MeetingKind, TermsOfReference
from ..selectors.prm_slot import prm_slot

# The texts name the levels as ``TrustWords.fill`` placeholders: ``terms_in(kind, words)`` writes them in the
# trust's words.
WORDED_TERMS = ("purpose", "quorum")
DEFAULT_TERMS = {
    MeetingKind.PRM: {
        "purpose": (
            "To hold the {division} to account for its performance against plan across finance, quality, "
            "performance and workforce; to agree actions; and to escalate to FPEC where needed."
        ),
        "chair_role": Role.EXECUTIVE,
        "essential_roles": [
            Role.EXECUTIVE,
            Role.MANAGING_DIRECTOR,
            Role.CLINICAL_DIRECTOR,
            Role.PERFORMANCE_TEAM,
        ],
        "quorum": "The chair, the managing director or clinical director, and a performance manager.",
    },
    MeetingKind.ACCOUNTABILITY_REVIEW: {
        "purpose": "To agree the {division}'s earned-autonomy position for the next six months.",
        "chair_role": Role.EXECUTIVE,
        "essential_roles": [
            Role.EXECUTIVE,
            Role.MANAGING_DIRECTOR,
            Role.CLINICAL_DIRECTOR,
            Role.CLINICAL_LEAD,
        ],
        "quorum": "The chief executive or a deputy, and the {division}'s whole triumvirate.",
    },
}


def terms_in(kind: str, words: TrustWords) -> dict[str, Any]:
    """The default terms of reference of a kind of meeting, their texts in the trust's words."""
    terms = DEFAULT_TERMS[MeetingKind(kind)]
    return {**terms, **{name: words.fill(str(terms[name])) for name in WORDED_TERMS}}


def terms_of_reference(kind: str) -> TermsOfReference:
    """The terms of reference of a kind of meeting, created from the defaults, in the trust's words, on first
    use."""
    terms = TermsOfReference.objects.filter(kind=kind).first()
    if terms is None:
        terms, _ = TermsOfReference.objects.get_or_create(kind=kind, defaults=terms_in(kind, trust_words()))
    return terms


def reword_terms(*, before: TrustWords, after: TrustWords, actor: Actor = None, **_: Any) -> int:
    """The terms of reference still as seeded in the trust's ``before`` words, rewritten in its ``after``
    words, each audited (a receiver of ``divisions.signals.level_labels_changed``); returns how many."""
    return sum(
        reword_default(
            terms,
            {name: str(DEFAULT_TERMS[MeetingKind(terms.kind)][name]) for name in WORDED_TERMS},
            before=before,
            after=after,
            actor=actor,
        )
        for terms in TermsOfReference.objects.filter(kind__in=list(DEFAULT_TERMS)).order_by("pk")
    )


def _people_for(division: OrgUnit, day: date) -> list[tuple[User, str]]:
    """The division's triumvirate, the performance team and the executives in post on ``day``."""
    in_force = RoleAssignment.objects.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
    rows = in_force.filter(
        Q(org_unit=division, role__in=[Role.MANAGING_DIRECTOR, Role.CLINICAL_DIRECTOR, Role.CLINICAL_LEAD])
        | Q(role__in=[Role.PERFORMANCE_TEAM, Role.EXECUTIVE])
    ).select_related("user")
    seen: dict[int, tuple[User, str]] = {}
    for row in rows.order_by("role", "user__username"):
        seen.setdefault(row.user_id, (row.user, row.role))
    return list(seen.values())


def _invite(meetings: list[Meeting], terms: TermsOfReference) -> None:
    invitations = []
    for meeting in meetings:
        people = _people_for(meeting.division, meeting.scheduled_for)
        chair = next((user for user, role in people if role == terms.chair_role), None)
        if chair is not None and meeting.chair_id is None:
            meeting.chair = chair
            meeting.save(update_fields=["chair"])
        invitations += [
            Invitation(meeting=meeting, user=user, role=role, is_essential=role in terms.essential_roles)
            for user, role in people
        ]
    Invitation.objects.bulk_create(invitations, ignore_conflicts=True)


@dataclass(frozen=True)
class ScheduleChange:
    division: OrgUnit
    frequency: str
    added: int
    dropped: int
    explanation: str


@transaction.atomic
def plan_schedule(
    *,
    division: OrgUnit,
    financial_year: FinancialYear,
    frequency: Frequency,
    today: date,
    actor: Actor = None,
    why: str = "frequency changed",
) -> ScheduleChange:
    """Plan (or re-plan) a division's PRMs for a financial year at ``frequency``; ``why`` says what changed.

    1. The year's dates come from ``reviews.schedule.plan_meetings`` on the trust's PRM slot (bank holidays
       moved).
    2. ``reviews.schedule.replan`` decides what stays: held, cancelled and past meetings stay; future planned
       meetings not in the new plan go — deleted, or cancelled if a pack was already built for them.
    3. New meetings get their invitees from the terms of reference. One AuditEvent records the change.
    """
    terms = terms_of_reference(MeetingKind.PRM)
    existing = list(
        Meeting.objects.filter(
            division=division,
            kind=MeetingKind.PRM,
            scheduled_for__gte=financial_year.first_day,
            scheduled_for__lte=financial_year.last_day,
        ).select_related("pack")
    )
    slot = prm_slot()
    dates = plan_meetings(financial_year, frequency, weekday=slot.weekday, week_of_month=slot.week_of_month)
    plan = replan(
        [PlannedMeeting(m.scheduled_for, cast(MeetingStatus, m.status), m.pk) for m in existing],
        dates,
        today=today,
    )
    by_pk: dict[Hashable, Meeting] = {m.pk: m for m in existing}
    for dropped in plan.drop:
        meeting = by_pk[dropped.ref]
        if hasattr(meeting, "pack"):
            meeting.status, meeting.cancelled_reason = (
                Meeting.Status.CANCELLED,
                f"Re-planned: {why}",
            )
            meeting.save(update_fields=["status", "cancelled_reason"])
        else:
            meeting.delete()
    Meeting.objects.bulk_create(
        [
            Meeting(division=division, kind=MeetingKind.PRM, scheduled_for=d, frequency=frequency)
            for d in plan.add
        ]
    )
    created = list(
        Meeting.objects.filter(division=division, kind=MeetingKind.PRM, scheduled_for__in=plan.add)
    )
    _invite(created, terms)
    Meeting.objects.filter(
        pk__in=[m.ref for m in plan.keep if m.status == "planned" and m.scheduled_for > today]
    ).update(frequency=frequency)
    record_audit(
        actor=actor,
        verb="scheduled" if not existing else "re-planned",
        object_type=Meeting._meta.label,
        object_id=f"{division.code} {financial_year}",
        after={"frequency": frequency, "dates": [d.isoformat() for d in plan.schedule]},
        note=plan.explanation,
    )
    return ScheduleChange(division, frequency, len(plan.add), len(plan.drop), plan.explanation)


def sync_schedules(*, today: date | None = None, actor: Actor = None) -> list[ScheduleChange]:
    """Bring every division's schedule for this financial year in line with its latest review frequency.

    A division with no meetings this year gets its year planned; one whose future planned meetings were
    planned at another frequency is re-planned; any other is left alone, so running this twice changes
    nothing.
    """
    today = today or date.today()
    year = FinancialYear.containing(today)
    latest: dict[int, DivisionRating] = {}
    for rating in DivisionRating.objects.order_by("division_id", "-month"):
        latest.setdefault(rating.division_id, rating)
    changes = []
    for division in OrgUnit.objects.filter(level=Level.DIVISION, pk__in=list(latest)).order_by("code"):
        frequency = latest[division.pk].review_frequency
        meetings = Meeting.objects.filter(
            division=division,
            kind=MeetingKind.PRM,
            scheduled_for__gte=year.first_day,
            scheduled_for__lte=year.last_day,
        )
        stale = meetings.filter(status=Meeting.Status.PLANNED, scheduled_for__gt=today).exclude(
            frequency=frequency
        )
        if meetings.exists() and not stale.exists():
            continue
        changes.append(
            plan_schedule(
                division=division,
                financial_year=year,
                frequency=frequency,  # type: ignore[arg-type]
                today=today,
                actor=actor,
            )
        )
    return changes


MEETING_FIELDS = ["status", "minutes", "decisions", "cancelled_reason"]


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    meeting: Meeting,
    attended: set[int],
    minutes: str,
    decisions: str,
    today: date | None = None,
) -> list[Invitation]:
    """Mark the meeting held with who attended, its minutes and decisions. Returns essential absentees.

    A meeting is held on its day or after: one whose date is still to come is refused, nothing written.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A cancelled meeting cannot be recorded as held.")
    today = today or timezone.localdate()
    if meeting.scheduled_for > today:
        raise ValidationError(
            f"This meeting is on {format_date(meeting.scheduled_for)}: it can be recorded as held on that day"
            " or after, not before."
        )
    before = snapshot(meeting, MEETING_FIELDS)
    before["attended"] = sorted(meeting.invitations.filter(attended=True).values_list("user_id", flat=True))
    for invitation in meeting.invitations.all():
        invitation.attended = invitation.user_id in attended
        invitation.save(update_fields=["attended"])
    meeting.status, meeting.minutes, meeting.decisions = (
        Meeting.Status.HELD,
        minutes.strip(),
        decisions.strip(),
    )
    meeting.save(update_fields=["status", "minutes", "decisions"])
    absent = list(meeting.invitations.filter(is_essential=True, attended=False).select_related("user"))
    record_audit(
        actor=actor,
        verb="meeting recorded",
        object_type=Meeting._meta.label,
        object_id=meeting.pk,
        before=before,
        after={**snapshot(meeting, MEETING_FIELDS), "attended": sorted(attended)},
        note=f"essential absent: {', '.join(str(i.user) for i in absent)}" if absent else "",
    )
    return absent
