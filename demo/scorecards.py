"""The demo's individual scorecards: a ward manager's and their line manager's PDR objectives for the year,
linked to the ward's KPIs, the Board's priorities and Surgery's action, with some progress recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpis.models import Kpi
from pmf.models import User
from pmf.periods import FinancialYear
from reviews.models import Action
from scorecards.models import Objective
from scorecards.services.line_management import set_line_manager
from scorecards.services.objectives import record_progress, save_objective
from strategy.models import Priority

# person, line manager: the two ward managers report to General surgery's service manager, who reports to
# Surgery's managing director.
LINE_MANAGERS = (("wm.lincoln", "sm.gensurg"), ("wm.boston", "sm.gensurg"), ("sm.gensurg", "md.surgery"))


@dataclass(frozen=True)
class DemoObjective:
    person: str
    title: str
    detail: str
    kpi: str = ""
    priority: str = ""  # the Board priority's title
    action: bool = False  # Surgery's demo action
    due: date | None = None
    progress: tuple[tuple[str, int | None, str], ...] = ()  # (status, per cent, note), oldest first


OBJECTIVES = (
    DemoObjective(
        "wm.lincoln",
        "Every patient risk-assessed for falls within six hours",
        "Falls on the ward below the plan each month, and no fall with harm.",
        kpi="FALLS",
        due=date(2026, 3, 31),
        progress=(("on_track", 25, "Risk assessment added to the admission checklist."),),
    ),
    DemoObjective(
        "wm.lincoln",
        "Bring sickness absence on the ward to the trust's plan",
        "Return-to-work interviews within three days, and a wellbeing conversation for long-term absence.",
        kpi="WF-SICK",
        priority="Support and keep our people",
        due=date(2026, 3, 31),
        progress=(
            ("on_track", 20, "Interviews held for every return in May."),
            ("at_risk", 30, "Two long-term absences since June; occupational health referrals made."),
        ),
    ),
    DemoObjective(
        "wm.lincoln",
        "Every nurse on the ward appraised this year",
        "",
        kpi="WF-APPR",
        due=date(2026, 1, 31),
    ),
    DemoObjective(
        "sm.gensurg",
        "No general surgery patient waits more than 65 weeks by September",
        "Validate the waiting list and book the longest waiters first.",
        kpi="RTT-52W",
        priority="Reduce long waits for planned care",
        action=True,
        due=date(2025, 9, 30),
        progress=(("on_track", 40, "Waiting list validated; weekend lists agreed for August."),),
    ),
    DemoObjective(
        "sm.gensurg",
        "Agency spend on the surgical wards within budget",
        "",
        kpi="WF-AGENCY",
        due=date(2026, 3, 31),
        progress=(
            ("off_track", None, "Agency shifts rose with the summer vacancies; a recruitment day is set."),
        ),
    ),
)


def seed_demo_scorecards(*, actor: User, today: date) -> int:
    """Line managers and objectives for the demo's ward and service managers in the financial year of
    ``today``, written through the services; an objective the person already has that year (by its title) is
    left as it is, so loading the demo twice changes nothing. The number of objectives written."""
    people = {
        u.username: u for u in User.objects.filter(username__in={p for pair in LINE_MANAGERS for p in pair})
    }
    if len(people) < 4:
        return 0
    for reporting, manager in LINE_MANAGERS:
        set_line_manager(actor=actor, person=people[reporting], manager=people[manager])
    year = FinancialYear.containing(today).start_year
    kpis = {k.code: k for k in Kpi.objects.all()}
    priorities = {p.title: p for p in Priority.objects.filter(year=year)}
    action = Action.objects.filter(division__code="RWD-SUR").order_by("pk").first()
    written = 0
    for spec in OBJECTIVES:
        person = people[spec.person]
        if Objective.objects.filter(person=person, year=year, title=spec.title).exists():
            continue
        kpi, priority = kpis.get(spec.kpi), priorities.get(spec.priority)
        linked_action = action if spec.action else None
        if kpi is None and priority is None and linked_action is None:
            continue
        objective = save_objective(
            actor=person,
            person=person,
            year=year,
            title=spec.title,
            detail=spec.detail,
            kpi=kpi,
            priority=priority,
            action=linked_action,
            due_date=spec.due,
        )
        for status, percent, note in spec.progress:
            record_progress(
                actor=person, objective=objective, status=status, percent_complete=percent, note=note
            )
        written += 1
    return written
