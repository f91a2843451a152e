"""From uploaded bytes to rows of text, with every file-level problem named.

Steps of ``read_upload``:
1. Refuse an empty or oversized file before looking inside it.
2. Decide the type from the content, never from the file name: an Excel workbook is a
   zip archive holding ``xl/workbook.xml``; old ``.xls``, UTF-16 text, PDFs and other
   binary files are refused with what to do instead.
3. Excel: refuse archives that would unpack to far more than they weigh (zip bombs),
   macros, hidden sheets, several sheets, merged cells and formulas. Only cell values
   are ever read; nothing in the file is run.
4. CSV: decode UTF-8 (with or without the byte-order mark Excel writes) or, failing
   that, Windows-1252 as Excel's plain "CSV" writes it; refuse other delimiters.
5. Check the header (present, no repeated or unknown names, nothing missing), that at
   least one data row follows it, then the shape of each line (too few or too many
   fields, blank lines, a repeated header, a file cut short) and cells that a
   spreadsheet would run as a formula. Lines may end in CR LF, LF or a lone CR.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from .problems import combine, no_problems, problem, problems_where

COLUMNS = ("kpi_code", "org_code", "month", "numerator", "denominator", "value")
OVERFLOW = "__overflow__"
BLOCKING = ("no_header", "wrong_delimiter", "duplicate_column", "missing_column")
# An archive may unpack to at most this many times its own size (real workbooks are 5–20×).
MAX_UNPACK_RATIO = 100
FORMULA_LIKE = r"^(?:[=@\t\r]|[+-](?![\d.]))"
# Anything that could start a formula-like cell somewhere in a CSV text: a cell starts a
# line, or follows a comma or an opening quote. When the text has none, no cell can.
# What else ``str.splitlines`` ends a line at, besides "\n" and "\r\n".
OTHER_LINE_BREAKS = ("\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
MAYBE_FORMULA = re.compile(r"(?:^|[,\"])(?:[=@\t]|[+-](?![\d.]))|\r(?!\n)|\"\r", re.MULTILINE)
SIGNATURES = {
    b"\xd0\xcf\x11\xe0": ("old_excel", "This is an old-style Excel file (.xls): save it as .xlsx or CSV."),
    b"%PDF": ("not_a_spreadsheet", "This is a PDF, not a spreadsheet: upload the CSV or .xlsx file."),
    b"\xff\xfe": ("utf16", "This is UTF-16 text (Excel's 'Unicode Text'): save it as 'CSV UTF-8'."),
    b"\xfe\xff": ("utf16", "This is UTF-16 text (Excel's 'Unicode Text'): save it as 'CSV UTF-8'."),
}


@dataclass(frozen=True)
class ReadResult:
    """The rows as text (``COLUMNS`` plus ``row``, the line number in the file), or None."""

    rows: pd.DataFrame | None
    problems: pd.DataFrame
    kind: str = ""
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return self.rows is not None and not (self.problems["severity"] == "error").any()


def _refused(code: str, reason: str, *, kind: str = "", value: str = "") -> ReadResult:
    return ReadResult(rows=None, problems=problem(code, reason, value=value), kind=kind)


def read_upload(content: bytes, *, max_bytes: int) -> ReadResult:
    """Read a submitted CSV or Excel file into rows of text; see the module docstring for the steps."""
    if not content.strip():
        return _refused("empty_file", "The file is empty.")
    if len(content) > max_bytes:
        return _refused(
            "file_too_large",
            f"The file is {len(content) / 1e6:.1f} MB; the most PMF accepts is {max_bytes / 1e6:.1f} MB.",
            value=str(len(content)),
        )
    for signature, (code, reason) in SIGNATURES.items():
        if content.startswith(signature):
            return _refused(code, reason)
    if content.startswith(b"PK\x03\x04"):
        return _read_workbook(content, max_unpacked=max(max_bytes, 1) * 5)
    if b"\x00" in content[:65536]:
        return _refused("not_a_spreadsheet", "This is a binary file, not CSV text or an Excel workbook.")
    return _read_csv(content)


def _decode(content: bytes) -> tuple[str, str] | ReadResult:
    if content.startswith(b"\xef\xbb\xbf"):
        content, encoding = content[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return content.decode("utf-8"), encoding
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        return _refused(
            "bad_encoding",
            f"Byte {error.start + 1} cannot be read as UTF-8 or Windows-1252 text: "
            "save the file as 'CSV UTF-8 (comma delimited)'.",
            value=content[error.start : error.start + 1].hex(),
        )


def _read_csv(content: bytes) -> ReadResult:
    decoded = _decode(content)
    if isinstance(decoded, ReadResult):
        return decoded
    text, encoding = decoded
    # Lines may end in "\r\n", "\n" or, from old Mac software, a lone "\r".
    first_line = re.split(r"\r\n?|\n", text, maxsplit=1)[0]
    header = next(csv.reader([first_line]), [])
    header_problems = _check_header(header)
    if header_problems["code"].isin(BLOCKING).any():
        return ReadResult(rows=None, problems=header_problems, kind="csv", encoding=encoding)
    names = [h.strip().lower() for h in header]
    try:
        body = pd.read_csv(
            io.StringIO(text),
            skiprows=1,
            header=None,
            names=[*names, OVERFLOW],
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            index_col=False,
        )
    except pd.errors.ParserError as error:
        return ReadResult(rows=None, problems=_parser_problem(str(error)), kind="csv", encoding=encoding)
    body.insert(0, "row", range(2, len(body) + 2))
    # The text's bytes as numbers, for the whole-file scans below (UTF-8 never uses an ASCII
    # byte inside another character, so each ASCII character is found at its own byte).
    data = np.frombuffer(text.encode(), dtype=np.uint8)
    counts = _field_counts(text, data, len(body))
    truncated = not text.endswith(("\n", "\r"))
    return _finish(
        body,
        names,
        counts,
        header_problems,
        truncated=truncated,
        kind="csv",
        encoding=encoding,
        formulas_possible=_maybe_formulas(text, data),
    )


def _maybe_formulas(text: str, data: np.ndarray) -> bool:
    """Whether ``MAYBE_FORMULA`` matches ``text``, looking first for the few characters a match needs.

    A match needs a ``=``, ``@``, tab or carriage return, or a sign opening a cell (at the
    start, or after a comma, quote or newline); the bytes rule those out far faster than
    the pattern can search a large file.
    """
    if not any((data == byte).any() for byte in b"=@\t\r"):
        signs = np.flatnonzero((data == ord("+")) | (data == ord("-")))
        before = data[signs[signs > 0] - 1]
        if not (len(signs) and signs[0] == 0) and not any((before == byte).any() for byte in b',"\n'):
            return False
    return MAYBE_FORMULA.search(text) is not None


def _field_counts(text: str, data: np.ndarray, rows: int) -> pd.Series:
    """How many fields each data line has (the C parser pads short lines silently); ``data`` is
    the text's UTF-8 bytes."""
    if '"' not in text and not any(mark in text for mark in OTHER_LINE_BREAKS):
        return _comma_counts(text, data, rows)
    if '"' not in text and "\r\n" in text:
        unix = text.replace("\r\n", "\n")
        if not any(mark in unix for mark in OTHER_LINE_BREAKS):
            return _comma_counts(unix, np.frombuffer(unix.encode(), dtype=np.uint8), rows)
    lines = text.splitlines()[1 : rows + 1]
    if '"' not in text:
        counts = pd.Series(lines, dtype=str).str.count(",") + 1
    else:
        counts = pd.Series([len(fields) for fields in csv.reader(lines)])
    empty = pd.Series(lines, dtype=str).str.len() == 0
    return counts.where(~empty, 0).reset_index(drop=True)


