"""Reads of the published measurements: the current value of each KPI, unit and month.

Publishing, the roll-up and the checks of a submission all compare against these rows, so
they read them here, and the column names they share are defined here with them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..models import Measurement

# What identifies one value, and what a value is.
KEY = ["kpi_id", "org_unit_id", "month"]
VALUE_COLUMNS = ["numerator", "denominator", "value"]
ROLLUP_COLUMNS = ["children_contributing", "children_expected"]
FLAG_COLUMNS = ["is_synthetic"]


def current_values(*, months: list[date], is_rollup: bool) -> pd.DataFrame:
    """The published, current measurements for ``months`` as a frame (one query)."""
    columns = ["id", *KEY, *VALUE_COLUMNS, "revision", *FLAG_COLUMNS, *(ROLLUP_COLUMNS if is_rollup else [])]
    rows = Measurement.objects.filter(
        month__in=months, status=Measurement.Status.PUBLISHED, is_rollup=is_rollup
    ).values_list(*columns)
    return pd.DataFrame(list(rows), columns=columns)


def latest_published_month() -> date | None:
    """The latest month with a published value, or None before anything is published (one query)."""
    return (
        Measurement.objects.filter(status=Measurement.Status.PUBLISHED)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
