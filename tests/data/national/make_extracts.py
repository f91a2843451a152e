"""Write the extracts of the published NHS files that the KPI definition and worked example tests read
(``tests/national/test_definitions.py``), so that they run in a fresh clone.

Run from the repository root: ``uv run --frozen python tests/data/national/make_extracts.py [SOURCE]``,
SOURCE being the folder of published files (by default ``../shared/data/nhs``). Rows are kept exactly as
published, columns as named; only rows (and, for the A&E month, the two columns added by the collector) are
left out:

- ``Monthly-AE-June-2025-1-1.csv``: the official monthly A&E provider CSV for June 2025, every organisation,
  in the publisher's own columns (its month is only in ``Period``, e.g. ``MSitAE-JUNE-2025``);
- ``ae_history_RTG_RK5_2016_2025.csv``: the tidy A&E history's every row for RTG and RK5, April 2016 to
  July 2025 (the NHSRdatasets, healthyr and official CSV sources);
- ``cancer_extract_RWD_2025_07.csv``: the cancer waiting times provider extract's rows for RWD, July 2025;
- ``cancer_summary_2025_07.csv`` and ``cancer_by_type_2025_07.csv``: the provider summary and the 31- and
  62-day results by cancer type for RWD, RTG and RK5, July 2025;
- ``dm01_provider_2025_07.csv``: the DM01 provider sheet for RWD, RTG and RK5, July 2025.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
DEFAULT_SOURCE = HERE.parents[2] / ".." / "shared" / "data" / "nhs"
JULY = "2025-07-01"
TRUSTS = {"RWD", "RTG", "RK5"}

Keep = Callable[[dict[str, str]], bool]

EXTRACTS: list[tuple[str, str, Keep, list[str]]] = [
    (
        "ae_nhse_monthly_provider_2024_2025.csv",
        "Monthly-AE-June-2025-1-1.csv",
        lambda r: r["period"] == "2025-06-01",
        ["period", "source_file"],
    ),
    (
        "ae_trust_monthly_long_all_sources.csv",
        "ae_history_RTG_RK5_2016_2025.csv",
        lambda r: r["org_code"] in {"RTG", "RK5"},
        [],
    ),
    (
        "cancer_cwt_original_rows_RWD_2024_2025.csv",
        "cancer_extract_RWD_2025_07.csv",
        lambda r: r["period"] == JULY,
        [],
    ),
    (
        "cancer_cwt_provider_monthly_summary_2024_2025.csv",
        "cancer_summary_2025_07.csv",
        lambda r: r["period"] == JULY and r["org_code"] in TRUSTS,
        [],
    ),
    (
        "cancer_cwt_by_cancer_type_selected_trusts_2024_2025.csv",
        "cancer_by_type_2025_07.csv",
        lambda r: r["period"] == JULY and r["org_code"] in TRUSTS,
        [],
    ),
    (
        "diagnostics_dm01_provider_monthly_2024_2025.csv",
        "dm01_provider_2025_07.csv",
        lambda r: r["period"] == JULY and r["Provider Code"] in TRUSTS,
        [],
    ),
]


def write_extract(source: Path, name: str, target: str, keep: Keep, drop: list[str]) -> int:
    with (source / name).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c not in drop]
        rows = [{c: r[c] for c in columns} for r in reader if keep(r)]
    with (HERE / target).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main(source: Path) -> None:
    for name, target, keep, drop in EXTRACTS:
        print(f"{target}: {write_extract(source, name, target, keep, drop)} rows from {name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
