"""The ladder (DESIGN §4.7): action plan, FPEC, the Executive Team's decision, and closing.

Every step is a service: it checks the case can take the step, changes it, and writes an EscalationEvent and
an AuditEvent. Special measures are the reviews app's record, written through its service.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from divisions.models import Level as OrgLevel
from divisions.models import OrgUnit
from divisions.words import trust_words
from kpis.models import Kpi
from pmf.formatting import format_date, format_month
from pmf.models import User
from pmf.periods import add_months, month_label
from pmf.services.audit import Actor
from reviews.services.special_measures import end_special_measures, start_special_measures

from ..models import Committee, EscalationCase, EscalationEvent, Level
from ..rules import TriggerSettings, action_plan_due, case_reference, check_action_plan, recovery_criteria
from ..selectors import FPEC, fpec_committee, trigger_settings
from .events import case_state, record_step, take_step

Kind = EscalationEvent.Kind


def _require_open(case: EscalationCase) -> None:
    if case.status != EscalationCase.Status.OPEN:
        raise ValidationError(f"Case {case.reference} is {case.get_status_display().lower()}, not open.")


def _note(note: str) -> str:
    note = note.strip()
    if not note:
        raise ValidationError("Say why: every step of a case records its reason.")
    return note


def fpec() -> Committee:
    """The committee the second rung goes to: the trust's FPEC, under whatever name the trust gives it."""
    committee = fpec_committee()
    if committee is None:
        raise ValidationError(f"No committee has the code {FPEC!r}: cases at the second rung go to it.")
    return committee


def _move_to_fpec(case: EscalationCase, *, actor: Actor, reason: str) -> None:
    committee = fpec()
    take_step(
        case=case,
        kind=Kind.ESCALATED,
        actor=actor,
        note=f"Escalated to {committee.name} via the Director of Finance. {reason}",
        level=Level.FPEC,
        committee=committee,
    )


def _free_reference(base: str) -> str:
    taken = set(EscalationCase.objects.filter(reference__startswith=base).values_list("reference", flat=True))
    return next(r for r in [base, *(f"{base}-{n}" for n in range(2, len(taken) + 2))] if r not in taken)


@transaction.atomic
def raise_case(
    *,
    actor: User,
    division: OrgUnit,
    month: date,
    reason: str,
    kpi: Kpi | None = None,
    critical: bool = False,
) -> EscalationCase:
    """Open a case by hand (trigger "raised by hand") for a division, on ``month``'s data, and say why.

    1. A case about a KPI that is already open for the division is refused: there is one open case per
       division and KPI. A case about a KPI then follows the rules like any other: later evaluations keep it
       open or de-escalate it when the KPI meets plan. A case with no KPI stays open until it is closed.
    2. The action plan is due on the 10th working day, as for any case.
    3. A critical failure goes straight to FPEC (DESIGN §4.7).
    """
    reason = _note(reason)
    if division.level != OrgLevel.DIVISION:
        raise ValidationError(f"{division.name} is not a {trust_words().division.lower()}.")
    month = month.replace(day=1)
    if kpi is not None:
        existing = EscalationCase.objects.filter(
            division=division, kpi=kpi, status=EscalationCase.Status.OPEN
        ).first()
        if existing is not None:
            raise ValidationError(
                f"Case {existing.reference} is already open for {kpi.name} in {division.name}."
            )
    due = action_plan_due(timezone.localdate())
    if kpi is None:
        exit_criteria = "Closed by the Executive Team when the concern is resolved."
    else:
        exit_criteria = recovery_criteria(trigger_settings().get(kpi.pk, TriggerSettings()).sustain_months)
    case = EscalationCase.objects.create(
        reference=_free_reference(case_reference(division.code, kpi.code if kpi else "CASE", month)),
        division=division,
        kpi=kpi,
        trigger=EscalationCase.Trigger.MANUAL,
        opened_month=month,
        evaluated_month=month,
        exit_criteria=exit_criteria,
        reason=reason,
        plan_due=due,
    )
    record_step(
        case=case,
        kind=Kind.RAISED,
        actor=actor,
        note=f"Raised by hand on {month_label(month)} data: {reason} An action plan is due by"
        f" {format_date(due)} (10 working days).",
        before=None,
    )
    if critical:
        _move_to_fpec(case, actor=actor, reason="A critical failure, raised straight to FPEC.")
    return case


@transaction.atomic
def agree_action_plan(*, case: EscalationCase, actor: User, agreed_on: date, plan: str) -> EscalationCase:
    """Record the action plan agreed at the division's PRM; a plan agreed late sends the case to FPEC."""
    _require_open(case)
    if case.plan_agreed_on is not None:
        raise ValidationError(f"An action plan was already agreed on {format_date(case.plan_agreed_on)}.")
    plan = _note(plan)
    take_step(
        case=case,
        kind=Kind.PLAN_AGREED,
        actor=actor,
        note=f"Action plan agreed on {format_date(agreed_on)}: {plan}",
        plan_agreed_on=agreed_on,
        action_plan=plan,
    )
    ladder = check_action_plan(
        opened_on=timezone.localtime(case.opened_at).date(), today=agreed_on, plan_agreed_on=agreed_on
    )
    if ladder.escalate_to_fpec and case.level == Level.PERFORMANCE_TEAM:
        _move_to_fpec(case, actor=actor, reason=ladder.reason)
    return case


