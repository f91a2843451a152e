"""A published file as a table of text cells, or a refusal that names every problem.

Steps of ``read_table``:
1. Decide the kind from the bytes: an Excel workbook (``.xlsx``, a zip archive) or CSV text
   (UTF-8, with or without a byte-order mark, else Windows-1252).
2. Find the header: the first of the opening rows that ``is_header`` accepts (published
   workbooks put titles and notes above the table).
3. Refuse a file cut short: a last line with fewer fields than the header, any other line of
   the wrong width, or exactly as many data rows as an old spreadsheet sheet holds (a file
   saved through one loses everything past that row).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

# Data rows at which a sheet saved by an older spreadsheet is full (65,536 rows less the header), and a newer.
SHEET_LIMITS = (65_535, 1_048_575)
HEADER_SEARCH_ROWS = 30
MAX_LISTED = 20


class PublishedFileError(ValueError):
    """A published file that cannot be read, with every reason found (line and column where there is one)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Table:
    """The cells as text under the header's names; ``line`` is each row's line (or sheet row) in the file."""

    cells: pd.DataFrame
    header_line: int


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PublishedFileError(["The file is neither UTF-8 nor Windows-1252 text, nor an Excel workbook."])


def _records(content: bytes) -> tuple[list[list[str]], bool]:
    """Every row of the file as text, and whether it is a workbook (whose rows cannot be cut mid-line)."""
    if content.startswith(b"PK\x03\x04"):
        try:
            sheet = pd.read_excel(io.BytesIO(content), header=None, dtype=str, engine="openpyxl")
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
            raise PublishedFileError(
                [f"The workbook cannot be opened ({error}): it may be cut short."]
            ) from error
        return sheet.fillna("").to_numpy().tolist(), True
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise PublishedFileError(
            ["This is an old-style Excel file (.xls): open it and save it as .xlsx or CSV first."]
        )
    if b"\x00" in content[:4096]:
        raise PublishedFileError(["This is a binary file, not CSV text or an Excel workbook."])
    text = _decode(content)
    return [row for row in csv.reader(io.StringIO(text, newline=""))], False


def read_table(content: bytes, *, is_header: Callable[[list[str]], bool]) -> Table:
    """Read ``content`` into text cells under the first header row ``is_header`` accepts; see the steps."""
    if not content.strip():
        raise PublishedFileError(["The file is empty."])
    records, is_workbook = _records(content)
    found = next(
        (i for i, row in enumerate(records[:HEADER_SEARCH_ROWS]) if is_header([c.strip() for c in row])), None
    )
    if found is None:
        first = ", ".join(c for c in (records[0] if records else []) if c)[:300]
        raise PublishedFileError(
            [
                "This is not one of the NHS England publications PMF reads (the official monthly A&E CSV, "
                "the tidy A&E history, RTT, cancer waiting times, DM01 diagnostics or AmbSYS): "
                f"its columns are {first or 'missing'}."
            ]
        )
    header = [c.strip() for c in records[found]]
    while header and not header[-1]:
        header.pop()
    body = records[found + 1 :]
    while body and not any(c.strip() for c in body[-1]):
        body.pop()  # blank lines at the end (a workbook's empty rows, a trailing newline)
    if not body:
        raise PublishedFileError(["The file has a header but no data rows: it may be cut short."])
    _refuse_cut_short(body, header, first_line=found + 2, is_workbook=is_workbook)
    cells = pd.DataFrame([row[: len(header)] for row in body], columns=header)
    cells.insert(0, "line", range(found + 2, found + 2 + len(body)))
    return Table(cells=cells, header_line=found + 1)


def _refuse_cut_short(
    body: list[list[str]], header: list[str], *, first_line: int, is_workbook: bool
) -> None:
    problems: list[str] = []
    if len(body) in SHEET_LIMITS:
        problems.append(
            f"The file has exactly {len(body):,} data rows, as many as a spreadsheet sheet holds: it was "
            "probably cut short when saved. Use the file as published."
        )
    if not is_workbook:
        width = len(header)
        last = len(body) - 1
        for index, row in enumerate(body):
            extra = [c for c in row[width:] if c.strip()]
            if len(row) < width and index == last:
                problems.append(
                    f"The file is cut short: its last line (line {first_line + index}) has {len(row)} of the "
                    f"{width} columns. Download the file again."
                )
            elif len(row) < width or extra:
                problems.append(f"Line {first_line + index} has {len(row)} fields; the header has {width}.")
            if len(problems) >= MAX_LISTED:
                problems.append("… and possibly more lines like these.")
                break
    if problems:
        raise PublishedFileError(problems)
