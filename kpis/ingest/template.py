"""The pre-filled file a team fills in: every expected KPI × unit row for one month."""

from __future__ import annotations

from datetime import date

import pandas as pd

from .reader import COLUMNS


def template_frame(expected: pd.DataFrame, month: date) -> pd.DataFrame:
    """``expected`` has kpi_code and org_code; the result has ``COLUMNS``, numbers left blank.

    Rows are ordered by unit then KPI, the order in which a team works through its return.
    """
    rows = expected[["kpi_code", "org_code"]].drop_duplicates().sort_values(["org_code", "kpi_code"])
    return rows.assign(month=month.strftime("%Y-%m"), numerator="", denominator="", value="")[list(COLUMNS)]
