"""The Board's priorities and their milestones in the setup workbook: round trip, import, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from strategy.models import Milestone, Priority
from strategy.services.priorities import save_milestone, save_priority
from tests.trust_setup.test_workbook import edited
from trust_setup.workbook.files import read_xlsx
from trust_setup.workbook.service import apply_setup, export_xlsx, preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(world):
    priority = save_priority(
        actor=None,
        year=2025,
        title="Reduce long waits",
        owner=world.users["exec"],
        objectives="Timely care\nGood value",
        division=world.surgery,
        kpis=[world.kpis["AE-4H"]],
    )
    save_milestone(actor=None, priority=priority, title="Hub open", due_date=date(2025, 7, 25))
    save_milestone(
        actor=None,
        priority=priority,
        title="List validated",
        due_date=date(2025, 5, 31),
        completed_on=date(2025, 6, 10),
        org_unit=world.units["WLD-SUR-GEN"],
    )
    return priority


def test_priorities_and_milestones_round_trip(world, priority):
    first = export_xlsx()
    sheets = {s.name: s for s in read_xlsx(first)}
    assert [dict(zip(sheets["priorities"].header, r, strict=True)) for _, r in sheets["priorities"].rows] == [
        {
            "financial_year": "2025/26",
            "title": "Reduce long waits",
            "description": "",
            "owner": "exec",
            "objectives": "Timely care; Good value",
            "division": "WLD-SUR",
            "kpis": "AE-4H",
        }
    ]
    assert [r[:4] for _, r in sheets["milestones"].rows] == [
        ("2025/26", "Reduce long waits", "Hub open", "2025-07-25"),
        ("2025/26", "Reduce long waits", "List validated", "2025-05-31"),
    ]
    plan = preview(read_xlsx(first))
    assert plan.ok and plan.changes == 0, plan.problems
    assert export_xlsx() == first


def test_a_new_priority_and_its_milestones_are_imported(world, priority):
    new = {
        "financial_year": "2026/27",
        "title": "Support our people",
        "description": "Fewer leavers.",
        "owner": "exec",
        "objectives": "Our people",
        "division": "",
        "kpis": "AE-4H;SICK",
    }
    content = edited(
        priorities=lambda rows: [*rows, new],
        milestones=lambda rows: [
            *[{**r, "completed_on": "2025-08-01"} if r["title"] == "Hub open" else r for r in rows],
            {
                "financial_year": "2026/27",
                "priority": "Support our people",
                "title": "Wellbeing offer launched",
                "due_date": "2026-06-30",
                "completed_on": "",
                "org_unit": "WLD-MED",
            },
        ],
    )
    plan = apply_setup(read_xlsx(content), actor=world.users["perf"], sha256="c" * 64, name="priorities.xlsx")
    assert plan.ok, plan.problems
    added = Priority.objects.get(year=2026, title="Support our people")
    assert sorted(added.kpis.values_list("code", flat=True)) == ["AE-4H", "SICK"] and added.division is None
    assert Milestone.objects.get(priority=added).org_unit == world.medicine
    assert Milestone.objects.get(title="Hub open").completed_on == date(2025, 8, 1)
    assert preview(read_xlsx(export_xlsx())).changes == 0


def test_bad_priority_and_milestone_rows_are_refused_with_sheet_row_column_and_reason(world, priority):
    content = edited(
        priorities=lambda rows: [{**rows[0], "owner": "nobody", "kpis": "AE-4H;NOPE"}],
        milestones=lambda rows: [
            {**rows[0], "priority": "Not a priority"},
            {**rows[1], "due_date": "31/05/2025"},
        ],
    )
    before = (Priority.objects.count(), Milestone.objects.count())
    plan = apply_setup(read_xlsx(content), actor=None, sha256="d" * 64, name="bad.xlsx")
    assert not plan.ok
    reasons = [str(p) for p in plan.problems]
    assert (
        "sheet priorities, row 2, column owner: 'nobody' is not on the users sheet, nor set up already"
        in reasons
    )
    assert (
        "sheet priorities, row 2, column kpis: 'NOPE' is not on the kpis sheet, nor set up already" in reasons
    )
    assert (
        "sheet milestones, row 2, column priority: 'Not a priority' is not a 2025/26 priority on the "
        "priorities sheet, nor set up already"
    ) in reasons
    assert any(r.startswith("sheet milestones, row 3, column due_date:") for r in reasons)
    assert (Priority.objects.count(), Milestone.objects.count()) == before
