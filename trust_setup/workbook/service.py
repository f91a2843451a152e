"""Export, check and import the setup workbook: what ``export_setup``, ``import_setup`` and the page call.

An import is checked in full before anything is written (``preview``); ``apply_setup`` checks again inside
its one transaction, under a lock, and writes every change with one audit event per row (before and after
in workbook terms) and one for the import, or writes nothing at all.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pmf.locks import lock_until_commit
from pmf.services.audit import Actor, record_audit
from reviews.selectors.prm_slot import review_frequency_table
from reviews.services.review_frequencies import follow_review_frequencies

from .book import ABOUT_SHEET, read_book
from .checks import Current, check_book
from .columns import Problem
from .files import (
    SheetOut,
    SheetText,
    UnreadableFile,
    read_csv_folder,
    read_csv_zip,
    read_xlsx,
    write_csv_folder,
    write_xlsx,
)
from .plan import RETIRED, Plan, make_plan
from .sheets import SHEETS, Sheet
from .stored import Row
from .writers import Found

IMPORT_LOCK = "trust-setup-import"
XLSX_MAGIC = b"PK\x03\x04"


def stored_setup() -> Current:
    """The setup as stored: each sheet's rows by key (a fixed number of queries per sheet)."""
    return {sheet.name: {sheet.key_of(row): row for row in sheet.stored()} for sheet in SHEETS}


def _width(sheet: Sheet, index: int, rows: list[tuple[str, ...]]) -> int:
    longest = max([len(sheet.columns[index].name), *(len(row[index]) for row in rows[:200])])
    return min(max(10, longest + 2), 60)


def export_sheets(*, empty: bool = False) -> list[SheetOut]:
    """Every sheet with its rows in key order (no rows for the template), then the notes sheet."""
    current = {} if empty else stored_setup()
    sheets = []
    for sheet in SHEETS:
        rows = sorted(current.get(sheet.name, {}).values(), key=sheet.sort_key)
        text = [sheet.text_row(row) for row in rows]
        widths = tuple(_width(sheet, i, text) for i in range(len(sheet.columns)))
        sheets.append(SheetOut(sheet.name, sheet.header, text, widths))
    return sheets


def about_sheet() -> SheetOut:
    """The notes sheet: what each sheet and column holds, for the person filling the workbook in."""
    rows: list[tuple[str, ...]] = []
    for sheet in SHEETS:
        rows.append((sheet.name, "", "", "", sheet.about))
        for column in sheet.columns:
            refers = " or ".join(f"a row of {name}" for name in column.refers_to)
            allowed = ", ".join(column.choices)
            rows.append(
                (
                    sheet.name,
                    column.name,
                    "required" if column.required or column.name in sheet.key else "",
                    refers or (f"one of {allowed}" if allowed else column.kind.value),
                    column.help,
                )
            )
    header = ("sheet", "column", "required", "holds", "meaning")
    return SheetOut(ABOUT_SHEET, header, rows, (22, 26, 10, 40, 90))


def export_xlsx(*, empty: bool = False) -> bytes:
    """The setup (or, with ``empty``, the template) as one workbook: the same setup gives the same bytes."""
    return write_xlsx([*export_sheets(empty=empty), about_sheet()])


def export_csv_folder(folder: Path, *, empty: bool = False) -> list[Path]:
    """The setup (or the template) as one CSV per sheet in ``folder``."""
    return write_csv_folder(folder, export_sheets(empty=empty))


def read_content(content: bytes, name: str) -> list[SheetText]:
    """An uploaded workbook (.xlsx) or a zip of CSVs, told apart by their contents and name."""
    if not content.startswith(XLSX_MAGIC):
        raise UnreadableFile(f"{name} is neither an Excel workbook (.xlsx) nor a zip of CSV files")
    return read_csv_zip(content) if name.lower().endswith(".zip") else read_xlsx(content)


def read_path(path: Path) -> tuple[list[SheetText], bytes]:
    """A workbook file or a folder of CSVs on disk, and the bytes its fingerprint is taken over."""
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        return read_csv_folder(path), b"".join(f.name.encode() + b"\0" + f.read_bytes() for f in files)
    content = path.read_bytes()
    return read_content(content, path.name), content


def preview(sheets: list[SheetText], *, today: date | None = None) -> Plan:
    """Read and check the whole workbook against the setup as stored, and plan its changes; writes nothing."""
    book = read_book(sheets)
    current = stored_setup()
    problems = book.problems + check_book(book, current)
    return make_plan(book, current, problems, today=today or timezone.localdate())


@transaction.atomic
def apply_setup(
    sheets: list[SheetText], *, actor: Actor, sha256: str, name: str, expected_digest: str = ""
) -> Plan:
    """Check the workbook again and, if it passes, write every change in this one transaction.

    1. Take the import lock until the commit, so two imports never interleave, then plan afresh.
    2. With any problem, or (given ``expected_digest``) with changes other than those previewed, write
       nothing and return the plan: the caller shows it.
    3. Write each sheet's changes in order, one audit event per row, then one event for the import (none
       when nothing changes: importing the same workbook twice writes nothing the second time).
    4. A change of the trust's review frequencies re-rates every rated month and re-plans this year's PRMs
       (``reviews.services.review_frequencies.follow_review_frequencies``), in the same transaction.
    """
    lock_until_commit(IMPORT_LOCK)
    plan = preview(sheets)
    if not plan.ok or (expected_digest and plan.digest() != expected_digest):
        return plan
    frequencies = review_frequency_table()
    found = Found()
    for sheet_plan in plan.sheets:
        sheet = sheet_plan.sheet
        for change in sheet_plan.changes:
            write = sheet.retire if change.kind == RETIRED and sheet.retire else sheet.save
            instance = write(change.after, found)
            record_audit(
                actor=actor,
                verb=f"{change.kind} by the setup workbook",
                object_type=instance._meta.label,
                object_id=change.key,
                before=_plain(sheet, change.before),
                after=_plain(sheet, change.after),
                note=f"{name}, sheet {sheet.name}" + (f", row {change.row}" if change.row else ""),
            )
    if plan.changes == 0:
        return plan  # the same workbook again: nothing is written, not even the import's own event
    if review_frequency_table() != frequencies:
        follow_review_frequencies(actor=actor)  # re-rate and re-plan, as the PRM slot page does
    record_audit(
        actor=actor,
        verb="imported the setup workbook",
        object_type="trust_setup.SetupWorkbook",
        object_id=sha256[:12],
        after={"file": name, "sha256": sha256, **plan.totals()},
    )
    return plan


def _plain(sheet: Sheet, row: Row | None) -> dict[str, str] | None:
    return dict(zip(sheet.header, sheet.text_row(row), strict=True)) if row is not None else None


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def unreadable(error: UnreadableFile) -> Plan:
    """A plan with the one problem that the file could not be read at all."""
    return Plan(sheets=[], problems=[Problem("(file)", None, "", str(error))])
