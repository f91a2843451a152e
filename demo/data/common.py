"""Shared helpers for building the demo data files: months, seeded randomness,
number formatting, the measurement row collector and the file writers.

Pure: pandas, numpy and the standard library only.
"""

from __future__ import annotations

import calendar
import csv
import json
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SEED = 20250731
SYNTHETIC = "synthetic"

MEASUREMENT_COLUMNS = [
    "kpi_code",
    "org_code",
    "month",
    "numerator",
    "denominator",
    "value",
    "synthetic",
    "source",
]
ORG_COLUMNS = ["code", "name", "level", "parent_code", "active_from", "active_to", "synthetic"]
KPI_COLUMNS = [
    "code",
    "name",
    "definition",
    "numerator_definition",
    "denominator_definition",
    "domain",
    "objective",
    "unit",
    "direction",
    "aggregation",
    "source",
    "national_guidance_ref",
    "is_key",
    "lead_or_lag",
    "frequency",
    "owner",
    "data_owner",
    "tags",
    "data_is_synthetic",
    "national_code",
]
SPECIALTY_DIVISION_COLUMNS = ["kind", "code", "name", "division_code"]
TARGET_COLUMNS = ["kpi_code", "org_code", "financial_year", "value", "tolerance", "set_by", "effective_from"]

# What Σnumerator ÷ Σdenominator is multiplied by, per unit (the rest are 1).
SCALE = {"percent": 100.0, "rate_per_1000": 1000.0}


# Every demo unit is open from the start of the oldest published data (A&E, April 2016).
ACTIVE_FROM = "2016-04-01"


def org_row(
    code: str, name: str, level: str, parent: str, synthetic: int, active_to: str = ""
) -> dict[str, str]:
    """One row of a demo trust's ``org_units.csv``."""
    return {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent,
        "active_from": ACTIVE_FROM,
        "active_to": active_to,
        "synthetic": str(synthetic),
    }


# --- months -------------------------------------------------------------------------------------


def months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as first-of-month ISO dates."""
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}-01")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def financial_year(month: str) -> str:
    """The NHS financial year of a month, e.g. ``2025-02-01`` → ``2024/25``."""
    y, m = int(month[:4]), int(month[5:7])
    start = y if m >= 4 else y - 1
    return f"{start}/{(start + 1) % 100:02d}"


def fy_start(label: str) -> str:
    """The first day of a financial year, e.g. ``2024/25`` → ``2024-04-01``."""
    return f"{label[:4]}-04-01"


def days_in(month: str) -> int:
    return calendar.monthrange(int(month[:4]), int(month[5:7]))[1]


def month_of_year(month: str) -> int:
    return int(month[5:7])


# --- randomness ---------------------------------------------------------------------------------


def rng_for(*keys: str) -> np.random.Generator:
    """A generator seeded from fixed text keys, so each series is stable on its own.

    Adding a KPI or a unit never changes the numbers generated for the others.
    """
    return np.random.default_rng([SEED, zlib.crc32("|".join(keys).encode("utf-8"))])


def winter(month: str) -> float:
    """+1 in January, −1 in July, a smooth cosine in between (winter pressure)."""
    return math.cos(2 * math.pi * (month_of_year(month) - 1) / 12)


# --- formatting ---------------------------------------------------------------------------------


def fmt(x: float | int | None, places: int = 4) -> str:
    """A number as short, stable text: integers without a point, others to ``places`` decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    x = round(float(x), places)
    if x == 0:
        return "0"
    if x.is_integer():
        return str(int(x))
    return f"{x:.{places}f}".rstrip("0").rstrip(".")


# --- measurements -------------------------------------------------------------------------------


@dataclass
class Measurements:
    """Collects measurement rows, computing each value from its numerator and denominator."""

    units: dict[str, str]  # KPI code → unit
    rows: list[dict[str, str]] = field(default_factory=list)

    def ratio(
        self, kpi: str, org: str, month: str, num: float, den: float, source: str, synthetic: bool = False
    ) -> None:
        """A ratio-type value: value = scale × numerator ÷ denominator (skipped when den is 0)."""
        if den <= 0:
            return
        value = SCALE.get(self.units[kpi], 1.0) * num / den
        self._add(kpi, org, month, num, den, value, source, synthetic)

    def count(self, kpi: str, org: str, month: str, num: float, source: str, synthetic: bool = False) -> None:
        """A summed value (count or £000s): value = numerator, no denominator."""
        self._add(kpi, org, month, num, None, num, source, synthetic)

    def value(
        self, kpi: str, org: str, month: str, value: float, source: str, synthetic: bool = False
    ) -> None:
        """A value that is never rolled up (a mean or a centile): no numerator or denominator."""
        self._add(kpi, org, month, None, None, value, source, synthetic)

    def _add(
        self,
        kpi: str,
        org: str,
        month: str,
        num: float | None,
        den: float | None,
        value: float,
        source: str,
        synthetic: bool,
    ) -> None:
        self.rows.append(
            {
                "kpi_code": kpi,
                "org_code": org,
                "month": month,
                "numerator": fmt(num, 2),
                "denominator": fmt(den, 2),
                "value": fmt(value, 4),
                "synthetic": "1" if synthetic else "0",
                "source": source,
            }
        )

    def sorted_rows(self) -> list[dict[str, str]]:
        return sorted(self.rows, key=lambda r: (r["kpi_code"], r["org_code"], r["month"]))


# --- writers ------------------------------------------------------------------------------------


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Write rows with a fixed column order and Unix line endings; returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
            count += 1
    return count


def write_json(path: Path, data: Mapping[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
