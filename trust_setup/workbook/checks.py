"""What a whole workbook must satisfy beyond each cell, every rule giving sheet, row, column and reason.

1. Within a sheet: no key twice (two units with one code, one target twice).
2. Across sheets: every reference names a row of the file, or one stored already (a parent, a target's
   KPI, a role's person).
3. The rules of the model: one trust, the tree strictly level by level and without a cycle, a unit moves
   only from a 1 April, the triumvirate holds its roles for a division, an approved suite is never
   changed, and the like.

``current`` is the rows as stored, by sheet and key: what a reference may also name, and what the rules
about change read (a move, an approved suite, the deployment's one trust).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from divisions.models import LEVEL_DEPTH, TRIUMVIRATE_ROLES, UNIT_MANAGER_ROLES, Level
from divisions.review_frequencies import DEFAULT_BY_POSITION, problems_by_position
from kpis.models import KpiSuite
from pmf.periods import FinancialYear

from .book import Book, FileRow
from .columns import Problem, Value
from .sheets import BY_NAME, SHEETS, Sheet
from .stored import POSITIONS, Row

Current = dict[str, dict[tuple[Value, ...], Row]]
USERNAME = re.compile(r"^[\w.@+-]+$")
PROFILE_COLUMNS = (
    "trust_type",
    "region_code",
    "region_name",
    "icb_code",
    "icb_name",
    "prm_weekday",
    "prm_week_of_month",
    *(f"position_{p}_name" for p in POSITIONS),
)


def check_book(book: Book, current: Current) -> list[Problem]:
    """Every problem of the workbook beyond its cells, in sheet order."""
    problems: list[Problem] = []
    for sheet in SHEETS:
        problems += duplicate_keys(sheet, book.of(sheet.name))
        problems += broken_references(sheet, book, current)
        if sheet.name in RULES:
            problems += RULES[sheet.name](book, current)
    return problems


def duplicate_keys(sheet: Sheet, rows: list[FileRow]) -> Iterator[Problem]:
    first: dict[tuple[Value, ...], int] = {}
    for row in rows:
        key = sheet.key_of(row.values)
        if key in first:
            yield Problem(
                sheet.name,
                row.number,
                sheet.key[0] if len(sheet.key) == 1 else "",
                f"{sheet.key_text(key)} is given twice: first in row {first[key]}",
            )
        else:
            first[key] = row.number


def keys_of(book: Book, current: Current, sheet_name: str) -> set[Value]:
    """The single-column keys of a sheet (codes, usernames, years): in the file, or stored already.

    Nothing is deleted by an import (a unit or KPI missing from the file is retired, other rows are kept),
    so a row may name one that is only stored: a past year's target names a retired KPI.
    """
    stored = {key[0] for key in current.get(sheet_name, {})}
    return stored | {row.values[BY_NAME[sheet_name].key[0]] for row in book.of(sheet_name)}


def broken_references(sheet: Sheet, book: Book, current: Current) -> Iterator[Problem]:
    for column in sheet.columns:
        if not column.refers_to:
            continue
        known = set().union(*(keys_of(book, current, name) for name in column.refers_to))
        where = " or ".join(f"the {name} sheet" for name in column.refers_to)
        for row in book.of(sheet.name):
            value = row.values[column.name]
            if value and value not in known:
                yield Problem(
                    sheet.name, row.number, column.name, f"'{value}' is not on {where}, nor set up already"
                )


def _trust(book: Book, current: Current) -> Iterator[Problem]:
    rows = book.of("trust")
    if not rows:
        yield Problem("trust", None, "", "the workbook names no trust: the trust sheet needs one row")
    for row in rows[1:]:
        yield Problem(
            "trust",
            row.number,
            "code",
            f"a second trust ({row.values['code']}): one deployment serves one trust, "
            f"{rows[0].values['code']}",
        )
    stored = [key[0] for key in current.get("trust", {})]
    for row in rows[:1]:
        values = row.values
        if stored and values["code"] not in stored:
            yield Problem(
                "trust",
                row.number,
                "code",
                f"this deployment serves {', '.join(map(str, stored))}; the workbook is for {values['code']}",
            )
        yield from _profile(row, current.get("trust", {}).get((values["code"],)))


def _profile(row: FileRow, stored: Row | None) -> Iterator[Problem]:
    values = row.values
    if not values["ods_code"]:
        if stored is not None and stored["ods_code"]:
            yield Problem(
                "trust", row.number, "ods_code", "the trust's profile is kept: its ODS code cannot be removed"
            )
        for name in PROFILE_COLUMNS:
            if values[name] not in ("", None):
                yield Problem(
                    "trust",
                    row.number,
                    name,
                    "give the ods_code to record the trust's profile, or leave this blank",
                )
        for position in POSITIONS:
            name = f"position_{position}_review"
            if values[name] != DEFAULT_BY_POSITION[position]:
                yield Problem(
                    "trust",
                    row.number,
                    name,
                    "give the ods_code to record the trust's profile (which keeps its review frequencies), "
                    f"or leave this blank ({DEFAULT_BY_POSITION[position]})",
                )
        return
    for name in ("trust_type", "prm_weekday", "prm_week_of_month"):
        if values[name] in ("", None):
            yield Problem("trust", row.number, name, "the trust's profile needs it (the cell is empty)")
    table = {str(p): values[f"position_{p}_review"] for p in POSITIONS}
    for at, reason in problems_by_position(table):
        yield Problem("trust", row.number, f"position_{at or 1}_review", reason)


def _org_units(book: Book, current: Current) -> Iterator[Problem]:
    """The tree: no cycle, each unit directly under the level above, moves only from a 1 April."""
    rows = book.of("org_units")
    trusts = {row.values["code"] for row in book.of("trust")}
    stored = current.get("org_units", {})
    level_of: dict[Value, str] = {code: Level.TRUST for code in trusts}
    level_of |= {key[0]: str(row["level"]) for key, row in stored.items()}
    level_of |= {row.values["code"]: str(row.values["level"]) for row in rows}
    parent_of = {row.values["code"]: row.values["parent"] for row in rows}
    yield from _cycles(rows, parent_of)
    for row in rows:
        values = row.values
        code, level, parent = values["code"], str(values["level"]), values["parent"]
        placed = parent in level_of and LEVEL_DEPTH[Level(level_of[parent])] == LEVEL_DEPTH[Level(level)] - 1
        if not parent:
            yield Problem(
                "org_units",
                row.number,
                "parent",
                f"a {level} needs a parent (the trust is on the trust sheet)",
            )
        elif parent in level_of and not placed:
            above = next(lvl for lvl, depth in LEVEL_DEPTH.items() if depth == LEVEL_DEPTH[Level(level)] - 1)
            yield Problem(
                "org_units",
                row.number,
                "parent",
                f"a {level} sits directly under a {above}, not under a {level_of[parent]} ({parent}): "
                "the tree goes level by level",
            )
        yield from _dates(row, "org_units")
        before = stored.get((code,))
        if before is None:
            if values["parent_from"] is not None:
                yield Problem(
                    "org_units",
                    row.number,
                    "parent_from",
                    "a new unit has not moved: leave parent_from blank",
                )
            continue
        if before["level"] != level:
            yield Problem(
                "org_units",
                row.number,
                "level",
                f"{code} is a {before['level']}; a unit's level never changes: retire it and add a new unit",
            )
        if placed:  # a move to a parent that is not there, or not one level up, is refused above already
            yield from _move(row, before)


def _cycles(rows: list[FileRow], parent_of: dict[Value, Value]) -> Iterator[Problem]:
    reported: set[Value] = set()
    for row in rows:
        path: list[Value] = [row.values["code"]]
        node = parent_of.get(row.values["code"])
        while node in parent_of and node not in path:
            path.append(node)
            node = parent_of[node]
        if node in path and node not in reported:
            loop = path[path.index(node) :]
            reported |= set(loop)
            names = " → ".join(map(str, [*loop, node]))
            yield Problem(
                "org_units", row.number, "parent", f"a cycle: {names}; a unit cannot sit under itself"
            )


def _move(row: FileRow, before: Row) -> Iterator[Problem]:
    values = row.values
    moved_from = values["parent_from"]
    if values["parent"] == before["parent"]:
        if moved_from != before["parent_from"]:
            yield Problem(
                "org_units",
                row.number,
                "parent_from",
                f"parent_from records when {values['code']} last moved ({before['parent_from'] or 'never'}); "
                "it changes only with the parent",
            )
        return
    if not isinstance(moved_from, date) or (moved_from.month, moved_from.day) != (4, 1):
        yield Problem(
            "org_units",
            row.number,
            "parent_from",
            f"moving {values['code']} from {before['parent']} to {values['parent']} needs parent_from: "
            "the 1 April the move takes effect (units move between financial years)",
        )
    elif isinstance(before["parent_from"], date) and moved_from <= before["parent_from"]:
        yield Problem(
            "org_units",
            row.number,
            "parent_from",
            f"{values['code']} last moved on {before['parent_from']}; a new move takes effect after it",
        )


def _dates(
    row: FileRow, sheet: str, first: str = "active_from", last: str = "active_to"
) -> Iterator[Problem]:
    start, end = row.values[first], row.values[last]
    if isinstance(start, date) and isinstance(end, date) and end < start:
        yield Problem(sheet, row.number, last, f"{end} is before {first} ({start})")


def _specialties(book: Book, current: Current) -> Iterator[Problem]:
    levels = {row.values["code"]: row.values["level"] for row in book.of("org_units")}
    for row in book.of("specialty_divisions"):
        division = row.values["division"]
        if division in levels and levels[division] != Level.DIVISION:
            yield Problem(
                "specialty_divisions",
                row.number,
                "division",
                f"{division} is a {levels[division]}, not a division",
            )


def _users(book: Book, current: Current) -> Iterator[Problem]:
    for row in book.of("users"):
        if not USERNAME.match(str(row.values["username"])):
            yield Problem(
                "users",
                row.number,
                "username",
                "a username has letters, digits and . @ + - _ only (no spaces)",
            )


def _roles(book: Book, current: Current) -> Iterator[Problem]:
    levels = {row.values["code"]: row.values["level"] for row in book.of("org_units")}
    for row in book.of("role_assignments"):
        role, unit = row.values["role"], row.values["org_unit"]
        if role in TRIUMVIRATE_ROLES and levels.get(unit) != Level.DIVISION:
            yield Problem(
                "role_assignments",
                row.number,
                "org_unit",
                f"a {role} holds the role for a division: give the division's code"
                + (f" ({unit} is a {levels[unit]})" if unit in levels else ""),
            )
        level = UNIT_MANAGER_ROLES.get(str(role))
        if level is not None and levels.get(unit) != level:
            yield Problem(
                "role_assignments",
                row.number,
                "org_unit",
                f"a {role} holds the role for a {level}: give the {level}'s code"
                + (f" ({unit} is a {levels[unit]})" if unit in levels else ""),
            )
        if role not in TRIUMVIRATE_ROLES and role not in UNIT_MANAGER_ROLES and unit:
            yield Problem(
                "role_assignments", row.number, "org_unit", f"a {role} is trust-wide: leave org_unit blank"
            )
        yield from _dates(row, "role_assignments", "start", "end")


def _kpis(book: Book, current: Current) -> Iterator[Problem]:
    for row in book.of("kpis"):
        low, high = row.values["plausible_min"], row.values["plausible_max"]
        if isinstance(low, float) and isinstance(high, float) and low > high:
            yield Problem("kpis", row.number, "plausible_max", f"{high:g} is below plausible_min ({low:g})")
        yield from _dates(row, "kpis")


def _suites(book: Book, current: Current) -> Iterator[Problem]:
    stored = current.get("suites", {})
    for row in book.of("suites"):
        values = row.values
        approved = values["status"] == KpiSuite.Status.APPROVED
        for name in ("approved_by", "approved_on"):
            if approved and values[name] in ("", None):
                yield Problem(
                    "suites", row.number, name, "an approved suite says who approved it and on which day"
                )
            if not approved and values[name] not in ("", None):
                yield Problem(
                    "suites", row.number, name, "a draft suite has not been approved: leave this blank"
                )
        before = stored.get((values["financial_year"],))
        if before is not None and before["status"] == KpiSuite.Status.APPROVED and before != values:
            yield Problem(
                "suites",
                row.number,
                "status",
                f"the {values['financial_year']} suite was approved on {before['approved_on']} by "
                f"{before['approved_by']}: an approved suite is history and is never changed",
            )


def _suite_kpis(book: Book, current: Current) -> Iterator[Problem]:
    approved = {
        key[0] for key, row in current.get("suites", {}).items() if row["status"] == KpiSuite.Status.APPROVED
    }
    stored = current.get("suite_kpis", {})
    for row in book.of("suite_kpis"):
        year = row.values["financial_year"]
        if year in approved and stored.get((year, row.values["kpi"])) != row.values:
            yield Problem(
                "suite_kpis",
                row.number,
                "kpi",
                f"the {year} suite is approved: its KPIs, key flags and definitions are never changed",
            )


def _targets(book: Book, current: Current) -> Iterator[Problem]:
    for row in book.of("targets"):
        year, starts = row.values["financial_year"], row.values["effective_from"]
        if isinstance(starts, date) and FinancialYear.containing(starts).label != year:
            yield Problem(
                "targets", row.number, "effective_from", f"{starts} is not in the financial year {year}"
            )


def _priorities(book: Book, current: Current) -> Iterator[Problem]:
    """A priority's KPIs are on the kpis sheet or set up already."""
    kpis = keys_of(book, current, "kpis")
    for row in book.of("priorities"):
        for code in row.values["kpis"] or ():  # type: ignore[union-attr]
            if code not in kpis:
                yield Problem(
                    "priorities", row.number, "kpis", f"'{code}' is not on the kpis sheet, nor set up already"
                )


def _milestones(book: Book, current: Current) -> Iterator[Problem]:
    """A milestone names a priority of its year, on the priorities sheet or set up already."""
    known = set(current.get("priorities", {})) | {
        (row.values["financial_year"], row.values["title"]) for row in book.of("priorities")
    }
    for row in book.of("milestones"):
        year, title = row.values["financial_year"], row.values["priority"]
        if title and (year, title) not in known:
            yield Problem(
                "milestones",
                row.number,
                "priority",
                f"'{title}' is not a {year} priority on the priorities sheet, nor set up already",
            )


RULES: dict[str, Callable[[Book, Current], Iterator[Problem]]] = {
    "trust": _trust,
    "org_units": _org_units,
    "specialty_divisions": _specialties,
    "users": _users,
    "role_assignments": _roles,
    "kpis": _kpis,
    "suites": _suites,
    "suite_kpis": _suite_kpis,
    "targets": _targets,
    "priorities": _priorities,
    "milestones": _milestones,
}
