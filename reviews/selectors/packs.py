"""Reads for PRM data packs, the action log and the FPEC summary paper.

``pack_content`` gathers everything a pack shows as JSON-ready data; the pack stores it as its snapshot, so an
issued pack shows the same figures after the data behind it is restated. The scorecard, icons, exception
charts and commentary come from the IPR's selector (``ipr_content``) read for the division, kept in the
snapshot as ``IprContent.to_json()``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from divisions.models import Level, OrgUnit
from divisions.words import trust_words
from national.divisional import division_splits
from pmf.periods import add_months
from reviews.ratings import ulht_label, yas_category
from strategy.selectors import overdue_milestones

from ..ipr.selectors import ipr_content
from ..lines_of_enquiry import asked_and_more, lines_of_enquiry
from ..models import OPEN_STATUSES, Action, ActionUpdate, DataPack, DivisionRating, Meeting
from ..open_cases import open_escalations
from ..schedule import PACK_TO_DIVISION_DAYS

# The daily job builds a draft this many days before it is due to the division, to leave time to edit it.
BUILD_LEAD_DAYS = 3


def pack_period(division: OrgUnit, meeting_day: date) -> date | None:
    """The latest rated month before the meeting's month: the data the meeting reviews."""
    return (
        DivisionRating.objects.filter(division=division, month__lt=meeting_day.replace(day=1))
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def _action_dict(action: Action, today: date) -> dict[str, Any]:
    updates = list(action.updates.all())
    latest = updates[-1] if updates else None
    return {
        "id": action.pk,
        "title": action.title,
        "owner": action.owner,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "status_label": action.get_status_display(),
        "overdue": action.is_overdue(today),
        "escalate_to_fpec": action.escalate_to_fpec,
        "kpis": [k.code for k in action.kpis.all()],
        "latest_update": latest.note if latest else "",
        "latest_update_at": latest.at.isoformat() if latest else None,
    }


def actions_with_updates() -> QuerySet[Action]:
    return Action.objects.select_related("division", "meeting", "objective", "created_by").prefetch_related(
        "kpis", Prefetch("updates", queryset=ActionUpdate.objects.select_related("by").order_by("at", "pk"))
    )


def _rating_dict(rating: DivisionRating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {
        "month": rating.month.isoformat(),
        "computed_position": rating.computed_position,
        "effective_position": rating.effective_position,
        "label": ulht_label(rating.effective_position),
        "category": yas_category(rating.effective_position),
        "review_frequency": rating.review_frequency,
        "effective_reason": rating.effective_reason,
        "frequency_reason": rating.frequency_reason,
        "explanation": rating.explanation,
        "failing": [
            {
                "name": c["name"],
                "kpis": [k for k in c["kpis"] if k["outcome"] in ("not_met", "within_tolerance", "no_data")],
            }
            for c in rating.criteria
            if not c["all_met"]
        ],
    }


def pack_content(meeting: Meeting, period: date, *, today: date) -> dict[str, Any]:
    """Everything the pack shows, as JSON-ready data (see the module docstring)."""
    division = meeting.division
    content = ipr_content(period, with_figures=True, unit=division)
    ratings = list(DivisionRating.objects.filter(division=division, month__lte=period).order_by("-month")[:2])
    actions = [
        _action_dict(a, today)
        for a in actions_with_updates()
        .filter(division=division, status__in=OPEN_STATUSES)
        .order_by("due_date")
    ]
    escalations = open_escalations(division)
    milestones = overdue_milestones(division, today)
    lines = lines_of_enquiry(
        content.kpis,
        overdue_actions=[
            {**a, "due_date": date.fromisoformat(a["due_date"])} for a in actions if a["overdue"]
        ],
        escalations=escalations,
        overdue_milestones=[{**m, "due_date": date.fromisoformat(m["due_date"])} for m in milestones],
        division=division.name,
        words=trust_words(),
    )
    asked, more = asked_and_more(lines)
    return {
        "division": {"code": division.code, "name": division.name},
        "meeting": {
            "id": meeting.pk,
            "kind": meeting.get_kind_display(),
            "scheduled_for": meeting.scheduled_for.isoformat(),
            "chair": str(meeting.chair) if meeting.chair else "",
        },
        "period": period.isoformat(),
        "rating": _rating_dict(ratings[0] if ratings else None),
        "previous_rating": _rating_dict(ratings[1] if len(ratings) > 1 else None),
        "content": content.to_json(),
        "actions": actions,
        "escalations": escalations,
        "overdue_milestones": milestones,
        "generated_lines": [line.as_dict() for line in asked],
        "more_lines": [line.as_dict() for line in more],
        "national": division_splits(division, period).to_json(),
        "built_on": today.isoformat(),
    }


def meetings_needing_packs(today: date) -> QuerySet[Meeting]:
    """Planned meetings from today to the build horizon (due 7 days ahead, drafted 3 days before)."""
    horizon = today + timedelta(days=PACK_TO_DIVISION_DAYS + BUILD_LEAD_DAYS)
    return (
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED, scheduled_for__gte=today, scheduled_for__lte=horizon
        )
        .select_related("division", "chair")
        .order_by("scheduled_for", "division__code")
    )


def latest_prm_round(today: date) -> date:
    """The month of the latest round of PRMs the FPEC paper reports: that of the last PRM held on or before
    ``today``, else this month."""
    held = (
        Meeting.objects.filter(status=Meeting.Status.HELD, scheduled_for__lte=today)
        .order_by("-scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )
    return (held or today).replace(day=1)


def round_data_month(month: date) -> date | None:
    """The data month the PRMs of ``month`` reviewed: their packs' period where built, else the latest rated
    month before ``month`` (as a pack built for them would take)."""
    packed = (
        DataPack.objects.filter(
            meeting__scheduled_for__gte=month, meeting__scheduled_for__lt=add_months(month, 1)
        )
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if packed is not None:
        return packed
    return (
        DivisionRating.objects.filter(month__lt=month)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def fpec_summary(month: date, *, today: date) -> dict[str, Any]:
    """The FPEC summary paper after the PRM round of ``month`` (DESIGN §4.7).

    Positions on the data month the round reviewed (``round_data_month``: the PRMs of July review June's
    data) and the month before, with what changed; the round's PRMs held, and apart from them those still
    planned or cancelled; escalation cases opened on the data month's data (``opened_month``, whenever the
    evaluation ran) and all still open; actions flagged for FPEC that are not closed.
    """
    data_month = round_data_month(month) or add_months(month, -1)
    round_month, month = month, data_month
    divisions = list(OrgUnit.objects.filter(level=Level.DIVISION).order_by("name"))
    previous = add_months(month, -1)
    ratings = {
        (r.division_id, r.month): r for r in DivisionRating.objects.filter(month__in=[month, previous])
    }
    positions = []
    for d in divisions:
        now, before = ratings.get((d.pk, month)), ratings.get((d.pk, previous))
        change = ""
        if now and before and now.effective_position != before.effective_position:
            if now.effective_position is None or before.effective_position is None:
                change = "not rated" if now.effective_position is None else "rated again"
            else:
                change = "improved" if now.effective_position < before.effective_position else "deteriorated"
        positions.append({"division": d, "now": now, "before": before, "change": change})
    meetings = list(
        Meeting.objects.filter(scheduled_for__gte=round_month, scheduled_for__lt=add_months(round_month, 1))
        .select_related("division")
        .order_by("scheduled_for")
    )
    escalations = open_escalations()
    flagged = list(
        actions_with_updates().filter(escalate_to_fpec=True).exclude(status="closed").order_by("due_date")
    )
    return {
        "month": round_month,
        "data_month": data_month,
        "previous": previous,
        "positions": positions,
        "meetings": meetings,
        "held": [m for m in meetings if m.status == Meeting.Status.HELD],
        "not_held": [m for m in meetings if m.status != Meeting.Status.HELD],
        "new_escalations": [e for e in escalations if e["opened_month"] == data_month.isoformat()],
        "open_escalations": escalations,
        "flagged_actions": [{"action": a, "overdue": a.is_overdue(today)} for a in flagged],
        "packs": DataPack.objects.filter(meeting__in=meetings).count(),
    }
