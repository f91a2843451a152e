"""Months, NHS financial years and quarters.

Pure: no Django. A month is always the ``date`` of its first day. The NHS financial
year runs April to March and is written ``2025/26``; Q1 is April to June.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pmf.formatting import format_month

_FY_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


def month_start(day: date) -> date:
    """The first day of the month containing ``day``."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (negative goes back)."""
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` inclusive (empty if ``last`` is earlier)."""
    first, last = month_start(first), month_start(last)
    span = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, i) for i in range(span + 1)]


def parse_month(text: str) -> date:
    """Read ``2025-04`` or ``2025-04-01`` as the first of April 2025.

    Raises ValueError with a plain-English reason for anything else.
    """
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2025-04")
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a month: {month} is not between 1 and 12")
    if day != 1:
        raise ValueError(f"'{text}' is not the first day of a month")
    return date(year, month, 1)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """An NHS financial year, named by the calendar year in which it starts."""

    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Read ``2025/26``; the two halves must be consecutive years."""
        match = _FY_LABEL.match(label.strip())
        if not match:
            raise ValueError(f"'{label}' is not a financial year: write it as YYYY/YY, e.g. 2025/26")
        start = int(match[1])
        if (start + 1) % 100 != int(match[2]):
            raise ValueError(f"'{label}' is not a financial year: {match[2]} does not follow {start}")
        return cls(start)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def months(self) -> list[date]:
        return months_between(self.first_day, date(self.start_year + 1, 3, 1))

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def __str__(self) -> str:
        return self.label


def financial_year_label(day: date) -> str:
    """``2025/26`` for any day from 1 April 2025 to 31 March 2026."""
    return FinancialYear.containing(day).label


def quarter(day: date) -> int:
    """The financial quarter, 1 to 4: Q1 is April to June, Q4 January to March."""
    return (day.month - 4) % 12 // 3 + 1


def quarter_label(day: date) -> str:
    """e.g. ``Q3 2025/26``."""
    return f"Q{quarter(day)} {financial_year_label(day)}"


def month_label(month: date) -> str:
    """e.g. ``Apr 2025``, as NHS reports write months, whatever the locale (``pmf.formatting``)."""
    return format_month(month)
