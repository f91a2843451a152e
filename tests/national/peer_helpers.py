"""Made-up published files for the peer tests: a ``NationalFile`` from a few rows, loaded as peer values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from national.peers import load_peer_values
from national.readers import COLUMNS, NationalFile


def national_file(fmt: str, rows: list[dict], name: str = "made_up.csv") -> NationalFile:
    blank = dict.fromkeys(COLUMNS, "")
    frame = pd.DataFrame(
        [{**blank, "numerator": float("nan"), "denominator": float("nan"), **row} for row in rows]
    )
    return NationalFile(
        format=fmt, publication=f"{fmt} publication", published_on=None, source_file=name, rows=frame
    )


def kpi_row(org: str, kpi: str, month: date, value: float) -> dict:
    return {"org_code": org, "org_name": f"{org} Trust", "kpi_code": kpi, "month": month, "value": value}


def load_values(kpi: str, values: Mapping[date, Mapping[str, float]], *, fmt: str = "made_up") -> None:
    """Load ``values`` (month → org → value) of one KPI as peer values."""
    rows = [kpi_row(org, kpi, month, v) for month, by_org in values.items() for org, v in by_org.items()]
    load_peer_values(national_file(fmt, rows, name=f"{kpi.lower()}.csv"))
