"""Escalation triggers, de-escalation and the first rung of the ladder (DESIGN §4.7).

Pure: no Django. One KPI for one division at a time: its recent monthly history in, a decision with its
evidence out. Which outcomes count as "missed" follows DESIGN §4.3 and the division ratings
(:data:`reviews.ratings.FAILING_OUTCOMES`): not met, within tolerance (it is still not met) and no data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kpis.assessment import Outcome
from pmf.formatting import format_date, format_delta, format_value
from pmf.periods import add_months, month_label
from pmf.working_days import add_working_days, nth_weekday, working_day_on_or_after
from reviews.ratings import FAILING_OUTCOMES

TriggerKind = Literal["special_cause_concern", "missed_plan", "trajectory_variance"]
Action = Literal["open", "stay_open", "de_escalate", "none"]
Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
# Which KPIs a trigger opens a case on: key KPIs only (the default), every KPI, or none.
OpensCases = Literal["key", "always", "never"]
OPENS_CASES: tuple[OpensCases, ...] = ("key", "always", "never")

ACTION_PLAN_WORKING_DAYS = 10
SPECIAL_CAUSE_CONCERN = "special_cause_concern"


@dataclass(frozen=True, kw_only=True)
class MonthRecord:
    """One month of a KPI for one division, as published."""

    month: date
    value: float | None
    plan: float | None
    # From ``kpis.assessment.assess`` against the plan.
    outcome: Outcome
    tolerance: float = 0.0
    trajectory: float | None = None
    # The SPC point type of this month ("special_cause_concern", "common_cause", …); None for a gap.
    point_type: str | None = None


@dataclass(frozen=True)
class TriggerSettings:
    """A KPI's trigger settings; the defaults are the three triggers of §4.7."""

    special_cause_concern_on_key: bool = True
    # Consecutive months of missed plan that open a case; None or 0 switches the trigger off.
    missed_plan_months: int | None = 3
    # How far from trajectory is too far; None uses each month's own tolerance (the target's).
    trajectory_tolerance: float | None = None
    # Consecutive months meeting plan that close a case.
    sustain_months: int = 3
    trajectory_variance: bool = True
    opens_cases: OpensCases = "key"

    def __post_init__(self) -> None:
        if self.opens_cases not in OPENS_CASES:
            raise ValueError(f"opens_cases is one of {', '.join(OPENS_CASES)}")
        if self.sustain_months < 1:
            raise ValueError("sustain_months must be at least 1")
        if self.missed_plan_months is not None and self.missed_plan_months < 0:
            raise ValueError("missed_plan_months cannot be negative")
        if self.trajectory_tolerance is not None and self.trajectory_tolerance < 0:
            raise ValueError("trajectory_tolerance cannot be negative")


def why_no_case(settings: TriggerSettings, *, is_key: bool) -> str | None:
    """Why a trigger that fires on this KPI opens no case; None when it opens one."""
    if settings.opens_cases == "never":
        return "this KPI is set never to open a case"
    if settings.opens_cases == "key" and not is_key:
        return "only key KPIs open a case and this KPI is not key"
    return None


@dataclass(frozen=True)
class Trigger:
    kind: TriggerKind
    evidence: str


@dataclass(frozen=True)
class Decision:
    action: Action
    triggers: list[Trigger] = field(default_factory=list)
    reason: str = ""
    # How many of the latest months, counting back, met plan.
    months_meeting_plan: int = 0


def _describe(record: MonthRecord, unit: str) -> str:
    """e.g. ``Apr 2025 63.1% vs 78.0%``, ``May 2025 no data``, ``Jun 2025 76.0% vs 78.0% (within
    tolerance)``."""
    shown = "no data" if record.value is None else format_value(record.value, unit)
    text = f"{month_label(record.month)} {shown}"
    if record.value is not None and record.plan is not None:
        text += f" vs {format_value(record.plan, unit)}"
    if record.outcome == Outcome.WITHIN_TOLERANCE:
        text += " (within tolerance)"
    return text


def _trailing(history: Sequence[MonthRecord], outcomes: frozenset[Outcome]) -> list[MonthRecord]:
    run: list[MonthRecord] = []
    for record in reversed(history):
        if record.outcome not in outcomes:
            break
        run.append(record)
    return run[::-1]


