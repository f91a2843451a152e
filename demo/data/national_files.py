"""The NHS England files the demo trusts import through the national import, kept in ``fixtures/national/``.

Each is the published file with every organisation's rows (they are the peers' values too), cut down to the
columns and rows the national import reads, so the repository stays small:

| file | cut to |
|---|---|
| the official monthly A&E CSVs | as published |
| the tidy A&E history | the two all-types measures; the months the official CSVs give are left to them |
| RTT incomplete pathways | the waiting list, within 18 weeks and over 52 weeks (every trust's total, and
  United Lincolnshire's treatment functions) |
| cancer waiting times, provider summary | the whole-provider rows (route ``ALL``) |
| cancer waiting times, United Lincolnshire's provider extract | as published (every route, modality and
  cancer type) |
| DM01, provider | the waiting list and waits of six weeks or more |
| DM01, provider by test | United Lincolnshire's rows; the waiting list and waits of six weeks or more |
| AmbSYS | the category 1 and 2 incidents, total response times and 90th centiles |

Pure: pandas, the standard library and the national readers (which import no Django).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from national.readers import read_published_file
from national.readers.waiting import TREATMENT_FUNCTIONS

from .rwd_org import DM01_TEST_SERVICE, RTT_SPECIALTY_SERVICE, TREATMENT_TYPE_SERVICE
from .rwd_org import TRUST as RWD

LAST_MONTH = "2025-08-01"  # the latest month either demo trust's data runs to
DM01_COLUMNS = ["period", "Provider Code", "Provider Name", "Total Waiting List", "Number waiting 6+ Weeks"]
AMBSYS_COLUMNS = ["period", "org_level", "org_code", "org_name", "A8", "A10", "A24", "A26", "A30", "A32"]


@dataclass(frozen=True)
class ShippedFile:
    """One published file as the demo keeps it: the source's name, its name here, and how it is cut."""

    source: str
    name: str
    cut: Callable[[pd.DataFrame], pd.DataFrame]
    trusts: tuple[str, ...]  # the demo trusts whose own series the file gives


def _ae_history(frame: pd.DataFrame) -> pd.DataFrame:
    all_types = frame["measure"].isin(["ae_attendances_all_types", "ae_over_4h_all_types"])
    return frame[all_types & (frame["source"] != "nhse_csv")]


def _rtt(frame: pd.DataFrame) -> pd.DataFrame:
    measures = ["rtt_incomplete_pathways", "rtt_within_18_weeks", "rtt_52_plus_weeks"]
    return frame[frame["measure"].isin(measures)]


def _whole_providers(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["stage_route"] == "ALL"]


