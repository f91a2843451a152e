"""Write the small extracts of the published NHS files that ``tests/trust_setup/test_ods_build.py`` builds
the NHS trust reference from, so that the test runs in a fresh clone.

Run from the repository root: ``uv run --frozen python tests/data/ods/make_extracts.py [SOURCE]``, SOURCE
being the folder of published files ``build_ods_reference`` reads (by default ``../shared/data/nhs``). Each
extract keeps only what ``trust_setup/ods_build.py`` reads, so the reference built from this folder is the
one built from the full files:

- ``ref_ods_nhs_trusts.csv``: every row, without the addresses and telephone numbers;
- ``ref_icb_names_2025.csv`` and ``ref_selected_trusts.csv``: as published (they are small);
- ``workforce_nhs_staff_survey_2024_org_scores.csv``: one row per organisation, its benchmarking group;
- ``ae_nhsrdatasets_ae_attendances_2016_2019.csv``: one row per trust that reported type 1 attendances;
- ``ae_trust_monthly_long_all_sources.csv``: each trust's first month with type 1 attendances above none.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).parent
DEFAULT_SOURCE = HERE.parents[2] / ".." / "shared" / "data" / "nhs"
ODS_COLUMNS = [
    "snapshot",
    "org_code",
    "org_name",
    "nhse_region_code",
    "nhse_region_name",
    "icb_code",
    "open_date",
    "close_date",
    "source",
]


def _read(source: Path, name: str) -> list[dict[str, str]]:
    with (source / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(name: str, columns: list[str], rows: Iterable[dict[str, str]]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _first_per_org(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    firsts: dict[str, dict[str, str]] = {}
    for row in rows:
        firsts.setdefault(row["org_code"], row)
    return list(firsts.values())


def main(source: Path) -> None:
    _write("ref_ods_nhs_trusts.csv", ODS_COLUMNS, _read(source, "ref_ods_nhs_trusts.csv"))
    for name in ("ref_icb_names_2025.csv", "ref_selected_trusts.csv"):
        rows = _read(source, name)
        _write(name, list(rows[0]), rows)

    # The build keeps an organisation's last group; write that one, in the order the organisations come.
    survey = {r["org_code"]: r for r in _read(source, "workforce_nhs_staff_survey_2024_org_scores.csv")}
    _write(
        "workforce_nhs_staff_survey_2024_org_scores.csv", ["org_code", "benchmarking_group"], survey.values()
    )

    history = _read(source, "ae_nhsrdatasets_ae_attendances_2016_2019.csv")
    _write(
        "ae_nhsrdatasets_ae_attendances_2016_2019.csv",
        ["period", "org_code", "type", "attendances"],
        _first_per_org(r for r in history if r["type"] == "1"),
    )
    long = _read(source, "ae_trust_monthly_long_all_sources.csv")
    type1 = (
        r for r in long if r["measure"] == "ae_attendances_type1" and r["value"] and float(r["value"]) > 0
    )
    _write(
        "ae_trust_monthly_long_all_sources.csv",
        ["org_code", "period", "measure", "value", "source"],
        _first_per_org(type1),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
