"""Escalation triggers, de-escalation and the action-plan deadline (DESIGN §4.7). Pure: no database."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation.rules import (
    MonthRecord,
    TriggerSettings,
    action_plan_due,
    case_reference,
    check_action_plan,
    evaluate,
    next_meeting,
)
from kpis.assessment import Outcome, assess
from pmf.formatting import format_value
from pmf.periods import add_months

PROPERTY = settings(max_examples=300, deadline=None, database=None)

PLAN = 78.0
TOLERANCE = 2.0
CONCERN = "special_cause_concern"
NO_PLAN = "no plan"  # a month with no target or trajectory


def history(
    *values: float | str | None,
    start: date = date(2025, 4, 1),
    concern_at: int | None = None,
    trajectory: float | None = None,
    direction: str = "higher_is_better",
) -> list[MonthRecord]:
    """Months from ``start`` with these values against a plan of 78% (tolerance 2); None is no data.

    The outcome comes from the real assessment, so the rules see what a published month would give them.
    ``concern_at`` marks one month (by index, -1 for the latest) as special-cause concern; ``trajectory``
    sets the latest month's trajectory, which is then its plan.
    """
    records = []
    for i, value in enumerate(values):
        last = i == len(values) - 1
        plan = None if value == NO_PLAN else (trajectory if last and trajectory is not None else PLAN)
        number = None if value == NO_PLAN else value
        assert not isinstance(number, str)
        records.append(
            MonthRecord(
                month=add_months(start, i),
                value=number,
                plan=plan,
                outcome=assess(number, plan, direction, TOLERANCE).outcome,
                tolerance=TOLERANCE,
                trajectory=trajectory if last else None,
                point_type=CONCERN
                if concern_at is not None and i == concern_at % len(values)
                else "common_cause",
            )
        )
    return records


MISS, NEAR, MEET = 63.1, 77.0, 80.0  # not met; within tolerance (still not met); met

DEFAULTS = TriggerSettings()


@pytest.mark.parametrize(
    ("values", "case_open", "is_key", "concern_at", "expected", "kinds"),
    [
        # No case yet: the missed-plan trigger.
        ((MISS, MISS, MISS), False, True, None, "open", ["missed_plan"]),
        ((MISS, MISS), False, True, None, "none", []),
        ((MEET, MISS, MISS), False, True, None, "none", []),
        ((MISS, MISS, MISS, MISS, MISS), False, True, None, "open", ["missed_plan"]),
        ((MISS, MISS, MISS, MISS, MISS), False, False, None, "none", []),  # a non-key KPI opens none
        ((MISS, MISS, None), False, True, None, "open", ["missed_plan"]),  # no data counts as missed
        ((None, None, None), False, True, None, "open", ["missed_plan"]),
        ((MISS, NEAR, MISS), False, True, None, "open", ["missed_plan"]),  # within tolerance is missed
        ((NEAR, NEAR, NEAR), False, True, None, "open", ["missed_plan"]),
        ((MISS, MEET, MISS, MISS), False, True, None, "none", []),  # a met month breaks the run
        ((MISS, MISS, NO_PLAN), False, True, None, "none", []),  # so does a month with no plan
        # No case yet: special-cause concern on the latest point.
        ((MEET, MEET), False, True, -1, "open", ["special_cause_concern"]),
        ((MEET, MEET), False, False, -1, "none", []),  # not a trigger for a non-key KPI
        ((MEET, MEET), False, True, 0, "none", []),  # only the latest point counts
        ((MISS, MISS, MISS), False, True, -1, "open", ["special_cause_concern", "missed_plan"]),
        # An open case: recovery.
        ((MISS, MISS, MISS, MEET), True, True, None, "stay_open", []),
        ((MISS, MISS, MISS, MEET, MEET), True, True, None, "stay_open", []),  # 2 months: not yet
        ((MISS, MISS, MISS, MEET, MEET, MEET), True, True, None, "de_escalate", []),  # 3 months
        ((MEET, MEET, MISS, MEET, MEET), True, True, None, "stay_open", []),  # relapse restarts the count
        ((MEET, MEET, MISS, MEET, MEET, MEET), True, True, None, "de_escalate", []),
        ((MEET, MEET, NEAR, MEET, MEET), True, True, None, "stay_open", []),  # within tolerance is a relapse
        ((MEET, MEET, None), True, True, None, "stay_open", []),  # missing data never de-escalates
        ((MEET, None, MEET, MEET), True, True, None, "stay_open", []),
        ((None, MEET, MEET, MEET), True, True, None, "de_escalate", []),  # an old gap does not matter
        ((MEET, MEET, MEET), True, True, -1, "stay_open", ["special_cause_concern"]),  # a fresh trigger wins
        ((MEET, MEET, MEET), True, False, -1, "de_escalate", []),
        ((MISS, MISS, MISS, MISS), True, True, None, "stay_open", ["missed_plan"]),
        ((MEET, MEET, NO_PLAN), True, True, None, "stay_open", []),  # no plan to meet is not meeting it
    ],
)
def test_evaluate_table(values, case_open, is_key, concern_at, expected, kinds):
    decision = evaluate(
        history(*values, concern_at=concern_at), is_key=is_key, settings=DEFAULTS, case_open=case_open
    )

    assert decision.action == expected
    assert [t.kind for t in decision.triggers] == kinds


def test_evaluate_recovery_month_by_month_de_escalates_only_at_the_third_month():
    values = (MISS, MISS, MISS, MEET, MEET, MEET, MEET)
    case_open, actions = False, []
    for end in range(1, len(values) + 1):
        decision = evaluate(history(*values[:end]), is_key=True, settings=DEFAULTS, case_open=case_open)
        actions.append(decision.action)
        case_open = (case_open or decision.action == "open") and decision.action != "de_escalate"

    assert actions == ["none", "none", "open", "stay_open", "stay_open", "de_escalate", "none"]


def test_evaluate_relapse_during_recovery_then_recovery_again():
    values = (MISS, MISS, MISS, MEET, MEET, MISS, MEET, MEET, MEET)
    case_open, actions = False, []
    for end in range(1, len(values) + 1):
        decision = evaluate(history(*values[:end]), is_key=True, settings=DEFAULTS, case_open=case_open)
        actions.append(decision.action)
        case_open = (case_open or decision.action == "open") and decision.action != "de_escalate"

    assert actions == ["none", "none", "open"] + ["stay_open"] * 5 + ["de_escalate"]


# --- evidence and reasons -----------------------------------------------------------------------------------


def test_evaluate_missed_plan_evidence_lists_each_month():
    decision = evaluate(
        history(MISS, None, NEAR), is_key=True, settings=DEFAULTS, case_open=False, unit="percent"
    )

    assert decision.triggers[0].evidence == (
        "missed plan for 3 consecutive months: Apr 2025 63.1% vs 78.0%, May 2025 no data,"
        " Jun 2025 77.0% vs 78.0% (within tolerance)"
    )
    assert decision.reason == f"Opens a case: {decision.triggers[0].evidence}."


def test_evaluate_missed_plan_evidence_covers_the_whole_run():
    decision = evaluate(
        history(MEET, MISS, MISS, MISS, MISS), is_key=True, settings=DEFAULTS, case_open=False
    )

    assert decision.triggers[0].evidence.startswith(
        "missed plan for 4 consecutive months: May 2025 63.1 vs 78,"
    )


def test_evaluate_special_cause_concern_evidence():
    decision = evaluate(
        history(MEET, 79.0, concern_at=-1), is_key=True, settings=DEFAULTS, case_open=False, unit="percent"
    )

    assert (
        decision.triggers[0].evidence
        == "special-cause concern on a key KPI (latest point): May 2025 79.0% vs 78.0%"
    )


def test_evaluate_non_key_concern_is_noted_but_does_not_open():
    decision = evaluate(history(MEET, MEET, concern_at=-1), is_key=False, settings=DEFAULTS, case_open=False)

    assert decision.reason == (
        "No trigger fired. Special-cause concern in May 2025 is not a trigger for a non-key KPI."
    )


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (
            (MISS, MISS, MISS, MEET, MEET),
            "Stays open: met plan for 2 of the 3 consecutive months needed (Jul 2025, Aug 2025).",
        ),
        (
            (MEET, MEET, None),
            "Stays open: no data for Jun 2025, and missing data never counts towards recovery.",
        ),
        (
            (MEET, MEET, NEAR),
            "Stays open: Jun 2025 77 vs 78 (within tolerance) did not meet plan,"
            " so no month counts towards recovery yet.",
        ),
        (
            (MISS, MEET, MEET, MEET),
            "De-escalates: met plan for 3 consecutive months:"
            " May 2025 80 vs 78, Jun 2025 80 vs 78, Jul 2025 80 vs 78.",
        ),
    ],
)
def test_evaluate_open_case_reasons(values, reason):
    decision = evaluate(history(*values), is_key=True, settings=DEFAULTS, case_open=True)

    assert decision.reason == reason


def test_evaluate_counts_the_months_meeting_plan():
    decision = evaluate(history(MISS, MEET, MEET), is_key=True, settings=DEFAULTS, case_open=True)

    assert decision.months_meeting_plan == 2


# --- trajectory variance ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "trajectory", "direction", "tolerance", "fires"),
    [
        (60.0, 70.0, "higher_is_better", None, True),  # 10 below, tolerance 2
        (68.0, 70.0, "higher_is_better", None, False),  # exactly at the tolerance: within it
        (67.9, 70.0, "higher_is_better", None, True),
        (80.0, 70.0, "higher_is_better", None, False),  # a favourable variance
        (80.0, 70.0, "lower_is_better", None, True),  # adverse for a lower-is-better KPI
        (60.0, 70.0, "lower_is_better", None, False),
        (80.0, 70.0, None, None, True),  # direction unknown: either way counts
        (60.0, 70.0, None, None, True),
        (60.0, 70.0, "higher_is_better", 15.0, False),  # the setting overrides the month's tolerance
        (60.0, 70.0, "higher_is_better", 5.0, True),
        (69.0, 70.0, "higher_is_better", 0.0, True),
    ],
)
def test_evaluate_trajectory_variance(latest, trajectory, direction, tolerance, fires):
    records = history(MEET, latest, trajectory=trajectory, direction=direction or "higher_is_better")

    decision = evaluate(
        records,
        is_key=True,
        settings=TriggerSettings(trajectory_tolerance=tolerance),
        case_open=False,
        direction=direction,
    )

    assert ("trajectory_variance" in [t.kind for t in decision.triggers]) is fires
    assert decision.action == ("open" if fires else "none")


def test_evaluate_trajectory_variance_evidence():
    records = history(MEET, 60.0, trajectory=70.0)

    decision = evaluate(
        records, is_key=True, settings=DEFAULTS, case_open=False, direction="higher_is_better", unit="percent"
    )

    assert decision.triggers[0].evidence == (
        "10.0 pp below trajectory in May 2025: 60.0% vs 70.0%, beyond the tolerance of 2.0 pp"
    )


def test_evaluate_trajectory_variance_needs_a_value_and_a_trajectory():
    no_value = history(MEET, None, trajectory=70.0)
    no_trajectory = history(MEET, 60.0)

    for records in (no_value, no_trajectory):
        decision = evaluate(
            records, is_key=True, settings=DEFAULTS, case_open=False, direction="higher_is_better"
        )
        assert "trajectory_variance" not in [t.kind for t in decision.triggers]


# --- settings -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger_settings", "values", "concern_at", "expected"),
    [
        (TriggerSettings(missed_plan_months=2), (MISS, MISS), None, "open"),
        (TriggerSettings(missed_plan_months=4), (MISS, MISS, MISS), None, "none"),
        (TriggerSettings(missed_plan_months=None), (MISS,) * 6, None, "none"),
        (TriggerSettings(missed_plan_months=0), (MISS,) * 6, None, "none"),
        (TriggerSettings(special_cause_concern_on_key=False), (MEET, MEET), -1, "none"),
        (TriggerSettings(trajectory_variance=False), (MEET, MEET), None, "none"),
    ],
)
def test_evaluate_settings_switch_triggers(trigger_settings, values, concern_at, expected):
    decision = evaluate(
        history(*values, concern_at=concern_at), is_key=True, settings=trigger_settings, case_open=False
    )

    assert decision.action == expected


@pytest.mark.parametrize(
    ("sustain", "values", "expected"),
    [
        (2, (MISS, MEET, MEET), "de_escalate"),
        (2, (MISS, MISS, MEET), "stay_open"),
        (1, (MISS, MISS, MEET), "de_escalate"),
        (6, (MISS,) + (MEET,) * 5, "stay_open"),
        (6, (MISS,) + (MEET,) * 6, "de_escalate"),
    ],
)
def test_evaluate_sustain_months_is_configurable(sustain, values, expected):
    decision = evaluate(
        history(*values), is_key=True, settings=TriggerSettings(sustain_months=sustain), case_open=True
    )

    assert decision.action == expected


def test_evaluate_defaults_to_the_design_triggers():
    decision = evaluate(history(MISS, MISS, MISS), is_key=True, case_open=False)

    assert decision.action == "open"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sustain_months": 0}, "sustain_months must be at least 1"),
        ({"missed_plan_months": -1}, "cannot be negative"),
        ({"trajectory_tolerance": -0.5}, "cannot be negative"),
    ],
)
def test_trigger_settings_refuse_impossible_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TriggerSettings(**kwargs)


def test_evaluate_with_no_history():
    assert evaluate([], is_key=True, settings=DEFAULTS, case_open=False).action == "none"
    assert evaluate([], is_key=True, settings=DEFAULTS, case_open=True).action == "stay_open"


def test_evaluate_refuses_a_history_with_a_gap():
    records = history(MISS, MISS, MISS)

    with pytest.raises(ValueError, match="consecutive months in order"):
        evaluate([records[0], records[2]], is_key=True, settings=DEFAULTS, case_open=False)
    with pytest.raises(ValueError, match="consecutive months in order"):
        evaluate(records[::-1], is_key=True, settings=DEFAULTS, case_open=False)


@pytest.mark.parametrize(
    ("unit", "values", "plan", "evidence"),
    [
        # The table writes -507 £ thousands as −£507k; the evidence must say the same.
        ("currency", (-507.0, -620.4, -30000.5), 0.0, "Jun 2025 −£30,001k vs £0k"),
        ("seconds", (4000.0, 4100.0, 3599.6), 3000.0, "Jun 2025 1:00:00 vs 50:00"),
        ("ratio", (0.786667, 0.8, 0.81), 0.95, "Jun 2025 0.81 vs 0.95"),
        ("count", (14.0, 15.0, 1234.0), 10000.0, "Jun 2025 1,234 vs 10,000"),
    ],
)
def test_evidence_writes_values_as_the_tables_do(unit, values, plan, evidence):
    records = [
        MonthRecord(
            month=add_months(date(2025, 4, 1), i),
            value=value,
            plan=plan,
            outcome=assess(
                value, plan, "higher_is_better" if unit != "seconds" else "lower_is_better"
            ).outcome,
        )
        for i, value in enumerate(values)
    ]

    decision = evaluate(records, is_key=True, settings=DEFAULTS, case_open=False, unit=unit)

    assert decision.triggers[0].evidence.endswith(evidence)
    assert format_value(values[0], unit) in decision.triggers[0].evidence


@pytest.mark.parametrize(
    ("opens_cases", "is_key", "expected", "why"),
    [
        ("key", True, "open", "Opens a case: missed plan for 3 consecutive months"),
        ("key", False, "none", "but only key KPIs open a case and this KPI is not key."),
        ("always", False, "open", "Opens a case: missed plan for 3 consecutive months"),
        ("never", True, "none", "but this KPI is set never to open a case."),
    ],
)
def test_what_opens_a_case_is_the_kpis_setting_key_kpis_by_default(opens_cases, is_key, expected, why):
    settings = TriggerSettings(opens_cases=opens_cases)

    decision = evaluate(history(MISS, MISS, MISS), is_key=is_key, settings=settings, case_open=False)

    assert decision.action == expected
    assert why in decision.reason
    assert decision.reason.startswith("Opens a case" if expected == "open" else "No case opened: missed plan")


def test_a_kpi_that_opens_no_case_still_keeps_an_open_one_open_and_de_escalates_it():
    never = TriggerSettings(opens_cases="never")

    assert evaluate(history(MISS, MISS, MISS), is_key=False, settings=never, case_open=True).action == (
        "stay_open"
    )
    assert evaluate(history(MEET, MEET, MEET), is_key=False, settings=never, case_open=True).action == (
        "de_escalate"
    )
    with pytest.raises(ValueError, match="opens_cases is one of key, always, never"):
        TriggerSettings(opens_cases="sometimes")  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------------------------

VALUES = st.sampled_from([MISS, NEAR, MEET, None, NO_PLAN])


@PROPERTY
@given(
    st.lists(VALUES, min_size=1, max_size=12),
    st.booleans(),
    st.booleans(),
    st.none() | st.integers(-12, 11),
    st.integers(1, 4),
)
def test_evaluate_invariants(values, case_open, is_key, concern_at, sustain):
    records = history(*values, concern_at=concern_at)
    trigger_settings = TriggerSettings(sustain_months=sustain)

    decision = evaluate(records, is_key=is_key, settings=trigger_settings, case_open=case_open)

    allowed = {"stay_open", "de_escalate"} if case_open else {"open", "none"}
    assert decision.action in allowed
    assert (decision.action == "open") == (not case_open and bool(decision.triggers))
    if decision.action == "open":
        assert is_key  # by default only a key KPI opens a case
    if decision.action == "de_escalate":
        assert all(r.outcome == Outcome.MET for r in records[-sustain:])
        assert len(records) >= sustain
        assert not decision.triggers
    if records[-1].outcome == Outcome.NO_DATA:
        assert decision.action != "de_escalate"  # missing data never de-escalates
    assert decision.reason


@PROPERTY
@given(st.lists(VALUES, min_size=1, max_size=12), st.integers(1, 4))
def test_evaluate_any_gap_in_the_sustain_window_blocks_de_escalation(values, sustain):
    records = history(*values)

    decision = evaluate(
        records, is_key=False, settings=TriggerSettings(sustain_months=sustain), case_open=True
    )

    if any(r.outcome != Outcome.MET for r in records[-sustain:]):
        assert decision.action == "stay_open"


# --- the action plan and the first rung of the ladder -------------------------------------------------------


@pytest.mark.parametrize(
    ("opened_on", "due"),
    [
        (date(2025, 4, 17), date(2025, 5, 6)),  # over Easter and the early May bank holiday
        (date(2025, 10, 1), date(2025, 10, 15)),
        (date(2025, 12, 19), date(2026, 1, 7)),  # over Christmas, Boxing Day and New Year's Day
    ],
)
def test_action_plan_due_after_10_working_days(opened_on, due):
    assert action_plan_due(opened_on) == due


@pytest.mark.parametrize(
    ("today", "agreed", "critical", "escalate", "reason"),
    [
        (date(2025, 4, 25), None, False, False, "Awaiting an action plan, due 6 May 2025."),
        (date(2025, 5, 6), None, False, False, "Awaiting an action plan, due 6 May 2025."),
        (date(2025, 5, 7), None, False, True, "Escalate to FPEC: no agreed action plan by 6 May 2025."),
        (date(2025, 5, 20), date(2025, 5, 6), False, False, "Action plan agreed in time (due 6 May 2025)."),
        (
            date(2025, 5, 20),
            date(2025, 5, 9),
            False,
            True,
            "Escalate to FPEC: the action plan was due 6 May 2025 but agreed 9 May 2025.",
        ),
        (date(2025, 4, 17), None, True, True, "Escalate to FPEC: a critical failure goes up at once."),
    ],
)
def test_check_action_plan(today, agreed, critical, escalate, reason):
    decision = check_action_plan(
        opened_on=date(2025, 4, 17), today=today, plan_agreed_on=agreed, critical_failure=critical
    )

    assert decision.escalate_to_fpec is escalate
    assert decision.plan_due == date(2025, 5, 6)
    assert decision.reason == reason


# --- committees ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "weekday", "week", "meeting"),
    [
        (date(2025, 8, 1), 3, 3, date(2025, 8, 21)),  # the third Thursday of August
        (date(2025, 8, 21), 3, 3, date(2025, 8, 21)),  # today's meeting is the next one
        (date(2025, 8, 22), 3, 3, date(2025, 9, 18)),  # passed: next month's
        (date(2025, 8, 1), 0, -1, date(2025, 8, 26)),  # last Monday is the bank holiday: the Tuesday
    ],
)
def test_next_meeting(today, weekday, week, meeting):
    assert next_meeting(today, weekday=weekday, week_of_month=week) == meeting


def test_case_reference():
    assert case_reference("RWD-MED", "AE-4H", date(2025, 7, 1)) == "RWD-MED-AE-4H-2025-07"