def _dm01_by_test(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[frame["Provider Code"] == RWD, [*DM01_COLUMNS, "Diagnostic ID", "Diagnostic Test Name"]]


SHIPPED = (
    ShippedFile("ae_nhse_monthly_provider_2024_2025.csv", "ae_official_monthly.csv", lambda f: f, (RWD,)),
    ShippedFile("ae_trust_monthly_long_all_sources.csv", "ae_history.csv", _ae_history, (RWD,)),
    ShippedFile("rtt_trust_monthly_long_2024_2025.csv", "rtt_incomplete_pathways.csv", _rtt, (RWD,)),
    ShippedFile(
        "cancer_cwt_provider_monthly_summary_2024_2025.csv",
        "cancer_provider_summary.csv",
        _whole_providers,
        (),
    ),
    ShippedFile("cancer_cwt_original_rows_RWD_2024_2025.csv", "cancer_extract_rwd.csv", lambda f: f, (RWD,)),
    ShippedFile(
        "diagnostics_dm01_provider_monthly_2024_2025.csv", "dm01_provider.csv", lambda f: f[DM01_COLUMNS], ()
    ),
    ShippedFile(
        "diagnostics_dm01_by_test_selected_trusts_2024_2025.csv",
        "dm01_by_test_rwd.csv",
        _dm01_by_test,
        (RWD,),
    ),
    ShippedFile("ambulance_ambsys_wide_2017_2025.csv", "ambsys.csv", lambda f: f[AMBSYS_COLUMNS], ("RX8",)),
)


def files_for(trust: str) -> list[str]:
    """The shipped files that give ``trust``'s own national series (the ones its import reads)."""
    return [shipped.name for shipped in SHIPPED if trust in shipped.trusts]


def write_national_files(src: Path, out: Path) -> list[str]:
    """Write the cut files to ``out/national/``; returns a line per file (rows and organisations)."""
    folder = out / "national"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for shipped in SHIPPED:
        frame = pd.read_csv(src / shipped.source, dtype=str, keep_default_na=False)
        frame = shipped.cut(frame)
        frame = frame[frame["period"].str[:10] <= LAST_MONTH]
        frame.to_csv(folder / shipped.name, index=False, lineterminator="\n")
        code = next(c for c in ("org_code", "Org Code", "Provider Code") if c in frame)
        orgs = frame[code].nunique()
        lines.append(
            f"national/{shipped.name}: {len(frame):,} rows, {orgs} organisations (from {shipped.source})"
        )
    return lines


# The demo KPIs that take NHS England's published figures through the national import: code → national code.
NATIONAL_CODES = {
    "AE-4H": "AE_4HR_ALL",
    "AE-DTA-12H": "AE_12HR_DTA",
    "RTT-18W": "RTT_18WK",
    "RTT-WL": "RTT_WAITING_LIST",
    "CAN-FDS": "CWT_FDS",
    "CAN-31D": "CWT_31D",
    "CAN-62D": "CWT_62D",
    "DM01-6W": "DM01_6WK",
    "AMB-C1-MEAN": "AMB_C1_MEAN",
    "AMB-C1-90": "AMB_C1_P90",
    "AMB-C2-MEAN": "AMB_C2_MEAN",
    "AMB-C2-90": "AMB_C2_P90",
}


def imported_months(out: Path, trust: str) -> dict[str, set[str]]:
    """The months (``YYYY-MM-01``) of each demo KPI that ``trust``'s import takes from the shipped files."""
    by_national = {national: code for code, national in NATIONAL_CODES.items()}
    found: dict[str, set[str]] = {}
    for name in files_for(trust):
        rows = read_published_file(out / "national" / name).rows
        rows = rows[(rows["org_code"] == trust) & rows["kpi_code"].isin(by_national)]
        for national, block in rows.groupby("kpi_code"):
            found.setdefault(by_national[str(national)], set()).update(
                f"{m:%Y-%m-01}" for m in block["month"]
            )
    return found


def specialty_division_rows(src: Path) -> list[dict[str, str]]:
    """Where United Lincolnshire's published splits belong: each treatment function, cancer type and DM01 test
    with the division of the service it maps to (``rwd_org``)."""
    rows = [
        {"kind": "treatment_function", "code": code, "name": name, "division_code": _division(service)}
        for specialty, service in RTT_SPECIALTY_SERVICE.items()
        for code, name in [TREATMENT_FUNCTIONS[specialty]]
    ]
    rows += [
        {"kind": "cancer_type", "code": cancer, "name": cancer, "division_code": _division(service)}
        for cancer, service in TREATMENT_TYPE_SERVICE.items()
    ]
    tests = pd.read_csv(src / SHIPPED[6].source, usecols=["Diagnostic ID", "Diagnostic Test Name"])
    names = tests.drop_duplicates("Diagnostic ID").set_index("Diagnostic ID")["Diagnostic Test Name"]
    rows += [
        {
            "kind": "diagnostic_test",
            "code": names[test],
            "name": names[test],
            "division_code": _division(service),
        }
        for test, service in DM01_TEST_SERVICE.items()
    ]
    return sorted(rows, key=lambda r: (r["kind"], r["code"]))


def _division(service: str) -> str:
    return service.rsplit("-", 1)[0]
