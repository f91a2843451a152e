"""Builds both demo trusts' files and returns the check lines to print.

Each trust gets the same set of files in ``<out>/<trust>/``: trust.json, org_units.csv,
objectives.csv, kpis.csv, targets.csv and measurements.csv (United Lincolnshire also
specialty_divisions.csv). The series NHS England publishes for every trust (``NATIONAL_CODES``) are
not in measurements.csv: the demo imports them through the national import from the files in
``<out>/national/`` (``national_files``), which are written first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import rwd_org, rwd_real, rwd_synthetic, yas
from .catalogue import OBJECTIVES, RWD_KPIS, YAS_KPIS
from .checks import FixtureError, trust_totals, validate
from .common import (
    KPI_COLUMNS,
    MEASUREMENT_COLUMNS,
    ORG_COLUMNS,
    SPECIALTY_DIVISION_COLUMNS,
    TARGET_COLUMNS,
    Measurements,
    days_in,
    write_csv,
    write_json,
)
from .national_files import (
    NATIONAL_CODES,
    files_for,
    imported_months,
    specialty_division_rows,
    write_national_files,
)
from .synthetic import published_staff_in_post
from .targets import target_rows

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Figures marked synthetic are generated for demonstration and are not published statistics."
)


@dataclass
class TrustBuild:
    folder: str
    config: Mapping[str, object]
    orgs: list[dict[str, str]]
    kpis: list[dict[str, str]]
    measurements: Measurements
    checks: list[str] = field(default_factory=list)
    specialty_divisions: list[dict[str, str]] = field(default_factory=list)


def _collector(kpis: list[dict[str, str]]) -> Measurements:
    return Measurements(units={k["code"]: k["unit"] for k in kpis})


def build_rwd(src: Path) -> TrustBuild:
    m = _collector(RWD_KPIS)
    checks: list[str] = []
    checks += rwd_real.ae_four_hour(src, m)
    checks += rwd_real.ae_decision_to_admit(src, m)
    checks += rwd_real.rtt(src, m)
    occupied, lines = rwd_real.bed_occupancy(src, m)
    checks += lines
    checks += rwd_real.criteria_to_reside(src, m)

    bed_days = rwd_synthetic.ward_bed_days(occupied)
    rwd_synthetic.harm_free_care(m, bed_days)
    rwd_synthetic.infections(m, bed_days)
    rwd_synthetic.safe_care_processes(m, bed_days)
    rwd_synthetic.emergency_department(m)
    rwd_synthetic.maternity(m)
    rwd_synthetic.patient_experience(m)
    published_fte = published_staff_in_post(src, rwd_org.TRUST, less_infrastructure=True)
    fte, published_months = rwd_synthetic.staff_in_post(published_fte)
    agency = rwd_synthetic.people(m, fte)
    rwd_synthetic.money(m, agency)

    checks += _bed_day_check(m, occupied)
    checks += _staff_check(
        m, published_fte, published_months, "clinical FTE (total less NHS infrastructure support)"
    )
    config = {
        "code": rwd_org.TRUST,
        "name": rwd_org.TRUST_NAME,
        "level_labels": rwd_org.LEVEL_LABELS,
        "data_as_at": "2025-07-31",
        "attribution": ATTRIBUTION,
        "national_files": files_for(rwd_org.TRUST),
    }
    orgs = rwd_org.org_rows()
    return TrustBuild("rwd", config, orgs, RWD_KPIS, m, checks, specialty_division_rows(src))


def build_yas(src: Path) -> TrustBuild:
    m = _collector(YAS_KPIS)
    checks = yas.ambulance_response(src, m)
    fte, published_months = yas.staff_in_post(src)
    yas.people(m, fte)
    yas.quality(m)
    yas.money(m)
    published_fte = published_staff_in_post(src, yas.TRUST, less_infrastructure=False)
    checks += _staff_check(m, published_fte, published_months, "total FTE")
    config = {
        "code": yas.TRUST,
        "name": yas.TRUST_NAME,
        "level_labels": yas.LEVEL_LABELS,
        "data_as_at": "2025-08-31",
        "attribution": ATTRIBUTION,
        "national_files": files_for(yas.TRUST),
    }
    return TrustBuild("yas", config, yas.org_rows(), YAS_KPIS, m, checks)


def _bed_day_check(m: Measurements, occupied: pd.DataFrame) -> list[str]:
    totals = trust_totals(m.rows, "FALLS")  # its denominator is occupied bed days
    ok = sum(
        round(den)
        == round(occupied.loc[month, "adult"] * days_in(month))
        + round(occupied.loc[month, "paediatric"] * days_in(month))
        for month, (_, den) in totals.items()
    )
    return [
        f"Wards: occupied bed days add up to the published adult + paediatric G&A occupied beds × days "
        f"in {ok}/{len(totals)} months."
    ]


def _staff_check(m: Measurements, published: pd.Series, published_months: int, what: str) -> list[str]:
    totals = trust_totals(m.rows, "WF-TURN")  # its denominator is staff in post
    matches = [
        month
        for month, (_, den) in totals.items()
        if month in published.index and round(den, 2) == round(float(published[month]), 2)
    ]
    first, last = next(iter(totals.values()))[1], list(totals.values())[-1][1]
    return [
        f"Staff in post: units add up to the published {what} in {len(matches)}/{published_months} published "
        f"months; {first:,.0f} FTE in the first month, {last:,.0f} in the last."
    ]


def write_trust(build: TrustBuild, out: Path) -> dict[str, int]:
    """Validate and write one trust's files; returns the row count of each file.

    A KPI the national import gives (its months read from the shipped files in ``out/national``) has no
    rows in measurements.csv but at its home unit (``HOME_UNITS``); its months still decide the years it
    has targets for.
    """
    imported = imported_months(out, str(build.config["code"]))
    rows = [
        r
        for r in build.measurements.sorted_rows()
        if r["kpi_code"] not in imported or r["org_code"] == HOME_UNITS.get(r["kpi_code"])
    ]
    validate(rows, build.kpis, build.orgs)
    synthetic = {k["code"]: k["code"] not in imported for k in build.kpis}
    has_data = set(imported)
    for row in rows:
        has_data.add(row["kpi_code"])
        synthetic[row["kpi_code"]] &= row["synthetic"] == "1"
    missing = [k["code"] for k in build.kpis if k["code"] not in has_data]
    if missing:
        raise FixtureError(f"{build.folder}: KPIs with no data: {missing}")
    kpis = [
        {
            **k,
            "data_is_synthetic": "1" if synthetic[k["code"]] else "0",
            "national_code": _national(k, imported),
        }
        for k in build.kpis
    ]
    parents = {o["code"]: o["parent_code"] for o in build.orgs}
    used_objectives = {k["objective"] for k in kpis}
    # The years of the imported KPIs, and the service-level waiting lists the 52-week targets are set from.
    for_targets = build.measurements.sorted_rows() + [
        {"kpi_code": code, "org_code": "", "month": month}
        for code, months in imported.items()
        for month in months
    ]

    folder = out / build.folder
    write_json(folder / "trust.json", build.config)
    written = {}
    if build.specialty_divisions:
        written["specialty_divisions.csv"] = write_csv(
            folder / "specialty_divisions.csv", SPECIALTY_DIVISION_COLUMNS, build.specialty_divisions
        )
    return written | {
        "trust.json": 1,
        "org_units.csv": write_csv(folder / "org_units.csv", ORG_COLUMNS, build.orgs),
        "objectives.csv": write_csv(
            folder / "objectives.csv",
            ["code", "name"],
            [{"code": c, "name": n} for c, n in OBJECTIVES if c in used_objectives],
        ),
        "kpis.csv": write_csv(folder / "kpis.csv", KPI_COLUMNS, kpis),
        "targets.csv": write_csv(folder / "targets.csv", TARGET_COLUMNS, target_rows(for_targets, parents)),
        "measurements.csv": write_csv(folder / "measurements.csv", MEASUREMENT_COLUMNS, rows),
    }


# Trust-wide national series that one unit delivers: the import gives the trust's figure, and the same
# published figure is submitted at that unit so that its division carries it (the whole A&E return is
# United Lincolnshire's urgent and emergency care, in Medicine).
HOME_UNITS = {"AE-4H": rwd_org.AE_SERVICE, "AE-DTA-12H": rwd_org.AE_SERVICE}


def _national(kpi: Mapping[str, str], imported: Mapping[str, set[str]]) -> str:
    return NATIONAL_CODES[kpi["code"]] if kpi["code"] in imported else ""


def build_all(src: Path, out: Path) -> list[str]:
    """Write the shipped national files, then build and write both trusts; returns the lines to print
    (the national files, each trust's checks, then file sizes)."""
    lines = write_national_files(src, out)
    for build in (build_rwd(src), build_yas(src)):
        counts = write_trust(build, out)
        lines.append(f"[{build.folder}] {build.config['name']}")
        lines += [f"  {line}" for line in build.checks]
        lines.append("  files: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    return lines
