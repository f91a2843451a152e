"""A&E: the official monthly provider CSV and the tidy A&E history.

Four-hour performance is 100 × (1 − over 4 hours ÷ attendances) over every type of department, booked
appointments included: the attendances are the six "A&E attendances …" columns (types 1, 2 and other, each
walk-in and booked) and the breaches the six "Attendances over 4hrs …" columns.
"""

from __future__ import annotations

import pandas as pd

from .rows import iso_months, kpi_rows, numbers, required
from .table import PublishedFileError

OFFICIAL_PUBLICATION = "NHS England A&E Attendances and Emergency Admissions (monthly provider CSV)"
HISTORY_PUBLICATION = "NHS England A&E Attendances and Emergency Admissions (tidy history of monthly files)"

ATTENDANCES = [
    "A&E attendances Type 1",
    "A&E attendances Type 2",
    "A&E attendances Other A&E Department",
]
OVER_4H = [
    "Attendances over 4hrs Type 1",
    "Attendances over 4hrs Type 2",
    "Attendances over 4hrs Other Department",
]
BOOKED_ATTENDANCES = [
    "A&E attendances Booked Appointments Type 1",
    "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
]
BOOKED_OVER_4H = [
    "Attendances over 4hrs Booked Appointments Type 1",
    "Attendances over 4hrs Booked Appointments Type 2",
    "Attendances over 4hrs Booked Appointments Other Department",
]
DTA_12H = "Patients who have waited 12+ hrs from DTA to admission"
# The monthly CSV ends its providers with England's total, "TOTAL" in every text column: no organisation.
TOTAL_ROW = "TOTAL"
OFFICIAL_COLUMNS = ["Org Code", "Org name", *ATTENDANCES, *OVER_4H, DTA_12H]
HISTORY_COLUMNS = ["org_code", "period", "measure", "value", "source"]
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "JANUARY",
            "FEBRUARY",
            "MARCH",
            "APRIL",
            "MAY",
            "JUNE",
            "JULY",
            "AUGUST",
            "SEPTEMBER",
            "OCTOBER",
            "NOVEMBER",
            "DECEMBER",
        ],
        start=1,
    )
}


def _official_months(cells: pd.DataFrame) -> pd.Series:
    """The month of each row: the ISO ``period`` where the file has one, else the publisher's ``Period``
    label, e.g. ``MSitAE-JUNE-2024``."""
    if "period" in cells:
        return iso_months(cells, "period")
    if "Period" not in cells:
        raise PublishedFileError(["The A&E file has no 'Period' column, so its month is unknown."])
    parts = cells["Period"].astype(str).str.upper().str.extract(r"([A-Z]+)-(\d{4})\s*$")
    month = parts[0].map(MONTHS)
    bad = month.isna() | parts[1].isna()
    if bad.any():
        first = cells[bad].iloc[0]
        raise PublishedFileError(
            [f"'Period' {first['Period']!r} on line {first['line']} is not a month such as MSitAE-JUNE-2024."]
        )
    return pd.to_datetime(parts[1] + "-" + month.astype(int).astype(str).str.zfill(2) + "-01")


def read_official(cells: pd.DataFrame) -> pd.DataFrame:
    """The official monthly A&E provider CSV (one month or several stacked), England's total row left out."""
    required(cells, ["Org Code"])
    cells = cells[cells["Org Code"].str.strip().str.upper() != TOTAL_ROW]
    booked = [c for c in BOOKED_ATTENDANCES + BOOKED_OVER_4H if c in cells]
    values = numbers(cells, [*ATTENDANCES, *OVER_4H, *booked, DTA_12H])
    attendances = values[[c for c in [*ATTENDANCES, *BOOKED_ATTENDANCES] if c in values]].sum(axis=1)
    over_4h = values[[c for c in [*OVER_4H, *BOOKED_OVER_4H] if c in values]].sum(axis=1)
    base = pd.DataFrame(
        {"org_code": cells["Org Code"], "org_name": cells["Org name"], "month": _official_months(cells)}
    )
    return pd.concat(
        [
            kpi_rows(base, "AE_4HR_ALL", numerator=attendances - over_4h, denominator=attendances),
            kpi_rows(base[attendances > 0], "AE_12HR_DTA", numerator=values.loc[attendances > 0, DTA_12H]),
        ]
    )


def read_history(cells: pd.DataFrame) -> pd.DataFrame:
    """The tidy A&E history: one row per organisation, month and measure, with the source of each."""
    required(cells, ["org_code", "period", "measure"])
    cells = cells.assign(month=iso_months(cells, "period"), number=numbers(cells, ["value"])["value"])
    key = ["org_code", "month"]
    wide = cells.pivot_table(index=key, columns="measure", values="number", aggfunc="first")
    source = cells.drop_duplicates(key).set_index(key)["source"]
    missing = {"ae_attendances_all_types", "ae_over_4h_all_types"} - set(wide.columns)
    if missing:
        raise PublishedFileError([f"The A&E history has no {', '.join(sorted(missing))} measure."])
    base = wide.index.to_frame(index=False).assign(source=source.reindex(wide.index).to_numpy())
    wide = wide.reset_index(drop=True)
    attendances, over_4h = wide["ae_attendances_all_types"], wide["ae_over_4h_all_types"]
    parts = [kpi_rows(base, "AE_4HR_ALL", numerator=attendances - over_4h, denominator=attendances)]
    if "ae_dta_to_admission_over_12h" in wide:
        parts.append(kpi_rows(base, "AE_12HR_DTA", numerator=wide["ae_dta_to_admission_over_12h"]))
    return pd.concat(parts)
