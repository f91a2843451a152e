"""Exports people open in Excel: every cell that could be read as a formula is neutralised."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

from pmf.formatting import format_plain

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass as numbers.

    A number is written as ``pmf.formatting.format_plain`` writes it: read back as the same number, but
    never as "nan", "inf" or "1e-05" (a missing or impossible value is an empty cell). A figure meant for
    a reader rather than a program is formatted by the export that knows its unit (``format_value``).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return format_plain(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, so Excel reads £ and accents) with every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula(cell) for cell in row])
    return response


def xlsx_response(
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    number_columns: Sequence[str] = (),
) -> HttpResponse:
    """An Excel download (see ``xlsx_workbook``)."""
    response = HttpResponse(
        xlsx_workbook(header=header, rows=rows, number_columns=number_columns),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_workbook(
    *, header: Sequence[str], rows: Iterable[Sequence[object]], number_columns: Sequence[str] = ()
) -> bytes:
    """One sheet: a styled header row frozen at the top, then the rows.

    Text cells are neutralised as in CSV; numbers and dates stay typed. Cells of
    ``number_columns`` are formatted as numbers even when empty, so what is typed into
    them is taken as a number; other empty cells are formatted as text.
    """
    import io
    from datetime import date

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header):
        sheet.column_dimensions[chr(ord("A") + index % 26)].width = max(12, len(str(name)) + 4)
    bold, blue = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="005EB8")
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralise_formula(name))
        cell.font, cell.fill = bold, blue
        titles.append(cell)
    sheet.append(titles)
    numeric = [name in number_columns for name in header]
    for row in rows:
        cells = []
        for value, is_number in zip(row, numeric, strict=True):
            typed = isinstance(value, int | float | date) and not isinstance(value, bool)
            if value == "" or value is None or (isinstance(value, float) and not math.isfinite(value)):
                value = None  # a NaN or an infinity would open as an error cell
            elif not typed:
                value = neutralise_formula(value)
            cell = WriteOnlyCell(sheet, value=value)
            if is_number:
                cell.number_format = "#,##0.00"
            elif not typed:
                cell.number_format = "@"  # dates keep the date format openpyxl gives them
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
