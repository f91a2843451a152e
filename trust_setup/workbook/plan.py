"""The file against what is stored: what an import would add, change and retire, sheet by sheet.

Both sides are rows in workbook terms (``stored`` reads the database the way ``book`` reads a file), so a
row is unchanged exactly when the two compare equal, and importing an export changes nothing.

A stored row missing from the file is kept as it is, except on the sheets that retire (units and KPIs):
there it is retired, its ``active_to`` set to the day of the import (or its first day, if that is later),
and never deleted. A row already retired stays as it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from divisions.models import LEVEL_DEPTH, Level

from .book import Book
from .checks import Current
from .columns import Problem
from .sheets import SHEETS, Sheet
from .stored import Row

ADDED, CHANGED, RETIRED = "added", "changed", "retired"


@dataclass(frozen=True)
class Change:
    """One row to write: ``before`` is None for an added row."""

    kind: str
    key: str
    row: int | None  # the file's row number; None for a row retired because it is missing
    before: Row | None
    after: Row


@dataclass
class SheetPlan:
    sheet: Sheet
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # stored rows missing from the file, left as they are

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


@dataclass
class Plan:
    sheets: list[SheetPlan]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> int:
        return sum(len(sheet.changes) for sheet in self.sheets)

    def totals(self) -> dict[str, int]:
        return {kind: sum(s.count(kind) for s in self.sheets) for kind in (ADDED, CHANGED, RETIRED)}

    def as_json(self) -> dict[str, Any]:
        """The preview as plain data, to store and show: every change with the cells that change."""
        return {
            "ok": self.ok,
            "totals": self.totals(),
            "problems": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "reason": p.reason}
                for p in self.problems
            ],
            "sheets": [
                {
                    "name": plan.sheet.name,
                    "retires": plan.sheet.retire is not None,
                    "added": plan.count(ADDED),
                    "changed": plan.count(CHANGED),
                    "retired": plan.count(RETIRED),
                    "unchanged": plan.unchanged,
                    "kept": plan.kept,
                    "changes": [_change_json(plan.sheet, change) for change in plan.changes],
                }
                for plan in self.sheets
            ],
        }

    def digest(self) -> str:
        """A fingerprint of the changes: the same file against the same setup gives the same digest."""
        changes = [sheet["changes"] for sheet in self.as_json()["sheets"]]
        return hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()


def _change_json(sheet: Sheet, change: Change) -> dict[str, Any]:
    after = dict(zip(sheet.header, sheet.text_row(change.after), strict=True))
    before = dict(zip(sheet.header, sheet.text_row(change.before), strict=True)) if change.before else {}
    return {
        "kind": change.kind,
        "key": change.key,
        "row": change.row,
        "cells": [
            {"column": name, "before": before.get(name, ""), "after": after[name]}
            for name in sheet.header
            if not before or before[name] != after[name]
        ],
    }


def make_plan(book: Book, current: Current, problems: list[Problem], *, today: date) -> Plan:
    """The changes, sheet by sheet, in the order they are written (a unit's parent before the unit)."""
    plans = []
    for sheet in SHEETS:
        plan = SheetPlan(sheet)
        stored = current.get(sheet.name, {})
        seen = set()
        for row in book.of(sheet.name):
            key = sheet.key_of(row.values)
            seen.add(key)
            before = stored.get(key)
            if before == row.values:
                plan.unchanged += 1
            else:
                kind = ADDED if before is None else CHANGED
                plan.changes.append(Change(kind, sheet.key_text(key), row.number, before, row.values))
        for key, before in stored.items():
            if key in seen:
                continue
            if sheet.retire is not None and before["active_to"] is None:
                first = before["active_from"]
                ends = max(today, first) if isinstance(first, date) else today
                plan.changes.append(
                    Change(RETIRED, sheet.key_text(key), None, before, {**before, "active_to": ends})
                )
            else:
                plan.kept += 1
        if sheet.name == "org_units":
            plan.changes.sort(key=lambda c: LEVEL_DEPTH[Level(str(c.after["level"]))])
        plans.append(plan)
    return Plan(sheets=plans, problems=sorted(problems, key=_problem_order))


def _problem_order(problem: Problem) -> tuple[int, int, str]:
    order = [sheet.name for sheet in SHEETS]
    position = order.index(problem.sheet) if problem.sheet in order else -1
    return position, problem.row or 0, problem.column
