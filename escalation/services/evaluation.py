"""Opening, updating and de-escalating cases from published data (DESIGN §4.7), idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from kpis.assessment import Outcome
from pmf.formatting import format_date
from pmf.locks import lock_until_commit
from pmf.services.audit import Actor, update_audited

from ..models import EscalationCase, EscalationEvent
from ..rules import Decision, action_plan_due, case_reference, evaluate, recovery_criteria
from ..selectors import KpiSeries, evaluation_series, open_cases_by_series
from .data_quality import record_missing_data
from .events import record_step, take_step
from .ladder import release_special_measures


@dataclass(frozen=True)
class EvaluationRun:
    month: date
    series: int
    opened: int
    updated: int
    de_escalated: int
    unchanged: int
    dq_raised: int = 0
    dq_resolved: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "month": self.month.isoformat(),
            "series": self.series,
            "opened": self.opened,
            "updated": self.updated,
            "de_escalated": self.de_escalated,
            "unchanged": self.unchanged,
            "dq_raised": self.dq_raised,
            "dq_resolved": self.dq_resolved,
        }


def _evidence(series: KpiSeries, decision: Decision) -> dict[str, object]:
    return {
        "unit": series.unit.code,
        "triggers": [{"kind": t.kind, "evidence": t.evidence} for t in decision.triggers],
        "months": [
            {
                "month": r.month.isoformat(),
                "value": r.value,
                "plan": r.plan,
                "outcome": str(r.outcome),
                "point_type": r.point_type or "",
            }
            for r in series.history
        ],
    }


def _covered(series: KpiSeries, month: date) -> bool:
    """A case already covered this month (opened on or before it and evaluated up to it)."""
    return EscalationCase.objects.filter(
        division=series.division, kpi=series.kpi, opened_month__lte=month, evaluated_month__gte=month
    ).exists()


def _open(series: KpiSeries, decision: Decision, month: date, actor: Actor) -> EscalationCase:
    today = timezone.localdate()
    due = action_plan_due(today)
    case = EscalationCase.objects.create(
        reference=case_reference(series.unit.code, series.kpi.code, month),
        division=series.division,
        kpi=series.kpi,
        trigger=decision.triggers[0].kind,
        opened_month=month,
        evaluated_month=month,
        exit_criteria=recovery_criteria(series.settings.sustain_months),
        evidence=_evidence(series, decision),
        reason=decision.reason,
        months_meeting_plan=decision.months_meeting_plan,
        plan_due=due,
    )
    record_step(
        case=case,
        kind=EscalationEvent.Kind.RAISED,
        actor=actor,
        note=f"{decision.reason} An action plan is due by {format_date(due)} (10 working days).",
        before=None,
    )
    return case


def _facts(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence without its words: the triggers' kinds; each month's value, plan, outcome and point."""
    return {**evidence, "triggers": [t["kind"] for t in evidence.get("triggers", [])]}


def _update(case: EscalationCase, series: KpiSeries, decision: Decision, month: date) -> bool:
    """Record the latest evaluation on an open case; False when the evaluation did not change.

    Evidence whose facts stand but whose words differ (values now written in their unit) is rewritten under
    an "evidence reworded" event, not "escalation re-evaluated", which would say the case had moved on.
    """
    evidence = _evidence(series, decision)
    fields: dict[str, Any] = {
        "evaluated_month": month,
        "evidence": evidence,
        "reason": decision.reason,
        "months_meeting_plan": decision.months_meeting_plan,
    }
    # The same month with the same evidence is no change, even though an opening reason reads "Opens a
    # case" and a re-run reads "Stays open".
    if all(
        getattr(case, name) == fields[name] for name in ("evaluated_month", "evidence", "months_meeting_plan")
    ):
        return False
    reworded = (
        case.evaluated_month == month
        and case.months_meeting_plan == decision.months_meeting_plan
        and _facts(case.evidence) == _facts(evidence)
    )
    update_audited(
        case,
        actor=None,
        verb="evidence reworded" if reworded else "escalation re-evaluated",
        audited=["evidence"] if reworded else ["evaluated_month", "reason"],
        object_id=case.reference,
        **fields,
    )
    return not reworded


ESCALATIONS_LOCK = "pmf:escalation-evaluation"


@transaction.atomic
def evaluate_escalations(*, month: date, actor: Actor = None) -> EvaluationRun:
    """Evaluate every KPI series for ``month`` and open, update or de-escalate cases.

    1. Read every series (``evaluation_series``) and the open cases.
    2. An open case evaluated for a later month is left alone: evaluation never goes back in time.
    3. ``escalation.rules.evaluate`` decides. "open" creates a case with its trigger, evidence and action
       plan due date (the raised event), unless a case already covered this month. "stay_open" records the
       latest evidence. "de_escalate" marks the case de-escalated (an event) and ends special measures it
       started, if no other open case of the division still holds them.
    Running it twice for the same month changes nothing, and two runs never interleave: each holds the
    escalations' lock until it commits, so the later sees the cases the earlier opened.
    """
    lock_until_commit(ESCALATIONS_LOCK)
    cases = open_cases_by_series()
    opened = updated = de_escalated = unchanged = 0
    all_series = evaluation_series(month)
    for series in all_series:
        case = cases.get((series.division.pk if series.division else None, series.kpi.pk))
        if case is not None and case.evaluated_month > month:
            unchanged += 1
            continue
        decision = evaluate(
            series.history,
            is_key=series.is_key,
            settings=series.settings,
            case_open=case is not None,
            direction=series.kpi.direction,  # type: ignore[arg-type]
            unit=series.kpi.unit,
        )
        if decision.action == "open" and not _covered(series, month):
            _open(series, decision, month, actor)
            opened += 1
        elif decision.action == "stay_open" and case is not None:
            if _update(case, series, decision, month):
                updated += 1
            else:
                unchanged += 1
        elif decision.action == "de_escalate" and case is not None:
            _update(case, series, decision, month)
            take_step(
                case=case,
                kind=EscalationEvent.Kind.DE_ESCALATED,
                actor=actor,
                note=decision.reason,
                status=EscalationCase.Status.DE_ESCALATED,
            )
            release_special_measures(case=case, actor=actor, month=month)
            de_escalated += 1
        else:
            unchanged += 1
    raised, resolved = record_missing_data(
        missing=[
            (s.kpi, s.unit, month)
            for s in all_series
            if s.history and s.history[-1].month == month and s.history[-1].outcome == Outcome.NO_DATA
        ],
        present=[(s.kpi, s.unit, r.month) for s in all_series for r in s.history if r.value is not None],
        actor=actor,
    )
    return EvaluationRun(
        month, len(all_series), opened, updated, de_escalated, unchanged, len(raised), len(resolved)
    )
