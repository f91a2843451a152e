"""Workbook and CSV-folder bytes to sheets of text, and back, in a fixed order and a fixed format.

Pure: no Django. Reading turns every cell into text (a number as ``format_plain`` writes it, a date cell as
``YYYY-MM-DD``), so the checks read an Excel workbook and a folder of CSVs alike. Writing puts the sheets
in the order given, the rows in the order given and every cell as text formatted as text, and stamps the
workbook's parts with one fixed time, so the same setup always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

from pmf.formatting import format_plain

from .columns import FORMULA_STARTS

# Every part of an exported workbook carries this time, so exporting the same setup twice gives the same
# bytes (the spreadsheet library stamps the time of writing otherwise).
FIXED_TIME: Final = (2000, 1, 1, 0, 0, 0)
FIXED_STAMP: Final = "2000-01-01T00:00:00Z"
CORE_TIMES: Final = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


@dataclass(frozen=True)
class SheetText:
    """One sheet as text: its header and its non-empty rows, each with its row number in the file."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SheetOut:
    """One sheet to write: a header, rows of text, and column widths for a reader."""

    name: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    widths: tuple[int, ...] = ()


class UnreadableFile(ValueError):
    """The bytes are not a workbook (or a CSV) at all; the message says so in a sentence."""


def cell_text(value: object) -> str:
    """A cell's value as text, the same whatever the spreadsheet typed it as."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return format_plain(value)
    return str(value)


def _sheet_text(name: str, rows: list[tuple[str, ...]]) -> SheetText:
    """The header is the first row; rows that are empty in every cell are left out."""
    if not rows:
        return SheetText(name=name, header=(), rows=())
    header = tuple(cell.strip() for cell in rows[0])
    while header and not header[-1]:
        header = header[:-1]
    body = tuple(
        (number, row[: len(header)] + ("",) * (len(header) - len(row)))
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    )
    return SheetText(name=name, header=header, rows=body)


def read_xlsx(content: bytes) -> list[SheetText]:
    """Every sheet of an Excel workbook, in the workbook's order."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(f"The file is not an Excel workbook (.xlsx) PMF can read: {error}") from None
    try:
        return [
            _sheet_text(
                sheet.title, [tuple(cell_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
            )
            for sheet in book.worksheets
        ]
    finally:
        book.close()


def read_csv_text(name: str, content: bytes) -> SheetText:
    """One CSV file (UTF-8, with or without Excel's byte-order mark) as a sheet called ``name``."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(f"{name}.csv is not UTF-8 text: save it as 'CSV UTF-8' in Excel") from None
    return _sheet_text(name, [tuple(row) for row in csv.reader(io.StringIO(text, newline=""))])


def read_csv_folder(folder: Path) -> list[SheetText]:
    """Every ``*.csv`` in ``folder``, as sheets named after the files, in name order."""
    return [read_csv_text(path.stem, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]


def read_csv_zip(content: bytes) -> list[SheetText]:
    """A zipped folder of CSVs, as sheets named after the files."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise UnreadableFile(f"The file is not a zip of CSV files: {error}") from None
    with archive:
        names = sorted(n for n in archive.namelist() if n.lower().endswith(".csv") and not n.startswith("__"))
        return [read_csv_text(Path(n).stem, archive.read(n)) for n in names]


def csv_bytes(sheet: SheetOut) -> bytes:
    """A sheet as CSV: UTF-8 with Excel's byte-order mark, a text that looks like a formula neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv_folder(folder: Path, sheets: Sequence[SheetOut]) -> list[Path]:
    """One ``<sheet>.csv`` per sheet in ``folder`` (made if missing); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sheet in sheets:
        path = folder / f"{sheet.name}.csv"
        path.write_bytes(csv_bytes(sheet))
        paths.append(path)
    return paths


def write_xlsx(sheets: Sequence[SheetOut]) -> bytes:
    """An Excel workbook: each sheet's header bold on NHS blue and frozen, every cell text formatted as text.

    Cells are written as text even where they hold a number, so what a reader sees is what the CSV holds
    and a text that starts with ``=`` is never run as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold, blue = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="005EB8")
    for spec in sheets:
        sheet = book.create_sheet(spec.name)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        titles = []
        for name in spec.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font, cell.fill = bold, blue
            titles.append(cell)
        sheet.append(titles)
        for row in spec.rows:
            cells = []
            for text in row:
                cell = WriteOnlyCell(sheet, value=text or None)
                if text:
                    cell.data_type = "s"  # text, even if it starts with "=" (never a formula)
                cell.number_format = "@"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return _with_fixed_times(buffer.getvalue())


def _with_fixed_times(content: bytes) -> bytes:
    """The same workbook with every part's time and the document's created/modified set to ``FIXED_TIME``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = CORE_TIMES.sub(rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<3>", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