def _comma_counts(text: str, data: np.ndarray, rows: int) -> pd.Series:
    """``_field_counts`` for text without quotes whose lines end only in "\\n": commas are
    counted between newlines from their positions, with no string made per line."""
    ends = np.flatnonzero(data == ord("\n"))
    if not text.endswith("\n"):
        ends = np.r_[ends, len(data)]
    starts = np.r_[0, ends[:-1] + 1]
    starts, ends = starts[1 : rows + 1], ends[1 : rows + 1]
    commas = np.flatnonzero(data == ord(","))
    counts = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    return pd.Series(np.where(ends > starts, counts, 0))


def _parser_problem(message: str) -> pd.DataFrame:
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, line, saw = int(fields[1]) - 1, int(fields[2]), int(fields[3])
        return problem(
            "too_many_fields",
            f"Line {line} has {saw} fields but the header has {expected}: "
            "check for a stray comma or an unquoted comma inside a value.",
            row=line,
        )
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        return problem(
            "unclosed_quote",
            "A quoted value is never closed, so the rest of the file reads as one value: "
            "check the quotation marks on this line.",
            row=int(quote[1]) + 1,
        )
    return problem("unreadable_csv", f"The file cannot be read as CSV: {message}")


def _check_header(header: list[str]) -> pd.DataFrame:
    """The header's problems; those with a ``BLOCKING`` code stop the rows being read at all."""
    if not any(h.strip() for h in header):
        return problem(
            "no_header", "Line 1 is blank: the first line must name the columns " + ", ".join(COLUMNS) + "."
        )
    if len(header) == 1:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if delimiter in header[0]:
                return problem(
                    "wrong_delimiter",
                    f"The columns are separated by {name}, not commas: "
                    "save the file as 'CSV UTF-8 (comma delimited)'.",
                    row=1,
                    value=header[0][:80],
                )
    names = [h.strip().lower() for h in header]
    if not set(names) & set(COLUMNS):
        return problem(
            "no_header",
            "Line 1 is not a header: the first line must name the columns " + ", ".join(COLUMNS) + ".",
            row=1,
            value=",".join(header)[:80],
        )
    found = []
    for name in sorted({n for n in names if names.count(n) > 1}):
        found.append(
            problem(
                "duplicate_column",
                f"The column '{name}' appears {names.count(name)} times in the header.",
                row=1,
                column=name,
            )
        )
    for name in COLUMNS:
        if name not in names:
            found.append(problem("missing_column", f"The column '{name}' is missing.", row=1, column=name))
    for name in names:
        if name not in COLUMNS:
            label = name or "(blank)"
            found.append(
                problem(
                    "unknown_column",
                    f"The column '{label}' is not one PMF reads: remove it (columns are "
                    + ", ".join(COLUMNS)
                    + ").",
                    row=1,
                    column=label,
                )
            )
    return combine(found)