def _check_history(history: Sequence[MonthRecord]) -> None:
    for before, after in zip(history, history[1:], strict=False):
        if after.month != add_months(before.month, 1):
            raise ValueError(
                f"history must be consecutive months in order, but {month_label(after.month)} follows"
                f" {month_label(before.month)}; give a month with no data as value=None, outcome=no_data"
            )


def _trajectory_trigger(
    latest: MonthRecord, settings: TriggerSettings, direction: Direction | None, unit: str
) -> Trigger | None:
    if not settings.trajectory_variance or latest.trajectory is None or latest.value is None:
        return None
    tolerance = latest.tolerance if settings.trajectory_tolerance is None else settings.trajectory_tolerance
    variance = latest.value - latest.trajectory
    if direction == "higher_is_better":
        adverse = -variance
    elif direction == "lower_is_better":
        adverse = variance
    else:
        adverse = abs(variance)
    if adverse <= tolerance:
        return None
    side = (
        "off" if direction in (None, "neutral") else ("below" if direction == "higher_is_better" else "above")
    )
    return Trigger(
        "trajectory_variance",
        f"{format_delta(variance, unit, signed=False)} {side} trajectory in {month_label(latest.month)}:"
        f" {format_value(latest.value, unit)} vs {format_value(latest.trajectory, unit)},"
        f" beyond the tolerance of {format_delta(tolerance, unit, signed=False)}",
    )


def evaluate(
    history: Sequence[MonthRecord],
    *,
    is_key: bool,
    settings: TriggerSettings | None = None,
    case_open: bool,
    direction: Direction | None = None,
    unit: str = "",
) -> Decision:
    """Decide whether a KPI opens an escalation case, keeps one open, or de-escalates it.

    ``history`` is the KPI's consecutive months up to the one just published (the latest last).
    ``direction`` tells which side of the trajectory is adverse; without it (or for a neutral KPI) a
    variance either way counts. ``unit`` only shapes the evidence ("percent" writes 63.1%).

    1. Special-cause concern: the latest point is special-cause concern and the KPI is key (a concern on a
       non-key KPI is reported in the reason, but is not a trigger).
    2. Missed plan: the latest ``missed_plan_months`` months all missed plan. Within tolerance is still
       missed (§4.3: within tolerance is a kind of not met), and so is no data; a month with no plan
       (not assessed) breaks the run.
    3. Trajectory variance: the latest month is further from its trajectory, on the adverse side, than the
       tolerance (``settings.trajectory_tolerance``, else the month's own).
    4. No open case: any trigger opens one if the KPI opens cases (``settings.opens_cases``: key KPIs only
       by default, every KPI, or none); otherwise nothing happens, and the reason says what fired.
    5. Open case: it de-escalates when the latest ``sustain_months`` months all met plan and no trigger
       fires now; otherwise it stays open. Missing data never counts towards recovery, so it never
       de-escalates a case.
    """
    settings = settings or TriggerSettings()
    _check_history(history)
    if not history:
        reason = "No data yet, so no trigger can fire"
        return Decision(
            "stay_open" if case_open else "none",
            [],
            reason + (" and the case stays open." if case_open else "."),
        )
    latest = history[-1]
    triggers: list[Trigger] = []
    notes: list[str] = []

    if latest.point_type == SPECIAL_CAUSE_CONCERN:
        if is_key and settings.special_cause_concern_on_key:
            triggers.append(
                Trigger(
                    "special_cause_concern",
                    f"special-cause concern on a key KPI (latest point): {_describe(latest, unit)}",
                )
            )
        elif not is_key:
            notes.append(
                f"Special-cause concern in {month_label(latest.month)} is not a trigger for a non-key KPI"
            )

    needed = settings.missed_plan_months
    missed = _trailing(history, FAILING_OUTCOMES)
    if needed and len(missed) >= needed:
        triggers.append(
            Trigger(
                "missed_plan",
                f"missed plan for {len(missed)} consecutive months: "
                + ", ".join(_describe(r, unit) for r in missed),
            )
        )

    trajectory = _trajectory_trigger(latest, settings, direction, unit)
    if trajectory:
        triggers.append(trajectory)

    met = _trailing(history, frozenset({Outcome.MET}))
    fired = "; ".join(t.evidence for t in triggers)
    if not case_open:
        refused = why_no_case(settings, is_key=is_key)
        if triggers and refused:
            return Decision("none", [], f"No case opened: {fired}; but {refused}.", len(met))
        if triggers:
            return Decision("open", triggers, f"Opens a case: {fired}.", len(met))
        return Decision("none", [], ". ".join(["No trigger fired", *notes]) + ".", len(met))

    sustain = settings.sustain_months
    if triggers:
        return Decision("stay_open", triggers, f"Stays open: {fired}.", len(met))
    if len(met) >= sustain:
        shown = ", ".join(_describe(r, unit) for r in met[-sustain:])
        return Decision(
            "de_escalate", [], f"De-escalates: met plan for {sustain} consecutive months: {shown}.", len(met)
        )
    if met:
        months = ", ".join(month_label(r.month) for r in met)
        reason = f"Stays open: met plan for {len(met)} of the {sustain} consecutive months needed ({months})"
    elif latest.outcome == Outcome.NO_DATA:
        reason = (
            f"Stays open: no data for {month_label(latest.month)},"
            " and missing data never counts towards recovery"
        )
    else:
        reason = (
            f"Stays open: {_describe(latest, unit)} did not meet plan,"
            " so no month counts towards recovery yet"
        )
    return Decision("stay_open", [], ". ".join([reason, *notes]) + ".", len(met))


