"""How the upload pages write an upload's months and who each warning is about. Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmf.formatting import format_month
from pmf.periods import parse_month

# Up to this many months that are not one run are listed one by one; more are written as their span.
LISTED_MONTHS = 3


def month_span(months: Iterable[date | str]) -> str:
    """An upload's months in a few words, however many there are.

    1. None: an en dash. One: the month (``Jul 2025``).
    2. An unbroken run: first – last and how many (``Apr 2018 – Jul 2025, 88 months``).
    3. A few months with gaps (up to ``LISTED_MONTHS``): each one (``Apr 2025, Jun 2025``).
    4. More with gaps: the span and how many of its months the file has
       (``Apr 2018 – Jul 2025, 80 of the 88 months``).

    Months may be dates or ISO text (``2025-07-01``, as an upload stores them).
    """
    ordered = sorted({_as_month(m) for m in months})
    if not ordered:
        return format_month(None)
    first, last = ordered[0], ordered[-1]
    if len(ordered) == 1:
        return format_month(first)
    between = (last.year - first.year) * 12 + last.month - first.month + 1
    span = f"{format_month(first)} – {format_month(last)}"
    if len(ordered) == between:
        return f"{span}, {between} months"
    if len(ordered) <= LISTED_MONTHS:
        return ", ".join(format_month(m) for m in ordered)
    return f"{span}, {len(ordered)} of the {between} months"


def _as_month(month: date | str) -> date:
    if isinstance(month, date):
        return month.replace(day=1)
    return parse_month(month[:7])


def who_and_what(
    problem: dict[str, object], *, kpi_names: dict[str, str], unit_names: dict[str, str]
) -> dict:
    """A stored problem with the KPI and unit it is about named in full, and its month as a date.

    Warnings are stored with ``kpi_code``, ``org_code`` and ``month`` (``2025-07``); a name the
    catalogue no longer has is left blank, and the code alone is shown.
    """
    kpi_code = str(problem.get("kpi_code") or "")
    org_code = str(problem.get("org_code") or "")
    month = problem.get("month")
    return {
        **problem,
        "kpi_code": kpi_code,
        "org_code": org_code,
        "kpi_name": kpi_names.get(kpi_code, ""),
        "unit_name": unit_names.get(org_code, ""),
        "month_date": _as_month(month) if isinstance(month, str) and month else None,
    }