def _finish(
    body: pd.DataFrame,
    names: list[str],
    counts: pd.Series,
    header_problems: pd.DataFrame,
    *,
    truncated: bool,
    kind: str,
    encoding: str,
    formulas_possible: bool = True,
) -> ReadResult:
    """Shape checks common to CSV and Excel rows; returns the six columns and ``row``.

    String work is done once per distinct text (``per_distinct``): a million-row file
    holds a few hundred codes and sixty months.
    """
    width = len(names)
    blank = _all_empty(body, [*names, *([OVERFLOW] if OVERFLOW in body else [])])
    # Blank lines at the end are how spreadsheets save; blank lines inside the data are not.
    last_filled = int(blank[~blank].index.max()) if (~blank).any() else -1
    trailing = pd.Series(body.index > last_filled, index=body.index)
    inner_blank = blank & ~trailing
    found = [
        header_problems,
        problems_where(
            body,
            inner_blank,
            column="",
            code="blank_row",
            reason="A blank line inside the data: delete it (rows after a gap are often a second table).",
            value=pd.Series("", index=body.index),
        ),
    ]
    body, counts = body[~trailing], counts[~trailing.to_numpy()]
    filled = ~(blank[~trailing])
    if not filled.any():
        found.append(
            problem(
                "no_data_rows",
                "The file has no data rows: there is nothing below the header. "
                "Fill in the template's rows and upload it again.",
            )
        )
    short = (counts.to_numpy() < width) & filled.to_numpy()
    if truncated and len(body) and short[-1]:
        found.append(
            problem(
                "truncated",
                "The file ends part-way through this line: it may have been cut short when it was "
                "copied or uploaded. Upload the complete file.",
                row=int(body["row"].iloc[-1]),
            )
        )
        short[-1] = False
    if short.any():
        found.append(
            problems_where(
                body,
                pd.Series(short, index=body.index),
                column="",
                code="too_few_fields",
                reason=pd.Series(
                    [f"This line has {c} fields but the header has {width}." for c in counts],
                    index=body.index,
                ),
                value=pd.Series("", index=body.index),
            )
        )
    if OVERFLOW in body:
        found.append(
            problems_where(
                body,
                body[OVERFLOW] != "",
                column="",
                code="too_many_fields",
                reason=f"This line has more fields than the header's {width}: check for a stray comma.",
                value=body[OVERFLOW],
            )
        )
    repeated = pd.Series(len(body) > 0, index=body.index)
    for name in names:
        if not repeated.any():
            break
        repeated &= per_distinct(body[name], lambda text: text.str.strip().str.lower()) == name
    found.append(
        problems_where(
            body,
            repeated,
            column="",
            code="repeated_header",
            reason="The header appears again inside the data: were two files pasted together?",
            value=pd.Series("", index=body.index),
        )
    )
    for name in COLUMNS if formulas_possible else ():
        found.append(
            problems_where(
                body,
                per_distinct(body[name], lambda text: text.str.match(FORMULA_LIKE)).astype(bool) & ~repeated,
                column=name,
                code="formula_text",
                reason="This starts like a spreadsheet formula; PMF accepts plain values only.",
            )
        )
    problems = combine(found)
    # Rows with a problem of their own are not checked further: one clear error per line.
    rows = body[filled.to_numpy() & ~body["row"].isin(problems["row"]).to_numpy()]
    columns = ["row", *COLUMNS]
    return ReadResult(
        rows=rows[columns].reset_index(drop=True), problems=problems, kind=kind, encoding=encoding
    )