# --- the ladder ---------------------------------------------------------------------------------------------

LADDER = ("performance_team", "fpec", "executive_team")


@dataclass(frozen=True)
class LadderDecision:
    escalate_to_fpec: bool
    plan_due: date
    reason: str


def action_plan_due(opened_on: date, *, working_days: int = ACTION_PLAN_WORKING_DAYS) -> date:
    """The last day for an agreed action plan: the 10th working day after the case opened."""
    return add_working_days(opened_on, working_days)


def check_action_plan(
    *,
    opened_on: date,
    today: date,
    plan_agreed_on: date | None,
    critical_failure: bool = False,
    working_days: int = ACTION_PLAN_WORKING_DAYS,
) -> LadderDecision:
    """Whether a case at the performance team goes up to FPEC (via the Director of Finance).

    1. The plan is due on the ``working_days``-th working day after the case opened (England and Wales
       bank holidays excluded); agreeing it on that day is in time.
    2. A critical failure goes to FPEC at once.
    3. Otherwise it goes when the plan was agreed late, or is still not agreed after the due day.
    Above FPEC the Executive Team decides (audit or special measures): that is a recorded human decision,
    not a rule.
    """
    due = action_plan_due(opened_on, working_days=working_days)
    when = f"{format_date(due)}"
    if critical_failure:
        return LadderDecision(True, due, "Escalate to FPEC: a critical failure goes up at once.")
    if plan_agreed_on is not None and plan_agreed_on <= due:
        return LadderDecision(False, due, f"Action plan agreed in time (due {when}).")
    if plan_agreed_on is not None:
        agreed = f"{format_date(plan_agreed_on)}"
        return LadderDecision(
            True, due, f"Escalate to FPEC: the action plan was due {when} but agreed {agreed}."
        )
    if today > due:
        return LadderDecision(True, due, f"Escalate to FPEC: no agreed action plan by {when}.")
    return LadderDecision(False, due, f"Awaiting an action plan, due {when}.")


# --- committees ---------------------------------------------------------------------------------------------


def next_meeting(today: date, *, weekday: int, week_of_month: int) -> date:
    """The date of a committee's next meeting, on or after ``today``.

    1. It meets on the ``week_of_month``-th ``weekday`` of each month (-1 = the last), Monday = 0.
    2. A meeting on a bank holiday moves to the next working day.
    3. If this month's meeting has passed, it is next month's.
    """
    month = today.replace(day=1)
    for _ in range(2):
        meeting = working_day_on_or_after(nth_weekday(month.year, month.month, weekday, week_of_month))
        if meeting >= today:
            return meeting
        month = add_months(month, 1)
    raise AssertionError("a monthly meeting always falls within two months")  # pragma: no cover


def recovery_criteria(sustain_months: int) -> str:
    """A KPI case's exit criteria, as the case page states them."""
    return f"Meets plan for {sustain_months} consecutive months, with no trigger firing in the latest."


def case_reference(unit_code: str, kpi_code: str, opened_month: date) -> str:
    """A case's reference for papers and links: ``RWD-MED-AE-4H-2025-07``."""
    return f"{unit_code}-{kpi_code}-{opened_month:%Y-%m}"
