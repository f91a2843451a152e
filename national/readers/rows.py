"""What every reader returns: a ``NationalFile``, one KPI value per organisation, month and split a row.

Readers turn the publisher's columns into these rows with ``kpi_rows``; the cell-level checks they share
(numbers, months, required cells) are here too, each naming the line and column of the first cells at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..catalogue import national_kpis
from .table import MAX_LISTED, PublishedFileError

COLUMNS = [
    "org_code",
    "org_name",
    "kpi_code",
    "month",
    "numerator",
    "denominator",
    "value",
    "split_kind",
    "split_code",
    "split_name",
    "source",
]
SPLIT_COLUMNS = ["split_kind", "split_code", "split_name"]
# What publishers write for "not supplied" or "not applicable".
NOT_SUPPLIED = {"", ".", "-", "*", "n/a", "na", ":", "x", "z"}


@dataclass(frozen=True)
class NationalFile:
    """A published file read as published.

    ``rows`` has ``COLUMNS``: every organisation's value for each national KPI and month (``month`` a date,
    the first of the month); ``numerator``, ``denominator`` and ``value`` are floats, NaN where the KPI has
    none (a 90th centile has only a value); ``split_kind``, ``split_code`` and ``split_name`` are '' for a
    whole organisation, else e.g. ``treatment_function`` / ``C_110``; ``source`` is '' unless the file
    itself says which publication a row came from (the tidy A&E history does).
    """

    format: str
    publication: str
    published_on: date | None
    source_file: str
    rows: pd.DataFrame


def numbers(cells: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The ``columns`` as floats; a "not supplied" mark is NaN, any other text refuses the file."""
    out = pd.DataFrame(index=cells.index)
    problems: list[str] = []
    for column in columns:
        text = cells[column].astype(str).str.strip().str.replace(",", "", regex=False)
        missing = text.str.lower().isin(NOT_SUPPLIED)
        parsed = pd.to_numeric(text.where(~missing), errors="coerce")
        bad = parsed.isna() & ~missing
        if bad.any():
            first = cells[bad].iloc[0]
            problems.append(
                f"Column '{column}' has {int(bad.sum())} cells that are not numbers "
                f"(first on line {first['line']}: {first[column]!r})."
            )
        out[column] = parsed.astype("float64")
    if problems:
        raise PublishedFileError(problems[:MAX_LISTED])
    return out


def required(cells: pd.DataFrame, columns: list[str]) -> None:
    """Refuse the file when any of ``columns`` is blank on some line."""
    problems = []
    for column in columns:
        blank = cells[column].astype(str).str.strip() == ""
        if blank.any():
            problems.append(
                f"Column '{column}' is blank on {int(blank.sum())} lines "
                f"(first on line {cells.loc[blank, 'line'].iloc[0]})."
            )
    if problems:
        raise PublishedFileError(problems)


def iso_months(cells: pd.DataFrame, column: str) -> pd.Series:
    """Dates such as ``2025-07-01`` (or ``2025-07``) as the first of their month."""
    text = cells[column].astype(str).str.strip().str[:10]
    parsed = pd.to_datetime(text, format="mixed", errors="coerce", yearfirst=True)
    bad = parsed.isna()
    if bad.any():
        first = cells[bad].iloc[0]
        raise PublishedFileError(
            [
                f"Column '{column}' has {int(bad.sum())} cells that are not dates "
                f"(first on line {first['line']}: {first[column]!r})."
            ]
        )
    return parsed.dt.to_period("M").dt.to_timestamp()


def kpi_rows(
    base: pd.DataFrame,
    kpi_code: str,
    *,
    numerator: pd.Series | None = None,
    denominator: pd.Series | None = None,
    value: pd.Series | None = None,
) -> pd.DataFrame:
    """One KPI's rows from ``base`` (org_code, org_name, month, split and source columns).

    A ratio's value is scale × numerator ÷ denominator; a count's value is its numerator. Rows
    whose value cannot be worked out (nothing supplied, nothing to divide by) are left out: the
    organisation did not report that KPI that month.
    """
    kpi = national_kpis()[kpi_code]
    nan = pd.Series(np.nan, index=base.index)
    num = nan if numerator is None else numerator.astype("float64")
    den = nan if denominator is None else denominator.astype("float64")
    if value is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = num if denominator is None else kpi.scale * num / den.where(den > 0)
    rows = base.assign(kpi_code=kpi_code, numerator=num, denominator=den, value=value.astype("float64"))
    for column in [*SPLIT_COLUMNS, "source", "org_name"]:
        if column not in rows:
            rows[column] = ""
    return rows[rows["value"].notna()][COLUMNS]


def combined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The readers' rows in one frame, months as dates, sorted for a stable order."""
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    rows["month"] = pd.to_datetime(rows["month"]).dt.date
    for column in ["org_code", "org_name", "kpi_code", *SPLIT_COLUMNS, "source"]:
        rows[column] = rows[column].fillna("").astype(str).str.strip()
    rows = rows.sort_values(["org_code", "kpi_code", "month", *SPLIT_COLUMNS], kind="stable")
    return rows.reset_index(drop=True)
