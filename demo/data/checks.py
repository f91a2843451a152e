"""Checks on the generated files: every row is consistent with its KPI and unit, nothing
is counted twice in the roll-up, and trust totals can be compared with published ones.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .common import SCALE


class FixtureError(ValueError):
    """A generated file breaks one of the rules the loader and the roll-up rely on."""


def validate(rows: list[dict[str, str]], kpis: list[dict[str, str]], orgs: list[dict[str, str]]) -> None:
    """Raise FixtureError listing the first problems found; return quietly when all is well."""
    kpi = {k["code"]: k for k in kpis}
    org = {o["code"]: o for o in orgs}
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for i, row in enumerate(rows, start=2):
        problems += [f"row {i}: {p}" for p in _row_problems(row, kpi, org)]
        key = (row["kpi_code"], row["org_code"], row["month"])
        if key in seen:
            problems.append(f"row {i}: {key} appears twice")
        seen.add(key)
    problems += _double_counting(rows, kpi, org)
    if problems:
        raise FixtureError(f"{len(problems)} problems, e.g.: " + "; ".join(problems[:10]))


def _row_problems(
    row: dict[str, str], kpis: dict[str, dict[str, str]], orgs: dict[str, dict[str, str]]
) -> list[str]:
    k, o = kpis.get(row["kpi_code"]), orgs.get(row["org_code"])
    if k is None or o is None:
        return [f"unknown KPI or unit {row['kpi_code']} / {row['org_code']}"]
    out = []
    month = row["month"]
    if not (len(month) == 10 and month.endswith("-01")):
        out.append(f"month {month} is not a first-of-month date")
    if month < o["active_from"] or (o["active_to"] and month > o["active_to"]):
        out.append(f"{o['code']} is not active in {month}")
    if row["synthetic"] not in {"0", "1"}:
        out.append("synthetic must be 0 or 1")
    num = float(row["numerator"]) if row["numerator"] else None
    den = float(row["denominator"]) if row["denominator"] else None
    value = float(row["value"])
    aggregation, unit = k["aggregation"], k["unit"]
    if aggregation == "none":
        if num is not None or den is not None:
            out.append(f"{k['code']} is never rolled up: give the value only")
    elif aggregation == "sum":
        if num is None or den is not None or not math.isclose(num, value, abs_tol=1e-9):
            out.append(f"{k['code']} is summed: the numerator is the value and there is no denominator")
        if unit == "count" and (value < 0 or not value.is_integer()):
            out.append(f"{k['code']} is a count: {value} is not a non-negative whole number")
    else:
        if num is None or den is None or den <= 0 or num < 0:
            out.append(f"{k['code']} needs a numerator and a positive denominator")
        else:
            expected = SCALE.get(unit, 1.0) * num / den
            if not math.isclose(value, expected, abs_tol=1e-4):
                out.append(f"{k['code']} value {value} is not {expected:.4f}")
            if unit == "percent" and num > den:
                out.append(f"{k['code']} numerator {num} is above the denominator {den}")
    return out


def _double_counting(
    rows: list[dict[str, str]], kpis: dict[str, dict[str, str]], orgs: dict[str, dict[str, str]]
) -> list[str]:
    """A unit and one of its ancestors must not both submit an aggregable KPI for a month; a
    KPI that is never rolled up may be given at several levels, but with the same value."""
    submitted: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in rows:
        submitted[(row["kpi_code"], row["month"])][row["org_code"]] = row["value"]
    out = []
    for (kpi, month), values in submitted.items():
        never_rolled = kpis[kpi]["aggregation"] == "none"
        for unit, value in values.items():
            parent = orgs[unit]["parent_code"]
            while parent:
                if parent in values and not (never_rolled and values[parent] == value):
                    out.append(f"{kpi} {month}: both {unit} and its ancestor {parent} submit a value")
                parent = orgs[parent]["parent_code"]
    return out


def trust_totals(rows: list[dict[str, str]], kpi: str) -> dict[str, tuple[float, float]]:
    """Σnumerator and Σdenominator of a KPI per month across every submitting unit."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        if row["kpi_code"] == kpi:
            totals[row["month"]][0] += float(row["numerator"] or 0)
            totals[row["month"]][1] += float(row["denominator"] or 0)
    return {month: (n, d) for month, (n, d) in sorted(totals.items())}