@transaction.atomic
def escalate_to_fpec(
    *, case: EscalationCase, actor: User, reason: str, critical: bool = False
) -> EscalationCase:
    """Send a case at the performance team to FPEC now, whatever the action plan, saying why.

    The note is the person's reason as they wrote it; only a case they call a critical failure says so.
    """
    _require_open(case)
    if case.level != Level.PERFORMANCE_TEAM:
        raise ValidationError(f"Case {case.reference} is already with {case.get_level_display()}.")
    reason = _note(reason)
    _move_to_fpec(case, actor=actor, reason=f"A critical failure: {reason}" if critical else reason)
    return case


@transaction.atomic
def record_executive_decision(
    *, case: EscalationCase, actor: User, decision: str, note: str, confirmed: bool = False
) -> EscalationCase:
    """The Executive Team decides on a case escalated to FPEC: an audit, or special measures.

    Special measures put the case's division in special measures from the case's latest month (through the
    reviews service), so the division's current rating turns weekly at once. They are applied only once
    ``confirmed`` (the page asks first), and the audit trail records that they were.
    """
    _require_open(case)
    if case.level == Level.PERFORMANCE_TEAM:
        raise ValidationError("The Executive Team decides on cases escalated to FPEC; this one is not.")
    if decision not in (EscalationCase.Decision.AUDIT, EscalationCase.Decision.SPECIAL_MEASURES):
        raise ValidationError("The decision is an audit or special measures.")
    note = _note(note)
    special = decision == EscalationCase.Decision.SPECIAL_MEASURES
    if special and case.division is None:
        raise ValidationError(
            f"A trust-level case has no {trust_words().division.lower()} to place in special measures."
        )
    if special and not confirmed:
        raise ValidationError("Special measures are applied only once confirmed.")
    special_measures = case.special_measures
    if decision == EscalationCase.Decision.SPECIAL_MEASURES and case.division is not None:
        special_measures = start_special_measures(
            actor=actor,
            division=case.division,
            from_month=case.evaluated_month,
            note=f"Case {case.reference}: {note}",
        )
    take_step(
        case=case,
        kind=Kind.SPECIAL_MEASURES if decision == EscalationCase.Decision.SPECIAL_MEASURES else Kind.AUDIT,
        actor=actor,
        note=note,
        level=Level.EXECUTIVE_TEAM,
        committee=Committee.objects.get(code="executive-team"),
        decision=decision,
        special_measures=special_measures,
        context={"confirmed": True} if special else None,
    )
    return case


def release_special_measures(*, case: EscalationCase, actor: Actor, month: date) -> None:
    """End the special measures this case holds, unless another open case of the division holds them too.

    The division's last month in special measures is the month before ``month`` (the month it recovered).
    """
    record = case.special_measures
    if record is None or record.to_month is not None:
        return
    others = EscalationCase.objects.filter(
        special_measures=record, status=EscalationCase.Status.OPEN
    ).exclude(pk=case.pk)
    if others.exists():
        return
    end_special_measures(
        actor=actor,
        record=record,
        last_month=add_months(month, -1),
        note=f"Case {case.reference} recovered in {format_month(month)}.",
    )


@transaction.atomic
def close_case(*, case: EscalationCase, actor: User, note: str) -> EscalationCase:
    """Close a case: after de-escalation, or an open one on the Executive Team's word (with a reason)."""
    if case.status == EscalationCase.Status.CLOSED:
        raise ValidationError(f"Case {case.reference} is already closed.")
    note = _note(note)
    # Special measures end first, so the trail reads as before: measures ended, then the case closed.
    release_special_measures(case=case, actor=actor, month=case.evaluated_month)
    take_step(
        case=case,
        kind=Kind.CLOSED,
        actor=actor,
        note=note,
        status=EscalationCase.Status.CLOSED,
        closed_at=timezone.now(),
    )
    return case


@transaction.atomic
def check_action_plans(*, today: date) -> list[EscalationCase]:
    """The daily check: a case at the performance team with no agreed plan after its due day goes to FPEC.

    Each such case gets a "plan due" event saying what was missed, then the escalation. Cases already at
    FPEC or above, or with a plan, are left alone, so running it twice a day changes nothing.
    """
    escalated = []
    overdue = EscalationCase.objects.filter(
        status=EscalationCase.Status.OPEN,
        level=Level.PERFORMANCE_TEAM,
        plan_agreed_on__isnull=True,
        plan_due__lt=today,
    ).select_related("division", "kpi")
    for case in overdue:
        ladder = check_action_plan(
            opened_on=timezone.localtime(case.opened_at).date(), today=today, plan_agreed_on=None
        )
        if not ladder.escalate_to_fpec:
            continue
        record_step(case=case, kind=Kind.PLAN_DUE, actor=None, note=ladder.reason, before=case_state(case))
        _move_to_fpec(case, actor=None, reason=ladder.reason)
        escalated.append(case)
    return escalated
