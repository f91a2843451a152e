"""The national KPI catalogue: the KPIs NHS England publishes for every trust, defined once.

Pure: it reads the shipped ``catalogue.csv`` beside this module and imports no Django. The import creates a
trust's KPI from here when it is missing, and benchmarking ranks peers by each KPI's direction; ``scored``
says which KPIs count towards the Oversight-Framework-style average score (a percentage comparable between
trusts of any size is scored; a count that grows with a trust's size is not).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).with_name("catalogue.csv")
UNITS = ("percent", "count", "seconds")
DIRECTIONS = ("higher_is_better", "lower_is_better")
AGGREGATIONS = ("ratio", "sum", "mean_weighted", "none")


@dataclass(frozen=True)
class NationalKpi:
    """One national KPI as NHS England defines it (units as the KPI catalogue has them; times in seconds)."""

    code: str
    name: str
    definition: str
    numerator_definition: str
    denominator_definition: str
    unit: str
    direction: str
    aggregation: str
    source_publication: str
    national_guidance_ref: str
    scored: bool

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher_is_better"

    @property
    def scale(self) -> float:
        """What numerator ÷ denominator is multiplied by to give the value (100 for a percentage)."""
        return 100.0 if self.unit == "percent" else 1.0


def _parse(row: dict[str, str], line: int) -> NationalKpi:
    scored = row["scored"].strip().lower()
    problems = [
        f"{field} {row[field]!r} is not one of {', '.join(allowed)}"
        for field, allowed in (("unit", UNITS), ("direction", DIRECTIONS), ("aggregation", AGGREGATIONS))
        if row[field] not in allowed
    ]
    if scored not in ("true", "false"):
        problems.append(f"scored {row['scored']!r} is not true or false")
    if problems:
        raise ValueError(f"{CATALOGUE.name} line {line}: " + "; ".join(problems))
    return NationalKpi(
        code=row["code"],
        name=row["name"],
        definition=row["definition"],
        numerator_definition=row["numerator_definition"],
        denominator_definition=row["denominator_definition"],
        unit=row["unit"],
        direction=row["direction"],
        aggregation=row["aggregation"],
        source_publication=row["source_publication"],
        national_guidance_ref=row["national_guidance_ref"],
        scored=scored == "true",
    )


@cache
def national_kpis() -> dict[str, NationalKpi]:
    """Every national KPI by code, in the order the catalogue lists them."""
    with CATALOGUE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kpis = [_parse(row, line) for line, row in enumerate(rows, start=2)]
    by_code = {kpi.code: kpi for kpi in kpis}
    if len(by_code) != len(kpis):
        raise ValueError(f"{CATALOGUE.name}: a KPI code is listed twice")
    return by_code