def _all_empty(body: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Whether each row is empty text in every one of ``columns``; each column is looked at
    only on the rows still empty in the columns before it (in a data file, hardly any)."""
    empty = np.ones(len(body), dtype=bool)
    for column in columns:
        empty[empty] = (body[column].to_numpy()[empty] == "").astype(bool)
    return pd.Series(empty, index=body.index)


def per_distinct(column: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``transform`` applied to each distinct value of ``column`` once, spread back over its rows."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    done = transform(pd.Series(distinct, dtype=column.dtype))
    return pd.Series(done.to_numpy()[codes], index=column.index)


def _read_workbook(content: bytes, *, max_unpacked: int) -> ReadResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return _refused(
            "damaged_file",
            "The file starts like an Excel workbook but is damaged or incomplete.",
            kind="xlsx",
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked or unpacked > MAX_UNPACK_RATIO * len(content):
        return _refused(
            "zip_bomb",
            f"The workbook would unpack to {unpacked / 1e6:,.0f} MB from {len(content) / 1e6:.1f} MB: "
            "PMF does not open it. Save a fresh copy of the data as CSV.",
            kind="xlsx",
            value=str(unpacked),
        )
    member_names = {m.filename for m in members}
    if "xl/workbook.xml" not in member_names:
        return _refused("not_a_spreadsheet", "This is a zip archive, not an Excel workbook.", kind="xlsx")
    if any(n.endswith("vbaProject.bin") for n in member_names):
        return _refused(
            "macros", "The workbook contains macros: save it as a plain .xlsx workbook or CSV.", kind="xlsx"
        )
    import openpyxl  # only needed for workbooks

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=False, read_only=False)
    except Exception as error:  # openpyxl raises many types for bad archives
        return _refused(
            "damaged_file", f"The workbook cannot be opened: {type(error).__name__}.", kind="xlsx"
        )
    found = []
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            found.append(
                problem(
                    "hidden_sheet",
                    f"The sheet '{ws.title}' is hidden: PMF reads only what you can see, so remove hidden "
                    "sheets before uploading.",
                    value=ws.title,
                )
            )
    if len(visible) != 1:
        found.append(
            problem(
                "several_sheets",
                f"The workbook has {len(visible)} visible sheets; "
                "put the data on one sheet and delete the others.",
                value=", ".join(ws.title for ws in visible),
            )
        )
    if found:
        return ReadResult(rows=None, problems=combine(found), kind="xlsx")
    sheet = visible[0]
    grid = [list(r) for r in sheet.iter_rows()]
    header = [_cell_text(c.value) for c in grid[0]] if grid else []
    while header and not header[-1]:
        header.pop()
    header_problems = _check_header(header)
    if header_problems["code"].isin(BLOCKING).any():
        return ReadResult(rows=None, problems=header_problems, kind="xlsx")
    names = [h.strip().lower() for h in header]
    letters = {i: names[i] if i < len(names) else "" for i in range(len(grid[0]))}
    for merged in sheet.merged_cells.ranges:
        found.append(
            problem(
                "merged_cells",
                f"Cells {merged.coord} are merged: unmerge them so every row carries its own values.",
                row=merged.min_row,
                column=letters.get(merged.min_col - 1, ""),
                value=merged.coord,
            )
        )
    for line in grid:
        for cell in line:
            if cell.data_type == "f":
                found.append(
                    problem(
                        "formula",
                        "This cell holds a formula: paste values only (Paste Special → Values).",
                        row=cell.row,
                        column=letters.get(cell.column - 1, cell.column_letter),
                        value=str(cell.value),
                    )
                )
    if found:
        return ReadResult(rows=None, problems=combine([header_problems, *found]), kind="xlsx")
    records = [[_cell_text(c.value) for c in line] for line in grid[1:]]
    width = len(names)
    body = pd.DataFrame(
        [r[:width] + [""] * (width - len(r[:width])) for r in records], columns=names, dtype=str
    )
    body[OVERFLOW] = [",".join(v for v in r[width:] if v) for r in records]
    body.insert(0, "row", range(2, len(body) + 2))
    counts = pd.Series([width] * len(body))
    return _finish(body, names, counts, header_problems, truncated=False, kind="xlsx", encoding="")


def _cell_text(value: object) -> str:
    """A cell's value as the text a CSV would hold; dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


__all__ = ["COLUMNS", "ReadResult", "no_problems", "per_distinct", "read_upload"]
