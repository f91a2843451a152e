"""AmbSYS, the Ambulance Systems Indicators, as published (one row per organisation and month, A-codes).

A mean response time is the total time over the incidents it covers (A24 ÷ A8 for Category 1, A30 ÷ A10
for Category 2), so it can be weighted across months; the 90th centiles (A26, A32) are taken as published.
A month an organisation did not report (incidents "." or 0) is left out.
"""

from __future__ import annotations

import pandas as pd

from .rows import iso_months, kpi_rows, numbers, required

PUBLICATION = "NHS England Ambulance Quality Indicators: Systems Indicators (AmbSYS)"
C1_INCIDENTS, C1_TOTAL_TIME, C1_P90 = "A8", "A24", "A26"
C2_INCIDENTS, C2_TOTAL_TIME, C2_P90 = "A10", "A30", "A32"
COLUMNS = [
    "period",
    "org_code",
    "org_name",
    C1_INCIDENTS,
    C1_TOTAL_TIME,
    C1_P90,
    C2_INCIDENTS,
    C2_TOTAL_TIME,
    C2_P90,
]


def read_ambsys(cells: pd.DataFrame) -> pd.DataFrame:
    required(cells, ["period", "org_code"])
    counts = numbers(cells, COLUMNS[3:])
    base = pd.DataFrame(
        {"org_code": cells["org_code"], "org_name": cells["org_name"], "month": iso_months(cells, "period")}
    )
    reported_c1, reported_c2 = counts[C1_INCIDENTS] > 0, counts[C2_INCIDENTS] > 0
    return pd.concat(
        [
            kpi_rows(
                base,
                "AMB_C1_MEAN",
                numerator=counts[C1_TOTAL_TIME],
                denominator=counts[C1_INCIDENTS],
            ),
            kpi_rows(base[reported_c1], "AMB_C1_P90", value=counts.loc[reported_c1, C1_P90]),
            kpi_rows(
                base,
                "AMB_C2_MEAN",
                numerator=counts[C2_TOTAL_TIME],
                denominator=counts[C2_INCIDENTS],
            ),
            kpi_rows(base[reported_c2], "AMB_C2_P90", value=counts.loc[reported_c2, C2_P90]),
        ]
    )
