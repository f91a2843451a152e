"""The demonstration trust's Board priorities for 2025/26 (DESIGN §9): four priorities with their milestones,
owned by the demo's executive, linked to KPIs the demo publishes, and the owner's monthly updates to June.

Dated so that, with the demo's data as at 31 July 2025, the list shows every state: milestones complete (one
late), overdue (one owned by Surgery, so Surgery's next data pack asks about it; one trust-wide) and still to
come; and July's updates not yet written, so the owner is reminded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from divisions.models import OrgUnit
from kpis.models import Kpi
from pmf.models import User
from reviews.models import Action
from strategy.models import Priority
from strategy.services.priorities import save_milestone, save_priority, write_update

YEAR = 2025


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    due: date
    completed: date | None = None
    unit: str = ""  # the delivering unit's code, when not the priority's division


@dataclass(frozen=True)
class DemoPriority:
    title: str
    description: str
    objectives: str
    division: str  # the leading division's code, or "" for a trust-wide priority
    kpis: tuple[str, ...]
    milestones: tuple[DemoMilestone, ...]
    updates: tuple[tuple[date, str, str, str], ...]  # (month, status, narrative, evidence)


PRIORITIES = (
    DemoPriority(
        title="Improve urgent and emergency care flow",
        description="Patients are seen, treated and admitted or discharged within four hours, and nobody "
        "waits twelve hours for a bed after the decision to admit.",
        objectives="Access: timely urgent, emergency, planned and cancer care\n"
        "Partnership: flow across the local health and care system",
        division="RWD-MED",
        kpis=("AE-4H", "AE-DTA-12H", "BED-OCC", "NCTR"),
        milestones=(
            DemoMilestone(
                "Same-day emergency care open seven days a week", date(2025, 6, 30), date(2025, 6, 20)
            ),
            DemoMilestone("Discharge lounge moved beside the front door", date(2025, 9, 30)),
            DemoMilestone("Winter plan agreed by the Board", date(2025, 10, 31)),
            DemoMilestone("Full-capacity protocol tested in a live exercise", date(2026, 1, 31)),
        ),
        updates=(
            (
                date(2025, 4, 1),
                "at_risk",
                "Four-hour performance is below the 78% ambition; the same-day "
                "emergency care business case is approved.",
                "Urgent care board minutes, April.",
            ),
            (
                date(2025, 5, 1),
                "at_risk",
                "Staffing for seven-day same-day emergency care recruited; twelve-hour waits remain high.",
                "Rota signed off by the divisional triumvirate.",
            ),
            (
                date(2025, 6, 1),
                "on_track",
                "Same-day emergency care opened seven days a week on 20 June, ahead of its date.",
                "Opening report to the Executive Team, 24 June.",
            ),
        ),
    ),
    DemoPriority(
        title="Reduce long waits for planned care",
        description="No patient waits more than 65 weeks for treatment by September, and the waiting list is "
        "validated so that it is accurate.",
        objectives="Access: timely urgent, emergency, planned and cancer care",
        division="RWD-SUR",
        kpis=("RTT-18W", "RTT-52W", "DM01-6W", "CAN-62D"),
        milestones=(
            DemoMilestone(
                "Waiting list validated for every pathway over 40 weeks", date(2025, 5, 31), date(2025, 6, 10)
            ),
            DemoMilestone("Elective hub's second theatre in use", date(2025, 7, 25)),
            DemoMilestone("No patient waiting over 65 weeks", date(2025, 9, 30)),
            DemoMilestone("Theatre utilisation at 85% for a quarter", date(2026, 3, 31)),
        ),
        updates=(
            (
                date(2025, 4, 1),
                "on_track",
                "Validation team in place; 52-week waits falling.",
                "Weekly access meeting reports.",
            ),
            (
                date(2025, 5, 1),
                "on_track",
                "Validation 90% complete; the rest finishes in early June.",
                "Validation tracker.",
            ),
            (
                date(2025, 6, 1),
                "at_risk",
                "Validation completed ten days late. The hub's second theatre is held "
                "up by the ventilation works.",
                "Estates programme report, June.",
            ),
        ),
    ),
    DemoPriority(
        title="Support and keep our people",
        description="Fewer staff leave in their first two years, sickness absence falls, and everyone has an "
        "appraisal.",
        objectives="People: a skilled, healthy and engaged workforce",
        division="",
        kpis=("WF-SICK", "WF-TURN", "WF-APPR"),
        milestones=(
            DemoMilestone("Health and wellbeing offer launched", date(2025, 6, 30), date(2025, 6, 30)),
            DemoMilestone("Appraisal season complete", date(2025, 9, 30)),
            DemoMilestone("Retention plan for first-year nurses in place", date(2025, 12, 31)),
        ),
        updates=(
            (
                date(2025, 4, 1),
                "on_track",
                "Wellbeing offer designed with staff networks.",
                "People committee.",
            ),
            (date(2025, 5, 1), "on_track", "Launch date fixed for 30 June.", "Communications plan."),
            (date(2025, 6, 1), "on_track", "Wellbeing offer launched on 30 June.", "Launch briefing."),
        ),
    ),
    DemoPriority(
        title="Live within our financial plan",
        description="The trust delivers its income and expenditure plan, its cost improvement programme and "
        "its agency cap.",
        objectives="Sustainability: living within our means",
        division="",
        kpis=("FIN-IE-VAR", "FIN-CIP", "WF-AGENCY"),
        milestones=(
            DemoMilestone("Cost improvement schemes identified in full", date(2025, 6, 30)),
            DemoMilestone("Agency spend within the cap for a quarter", date(2025, 12, 31)),
        ),
        updates=(
            (
                date(2025, 4, 1),
                "at_risk",
                "A third of the cost improvement programme is not yet identified.",
                "Finance report, April.",
            ),
            (
                date(2025, 5, 1),
                "off_track",
                "The gap has grown with the pay award's unfunded part.",
                "Finance report, May.",
            ),
            (
                date(2025, 6, 1),
                "off_track",
                "Schemes worth 70% of the programme identified by the end of June; the rest is not.",
                "Finance report, June.",
            ),
        ),
    ),
)


def seed_demo_priorities(*, actor: User, owner: User, today: date) -> int:
    """The demo's priorities, milestones and updates, written through the services; nothing when the year
    already has priorities. Each division-led priority links its division's demo actions."""
    if Priority.objects.filter(year=YEAR).exists():
        return 0
    units = {u.code: u for u in OrgUnit.objects.all()}
    kpis = {k.code: k for k in Kpi.objects.all()}
    for spec in PRIORITIES:
        division = units.get(spec.division) if spec.division else None
        priority = save_priority(
            actor=actor,
            year=YEAR,
            title=spec.title,
            description=spec.description,
            owner=owner,
            objectives=spec.objectives,
            division=division,
            kpis=[kpis[c] for c in spec.kpis if c in kpis],
            actions=list(Action.objects.filter(division=division)) if division else [],
        )
        for m in spec.milestones:
            save_milestone(
                actor=actor,
                priority=priority,
                title=m.title,
                due_date=m.due,
                completed_on=m.completed,
                org_unit=units.get(m.unit) if m.unit else None,
            )
        for month, status, narrative, evidence in spec.updates:
            write_update(
                actor=owner,
                priority=priority,
                month=month,
                status=status,
                narrative=narrative,
                evidence=evidence,
                today=today,
            )
    return len(PRIORITIES)
