"""A setup-workbook column: what it holds, how a cell's text becomes a value, and how a value is written.

Pure: no Django. Every cell is read as text first (``files``), so a workbook and a CSV folder are checked
by the same rules, and every value is written back the one way, so an export read back compares equal.

========  ===========================  ===========================  =====================================
kind      written                      read                          blank
========  ===========================  ===========================  =====================================
text      as it is                     trimmed                       ""
code      as it is                     trimmed; letters, digits,     "" (refused where required)
                                       hyphens and underscores
number    ``95``, ``0.5`` (no          a number                      None, or the column's default
          separators, no exponent)
integer   ``3``                        a whole number                None, or the column's default
yes/no    ``yes`` / ``no``             yes, no, true, false, 1, 0    the column's default (no)
date      ``2025-04-01``               YYYY-MM-DD (or a date cell)   None
month     ``2025-04``                  YYYY-MM (or a date cell)      None
year      ``2025/26``                  a financial year              ""
choice    the code                     one of the choices            ""
list      ``a;b``                      codes separated by ``;``      ()
========  ===========================  ===========================  =====================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final

from pmf.formatting import format_plain
from pmf.periods import FinancialYear

Value = str | int | float | bool | date | tuple[str, ...] | None

CODE: Final = re.compile(r"^[A-Za-z0-9_-]+$")
MONTH: Final = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")
TRUE: Final = frozenset({"yes", "y", "true", "1"})
FALSE: Final = frozenset({"no", "n", "false", "0"})
# A text a spreadsheet would run as a formula is written with a leading apostrophe in a CSV; reading takes
# it off again, so the text round-trips.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


class Kind(Enum):
    TEXT = "text"
    CODE = "code"
    NUMBER = "number"
    INTEGER = "integer"
    FLAG = "yes/no"
    DATE = "date"
    MONTH = "month"
    YEAR = "year"
    CHOICE = "choice"
    LIST = "list"


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``refers_to`` names the sheets one of whose keys the value must be (a parent's code, a target's KPI); a
    ``LIST`` column's items are checked against ``choices`` one by one.
    """

    name: str
    kind: Kind = Kind.TEXT
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    refers_to: tuple[str, ...] = ()
    max_length: int | None = None
    default: Value = None

    @property
    def blank(self) -> Value:
        """The value of an empty cell."""
        if self.default is not None:
            return self.default
        if self.kind in (Kind.NUMBER, Kind.INTEGER, Kind.DATE, Kind.MONTH):
            return None
        if self.kind is Kind.FLAG:
            return False
        if self.kind is Kind.LIST:
            return ()
        return ""


@dataclass(frozen=True, order=True)
class Problem:
    """Why a workbook is refused, and where: sheet, row (as the spreadsheet numbers it), column."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [f"sheet {self.sheet}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


class CellError(ValueError):
    """A cell's text is not a value of its column; the message is the reason shown to the user."""


def read_cell(column: Column, text: str) -> Value:
    """The value of ``text`` in ``column``; raises ``CellError`` with the reason when it is not one."""
    text = text.strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    if not text:
        if column.required:
            raise CellError("the cell is empty, and this column is required")
        return column.blank
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(f"the text is {len(text)} characters long; at most {column.max_length} fit")
    return _READERS[column.kind](column, text)


def write_cell(column: Column, value: Value) -> str:
    """``value`` as the text ``read_cell`` reads back as the same value."""
    if value is None:
        return ""
    if column.kind is Kind.FLAG:
        return "yes" if value else "no"
    if column.kind is Kind.MONTH and isinstance(value, date):
        return f"{value:%Y-%m}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_plain(value)
    return str(value)


def _code(column: Column, text: str) -> str:
    if not CODE.match(text):
        raise CellError(f"'{text}' is not a code: use letters, digits, hyphens and underscores only")
    return text


def _number(column: Column, text: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise CellError(f"'{text}' is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"'{text}' is not a number")
    return number


def _integer(column: Column, text: str) -> int:
    number = _number(column, text)
    if not number.is_integer():
        raise CellError(f"'{text}' is not a whole number")
    whole = int(number)
    if column.choices and str(whole) not in column.choices:
        raise CellError(f"{whole} is not one of {', '.join(column.choices)}")
    return whole


def _flag(column: Column, text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise CellError(f"'{text}' is not yes or no")


def _date(column: Column, text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise CellError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2025-04-01") from None


def _month(column: Column, text: str) -> date:
    match = MONTH.match(text[:10])
    if match is None or not 1 <= int(match[2]) <= 12:
        raise CellError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2025-04")
    return date(int(match[1]), int(match[2]), 1)


def _year(column: Column, text: str) -> str:
    try:
        return FinancialYear.parse(text).label
    except ValueError as error:
        raise CellError(str(error)) from None


def _choice(column: Column, text: str) -> str:
    if text not in column.choices:
        raise CellError(f"'{text}' is not one of {', '.join(column.choices)}")
    return text


def _list(column: Column, text: str) -> tuple[str, ...]:
    items = tuple(sorted({item.strip() for item in text.split(";") if item.strip()}))
    for item in items:
        if column.choices and item not in column.choices:
            raise CellError(f"'{item}' is not one of {', '.join(column.choices)}")
        if not column.choices and not CODE.match(item):
            raise CellError(f"'{item}' is not a code: use letters, digits, hyphens and underscores only")
    return items


_READERS = {
    Kind.TEXT: lambda column, text: text,
    Kind.CODE: _code,
    Kind.NUMBER: _number,
    Kind.INTEGER: _integer,
    Kind.FLAG: _flag,
    Kind.DATE: _date,
    Kind.MONTH: _month,
    Kind.YEAR: _year,
    Kind.CHOICE: _choice,
    Kind.LIST: _list,
}
