"""Targets per KPI and financial year, for every year in which the KPI has data.

National standards and the interim operational targets of each year's planning
guidance are ``national``; NHS Standard Contract requirements and CQUIN goals are
``contract``; the rest are ``local`` (illustrative, as a trust board would set them).
A row with a blank org_code applies to every unit; a row for one unit overrides it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .common import financial_year, fmt, fy_start

# code: ({financial year or "*": (value, set_by)}, tolerance)
Rule = tuple[dict[str, tuple[float, str]], float]

ALL_UNITS: dict[str, Rule] = {
    # A&E: 95% standard; operational targets 76% (by March 2024) and 78% (2024/25, 2025/26).
    "AE-4H": (
        {
            "*": (95, "national"),
            "2023/24": (76, "national"),
            "2024/25": (78, "national"),
            "2025/26": (78, "national"),
        },
        2,
    ),
    "AE-DTA-12H": ({"*": (0, "contract")}, 0),
    # RTT: 92% standard; 2025/26 interim 65% nationally by March 2026.
    "RTT-18W": ({"*": (92, "national"), "2025/26": (65, "national")}, 2),
    "RTT-52W": ({"2024/25": (0, "national")}, 0),
    # Cancer: operational standards by year (62-day long-term standard 85%).
    "CAN-FDS": ({"*": (75, "national"), "2024/25": (77, "national"), "2025/26": (80, "national")}, 2),
    "CAN-31D": ({"*": (96, "national")}, 2),
    "CAN-62D": (
        {
            "*": (85, "national"),
            "2023/24": (70, "national"),
            "2024/25": (70, "national"),
            "2025/26": (75, "national"),
        },
        3,
    ),
    # Diagnostics: 1% standard, 5% interim.
    "DM01-6W": ({"*": (1, "national"), "2024/25": (5, "national"), "2025/26": (5, "national")}, 1),
    "BED-OCC": ({"*": (92, "local"), "2023/24": (92, "national"), "2024/25": (92, "national")}, 1),
    "FALLS": ({"*": (6.0, "local")}, 0.5),
    "MRSA": ({"*": (0, "national")}, 0),
    "MSA": ({"*": (0, "contract")}, 0),
    "VTE-RA": ({"*": (95, "contract")}, 1),
    "CQ-IV-ORAL": ({"*": (40, "contract")}, 5),
    "CQ-FRAILTY": ({"*": (30, "contract")}, 5),
    "MAT-SATOD": ({"*": (6, "national")}, 1),
    "FFT-POS": ({"*": (90, "local")}, 2),
    "WF-SICK": ({"*": (4.5, "local")}, 0.5),
    "WF-TURN": ({"*": (10, "local")}, 1),
    "WF-VAC": ({"*": (8, "local")}, 1),
    "WF-APPR": ({"*": (90, "local")}, 3),
    "WF-MAND": ({"*": (90, "local")}, 3),
    "WF-IG": ({"*": (95, "national")}, 2),
    "FIN-IE-VAR": ({"*": (0, "local")}, 50),
    "FIN-PAY-VAR": ({"*": (0, "local")}, 50),
    "FIN-CIP": ({"*": (1.0, "local")}, 0.05),
    "FIN-AGY-CAP": ({"*": (1.0, "local")}, 0.05),
    "FIN-CAPEX": ({"*": (0.95, "local")}, 0.05),
    # Ambulance Response Programme standards (seconds); C2 mean interim 30 minutes from 2023/24.
    "AMB-C1-MEAN": ({"*": (420, "national")}, 30),
    "AMB-C1-90": ({"*": (900, "national")}, 60),
    "AMB-C2-MEAN": (
        {
            "*": (1080, "national"),
            "2023/24": (1800, "national"),
            "2024/25": (1800, "national"),
            "2025/26": (1800, "national"),
        },
        120,
    ),
    "AMB-C2-90": ({"*": (2400, "national")}, 300),
    "AMB-C3-90": ({"*": (7200, "national")}, 900),
    "AMB-C4-90": ({"*": (10800, "national")}, 1800),
}

# Count thresholds for the trust and its divisions, a month (infection thresholds are illustrative).
BY_UNIT: dict[str, dict[str, tuple[float, str, float]]] = {
    "CDIFF": {
        "RWD": (6.0, "national", 1),
        "RWD-MED": (4.0, "local", 1),
        "RWD-SUR": (2.0, "local", 1),
        "RWD-FH": (0.5, "local", 0),
    },
    "ECOLI": {
        "RWD": (3.3, "national", 1),
        "RWD-MED": (2.0, "local", 1),
        "RWD-SUR": (1.0, "local", 1),
        "RWD-FH": (0.5, "local", 0),
    },
    "PU-CAT2": {
        "RWD": (40, "local", 4),
        "RWD-MED": (28, "local", 3),
        "RWD-SUR": (12, "local", 2),
        "RWD-FH": (1, "local", 0),
    },
}


def target_rows(measurements: Iterable[dict[str, str]], parents: dict[str, str]) -> list[dict[str, str]]:
    """Target rows for every KPI and financial year present in ``measurements``."""
    rows = list(measurements)
    years: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        years[row["kpi_code"]].add(financial_year(row["month"]))
    out = []
    for kpi, fys in sorted(years.items()):
        for fy in sorted(fys):
            if kpi in ALL_UNITS:
                by_year, tolerance = ALL_UNITS[kpi]
                rule = by_year.get(fy, by_year.get("*"))
                if rule:
                    out.append(_row(kpi, "", fy, rule[0], tolerance, rule[1]))
            for org, (value, set_by, tolerance) in BY_UNIT.get(kpi, {}).items():
                out.append(_row(kpi, org, fy, value, tolerance, set_by))
    out += _fifty_two_weeks_2025(rows, parents)
    return sorted(out, key=lambda r: (r["kpi_code"], r["financial_year"], r["org_code"]))


def _fifty_two_weeks_2025(rows: list[dict[str, str]], parents: dict[str, str]) -> list[dict[str, str]]:
    """2025/26: under 1% of the waiting list over 52 weeks, as a count from March 2025's waiting list."""
    waiting: dict[str, float] = defaultdict(float)
    for row in rows:
        if row["kpi_code"] == "RTT-WL" and row["month"] == "2025-03-01":
            unit = row["org_code"]
            while unit:  # add the service's list to its division and the trust
                unit = parents.get(unit, "")
                if unit:
                    waiting[unit] += float(row["numerator"])
    if not waiting:
        return []
    return [
        _row("RTT-52W", org, "2025/26", round(total / 100), 0, "national" if org == "RWD" else "local")
        for org, total in sorted(waiting.items())
    ]


def _row(kpi: str, org: str, fy: str, value: float, tolerance: float, set_by: str) -> dict[str, str]:
    return {
        "kpi_code": kpi,
        "org_code": org,
        "financial_year": fy,
        "value": fmt(value),
        "tolerance": fmt(tolerance),
        "set_by": set_by,
        "effective_from": fy_start(fy),
    }
