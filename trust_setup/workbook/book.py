"""A workbook read against the declaration: the sheets and columns it should have, each cell as a value.

Every problem is collected, none stops the reading: a missing sheet, a wrong sheet, a missing or unknown
column, a cell that is not a value of its column. A row with a bad cell is left out of the checks that
follow (they would only repeat its problem in other words).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .columns import CellError, Problem, read_cell
from .files import SheetText
from .sheets import BY_NAME, SHEETS, Sheet
from .stored import Row

# The template's and export's sheet of notes: read by people, passed over by the import.
ABOUT_SHEET = "about"


@dataclass(frozen=True)
class FileRow:
    number: int
    values: Row


@dataclass
class Book:
    """The rows of every sheet that read cleanly, and every problem found on the way."""

    rows: dict[str, list[FileRow]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def of(self, sheet: str) -> list[FileRow]:
        return self.rows.get(sheet, [])


def read_book(sheets: list[SheetText]) -> Book:
    book = Book(rows={sheet.name: [] for sheet in SHEETS})
    given = {sheet.name: sheet for sheet in sheets}
    expected = ", ".join(sheet.name for sheet in SHEETS)
    for text in sheets:
        if text.name not in BY_NAME and text.name != ABOUT_SHEET:
            book.problems.append(
                Problem(
                    text.name,
                    None,
                    "",
                    f"the setup workbook has no sheet called this; its sheets are {expected}",
                )
            )
    for sheet in SHEETS:
        if sheet.name not in given:
            book.problems.append(
                Problem(sheet.name, None, "", "the sheet is missing (it may be empty but must be there)")
            )
            continue
        book.rows[sheet.name] = _read_sheet(sheet, given[sheet.name], book.problems)
    return book


def _read_sheet(sheet: Sheet, text: SheetText, problems: list[Problem]) -> list[FileRow]:
    missing = [name for name in sheet.header if name not in text.header]
    for name in missing:
        problems.append(Problem(sheet.name, 1, name, "the column is missing from the header row"))
    for name in text.header:
        if name not in sheet.header:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    name,
                    f"the sheet has no column called this; its columns are {', '.join(sheet.header)}",
                )
            )
    if missing:
        return []
    where = {name: text.header.index(name) for name in sheet.header}
    rows = []
    for number, cells in text.rows:
        values: Row = {}
        clean = True
        for column in sheet.columns:
            try:
                values[column.name] = read_cell(column, cells[where[column.name]])
            except CellError as error:
                problems.append(Problem(sheet.name, number, column.name, str(error)))
                clean = False
        if clean:
            rows.append(FileRow(number, values))
    return rows
