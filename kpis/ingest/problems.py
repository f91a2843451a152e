"""Problems found in a submission: one row per problem, each with where it is and why it matters.

Kept as a DataFrame so that a million-row file with a bad column costs one vectorised
step, not a million Python objects.
"""

from __future__ import annotations

import pandas as pd

PROBLEM_COLUMNS = ["row", "column", "value", "code", "reason", "severity"]
ERROR, WARNING = "error", "warning"


def no_problems() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in PROBLEM_COLUMNS})


def problem(
    code: str,
    reason: str,
    *,
    row: int | None = None,
    column: str = "",
    value: str = "",
    severity: str = ERROR,
) -> pd.DataFrame:
    """A single problem, usually about the whole file (``row`` None)."""
    return pd.DataFrame([(row, column, value, code, reason, severity)], columns=PROBLEM_COLUMNS)


def problems_where(
    rows: pd.DataFrame,
    mask: pd.Series,
    *,
    column: str,
    code: str,
    reason: str | pd.Series,
    value: pd.Series | None = None,
    severity: str = ERROR,
) -> pd.DataFrame:
    """One problem for each row of ``rows`` where ``mask`` holds.

    ``rows`` has the file's line number in ``row``; ``value`` defaults to the text of
    ``column``; ``reason`` is one sentence for all or a Series aligned with ``rows``.
    """
    hit = rows[mask.to_numpy()]
    if hit.empty:
        return no_problems()
    values = (value if value is not None else rows[column])[mask.to_numpy()]
    reasons = reason[mask.to_numpy()] if isinstance(reason, pd.Series) else reason
    return pd.DataFrame(
        {
            "row": hit["row"].astype("int64").to_numpy(),
            "column": column,
            "value": values.astype(str).to_numpy(),
            "code": code,
            "reason": reasons if isinstance(reasons, str) else reasons.astype(str).to_numpy(),
            "severity": severity,
        }
    )


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All the problems in file order: whole-file problems first, then by row and column."""
    found = [p for p in parts if not p.empty]
    if not found:
        return no_problems()
    result = pd.concat(found, ignore_index=True)
    result["_order"] = result["row"].fillna(-1)
    result = result.sort_values(["_order", "column"], kind="stable").drop(columns="_order")
    return result.reset_index(drop=True)


def as_records(problems: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready problems: row as an int or None."""
    records = problems.astype(object).where(problems.notna(), None).to_dict("records")
    for record in records:
        if record["row"] is not None:
            record["row"] = int(record["row"])  # type: ignore[call-overload]
    return records
