"""Key lines of enquiry for a PRM data pack, generated from the pack's data (DESIGN §4.6).

Pure: the pack's IPR rows (`reviews.ipr.content.IprKpiRow`) and plain dicts in, questions out. The
performance team edits the list before the pack is issued; this module only writes the first draft, one
question per finding, ranked (``ranked``): what concerns a key KPI and the open escalation cases first,
then the rest, each by severity (a case before the Executive Team or FPEC first, a case at the performance
team after the key KPIs); a pack asks the first ``LINES_ASKED`` and lists the others apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pmf.formatting import format_date
from pmf.words import TrustWords

from .ipr.content import IprKpiRow

OFF_PLAN = ("not_met", "within_tolerance", "no_data")


# A pack asks this many generated questions; the others are listed after them, not asked.
LINES_ASKED = 10

# The severity of a finding, most severe first; an escalation's comes from its rung of the ladder.
SEVERITY = {
    "escalation": 0,
    "concern": 3,
    "assurance": 4,
    "key_missed": 5,
    "overdue_action": 7,
    "incomplete": 8,
    "overdue_milestone": 9,
    "manual": 10,
}
# A case before the Executive Team or FPEC outranks every KPI; one at the performance team's rung follows the
# key KPIs' own questions, so a list of many such cases does not crowd them out.
ESCALATION_SEVERITY = {"Executive Team": 0, "FPEC": 1}
PERFORMANCE_TEAM_CASE = 6


@dataclass(frozen=True)
class LineOfEnquiry:
    text: str
    # concern | assurance | key_missed | incomplete | overdue_action | escalation | overdue_milestone | manual
    source: str
    key: bool = False  # about a key KPI, or an escalation case: asked first
    severity: int = 10  # lower is more severe

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


def ranked(lines: Sequence[LineOfEnquiry]) -> list[LineOfEnquiry]:
    """Key KPIs' and escalations' questions first, then the others; within each, the most severe first; ties
    keep the order they were found in."""
    order = {id(line): i for i, line in enumerate(lines)}
    return sorted(lines, key=lambda line: (not line.key, line.severity, order[id(line)]))


def asked_and_more(
    lines: Sequence[LineOfEnquiry], limit: int = LINES_ASKED
) -> tuple[list[LineOfEnquiry], list[LineOfEnquiry]]:
    """The first ``limit`` questions of the ranked list, and the rest (listed in the pack, not asked)."""
    ordered = ranked(lines)
    return ordered[:limit], ordered[limit:]


def _is_concern(row: IprKpiRow) -> bool:
    return bool(row.variation_icon) and str(row.variation_icon).startswith("concern")


def _is_failing(row: IprKpiRow) -> bool:
    return row.assurance == "fail"


def lines_of_enquiry(
    kpis: Sequence[IprKpiRow],
    *,
    overdue_actions: Sequence[Mapping[str, Any]] = (),
    escalations: Sequence[Mapping[str, Any]] = (),
    overdue_milestones: Sequence[Mapping[str, Any]] = (),
    division: str = "",
    words: TrustWords | None = None,
) -> list[LineOfEnquiry]:
    """The draft questions for the meeting, ranked (``ranked``). Found in this order:

    1. Each KPI showing special-cause concern: what is driving it.
    2. Each KPI whose assurance fails (the target lies outside the process limits): the recovery plan.
    3. Each key KPI off plan this month and not already asked about: why, and by when it recovers.
    4. Each KPI whose figure is incomplete (a roll-up with missing teams): when the data will be complete.
    5. Each overdue action: why it is late and the new date.
    6. Each open escalation case: progress against its exit criteria.
    7. Each overdue milestone of a Board priority the division delivers: what is holding it, and the new date.

    ``kpis`` are the scorecard rows of the pack (their ``name``, ``is_key``, ``outcome``,
    ``variation_icon``, ``assurance`` and ``is_incomplete`` are read); actions carry ``title``, ``owner``,
    ``due_date``; escalations carry ``title`` and ``level``; milestones carry ``title``, ``priority`` and
    ``due_date`` (``strategy.selectors.overdue_milestones``). The questions speak the trust's ``words``
    ("not every ward reported" where its teams are wards); ``division`` names the unit reviewed, and where
    none is given the questions say "the division" in the trust's word ("the directorate").
    """
    words = words or TrustWords()
    division = division or words.fill("the {division}")
    team = words.team.lower()
    lines: list[LineOfEnquiry] = []
    asked: set[str] = set()
    for row in kpis:
        if _is_concern(row):
            lines.append(
                LineOfEnquiry(
                    f"{row.name} shows special-cause concern: what is driving it, and what is being done?",
                    "concern",
                    row.is_key,
                    SEVERITY["concern"],
                )
            )
            asked.add(row.name)
    for row in kpis:
        if _is_failing(row):
            text = (
                f"{row.name} will not consistently meet its target at the current process: "
                "what change to the process will recover it, and when?"
            )
            lines.append(LineOfEnquiry(text, "assurance", row.is_key, SEVERITY["assurance"]))
            asked.add(row.name)
    for row in kpis:
        if row.is_key and row.outcome in OFF_PLAN and row.name not in asked:
            reason = "has no data" if row.outcome == "no_data" else "missed its plan"
            lines.append(
                LineOfEnquiry(
                    f"Key KPI {row.name} {reason} this month: why, and when will it recover?",
                    "key_missed",
                    True,
                    SEVERITY["key_missed"],
                )
            )
    for row in kpis:
        if row.is_incomplete:
            lines.append(
                LineOfEnquiry(
                    f"{row.name} is incomplete (not every {team} reported): when will it be complete?",
                    "incomplete",
                    row.is_key,
                    SEVERITY["incomplete"],
                )
            )
    for action in overdue_actions:
        lines.append(
            LineOfEnquiry(
                f"Action \u201c{action['title']}\u201d ({action['owner']}) was due {_due(action)}: "
                "why is it late and what is the new date?",
                "overdue_action",
                False,
                SEVERITY["overdue_action"],
            )
        )
    for case in escalations:
        lines.append(
            LineOfEnquiry(
                f"Escalation \u201c{case['title']}\u201d (level {case['level']}) is open for {division}: "
                "what progress against the exit criteria?",
                "escalation",
                True,
                ESCALATION_SEVERITY.get(str(case["level"]), PERFORMANCE_TEAM_CASE),
            )
        )
    for milestone in overdue_milestones:
        lines.append(
            LineOfEnquiry(
                f"Milestone \u201c{milestone['title']}\u201d of the Board's priority "
                f"\u201c{milestone['priority']}\u201d was due {_due(milestone)}: what holds it up, and when "
                "will it be complete?",
                "overdue_milestone",
                False,
                SEVERITY["overdue_milestone"],
            )
        )
    return ranked(lines)


def _due(item: Mapping[str, Any]) -> str:
    """An action's or a milestone's due date as the pack writes it (a date given as text is kept as it is)."""
    due = item["due_date"]
    return format_date(due) if isinstance(due, date) else str(due)


def parse_edited(text: str) -> list[dict[str, str]]:
    """Lines typed by the performance team, one per line, blank lines dropped, as stored dicts."""
    return [{"text": line.strip(), "source": "manual"} for line in text.splitlines() if line.strip()]
