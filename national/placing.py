"""Which of a published file's rows the trust takes, and where they go (pure: pandas, no Django).

1. ``official_wins``: where the official monthly A&E file and the tidy A&E history both give a month, the
   official file's figure is used, and a note says where the history disagreed.
2. ``place_rows``: whole-trust rows go to the trust; a split (specialty, tumour, diagnostic test) goes to
   the division the specialty → division map names, summed over the splits that division has. A split the
   map does not name is left out (its patients are in the trust's whole figure already).
3. ``upload_csv``: the rows in the upload template's columns, so the import goes through the same check,
   preview and publish as any file the performance team uploads.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import pandas as pd

from kpis.source_notes import OFFICIAL_FIGURE_USED, OFFICIAL_FILE_WINS
from pmf.formatting import format_value

from .catalogue import national_kpis
from .readers import NationalFile

OFFICIAL_AE, AE_HISTORY = "ae_official", "ae_history"
HISTORY_SOURCES = {
    "nhsr": "the NHSRdatasets copy of the monthly files",
    "healthyr": "the A&E by provider monthly spreadsheets (healthyr copy)",
    "nhse_csv": "the official monthly CSV",
}
UPLOAD_COLUMNS = ["kpi_code", "org_code", "month", "numerator", "denominator", "value"]


def months_label(months: list[date]) -> str:
    """``2024-06 → 2025-07`` (or the one month)."""
    ordered = sorted(months)
    first, last = f"{ordered[0]:%Y-%m}", f"{ordered[-1]:%Y-%m}"
    return first if first == last else f"{first} → {last}"


def official_wins(
    files: list[NationalFile], *, official_months: set[date]
) -> tuple[list[NationalFile], dict[str, list[str]]]:
    """Drop the tidy history's A&E months that an official file gives (in this import or imported before).

    ``files`` hold the trust's rows only; ``official_months`` are months already imported from an official
    file. Returns the files (history rows thinned) and notes by source file.
    """
    official = set(official_months)
    given = {}
    for national in files:
        if national.format == OFFICIAL_AE:
            rows = national.rows
            official |= set(rows["month"])
            given.update({(r.kpi_code, r.month): r.value for r in rows.itertuples(index=False)})
    notes: dict[str, list[str]] = {}
    kept = []
    for national in files:
        if national.format != AE_HISTORY:
            kept.append(national)
            continue
        rows = national.rows
        overlap = rows["month"].isin(official)
        file_notes = _history_notes(rows[~overlap])
        if overlap.any():
            file_notes.append(
                f"{months_label(list(rows.loc[overlap, 'month']))}: the official monthly A&E file gives "
                f"these months, and {OFFICIAL_FILE_WINS}, so the history's "
                "rows for them are not used."
            )
            for r in rows[overlap].itertuples(index=False):
                theirs = given.get((r.kpi_code, r.month))
                if theirs is not None and abs(theirs - r.value) > 1e-9:
                    unit = national_kpis()[r.kpi_code].unit
                    where = HISTORY_SOURCES.get(r.source, r.source)
                    file_notes.append(
                        f"{r.kpi_code} {r.month:%Y-%m}: the history ({where}) gives "
                        f"{format_value(r.value, unit)}, the official file {format_value(theirs, unit)}; "
                        f"{OFFICIAL_FIGURE_USED}."
                    )
        notes[national.source_file] = file_notes
        kept.append(replace(national, rows=rows[~overlap]))
    return kept, notes


def _history_notes(rows: pd.DataFrame) -> list[str]:
    notes = []
    for source, block in rows.groupby("source", sort=False):
        where = HISTORY_SOURCES.get(str(source), str(source) or "the history")
        notes.append(f"{months_label(list(block['month']))}: taken from {where}.")
    return notes


def place_rows(
    rows: pd.DataFrame, *, trust_code: str, divisions: Mapping[tuple[str, str], str]
) -> tuple[pd.DataFrame, list[str]]:
    """The rows by unit: whole rows at ``trust_code``, mapped splits summed at their division.

    ``divisions`` maps (split kind, split code) to a division's code. Returns rows with ``org_code`` the
    unit's code and a note naming the splits left at trust level only.
    """
    whole = rows[rows["split_kind"] == ""].assign(org_code=trust_code)
    splits = rows[rows["split_kind"] != ""]
    division = pd.Series(
        [divisions.get((k, c)) for k, c in zip(splits["split_kind"], splits["split_code"], strict=True)],
        index=splits.index,
        dtype="object",
    )
    mapped = splits[division.notna()].assign(org_code=division.dropna())
    notes = []
    unmapped = splits.loc[division.isna(), ["split_kind", "split_name"]].drop_duplicates()
    if not unmapped.empty:
        names = ", ".join(sorted(unmapped["split_name"].astype(str)))
        notes.append(f"Not in the specialty → division map, so counted at trust level only: {names}.")
    summed = (
        mapped.groupby(["kpi_code", "org_code", "month"], sort=True)[["numerator", "denominator"]]
        .sum(min_count=1)
        .reset_index()
    )
    return pd.concat(
        [whole[["kpi_code", "org_code", "month", "numerator", "denominator", "value"]], summed]
    ), notes


def _number(value: float) -> str:
    return "" if pd.isna(value) else format(float(value), ".15g")


def upload_csv(rows: pd.DataFrame, *, codes: Mapping[str, str], value_only: set[str]) -> bytes:
    """The placed rows as an upload file: ``codes`` maps national codes to the trust's KPI codes.

    A KPI in ``value_only`` (a 90th centile) gives its value; every other gives its numerator and
    denominator, from which the check works out the value as it does for any upload.
    """
    out = pd.DataFrame(
        {
            "kpi_code": rows["kpi_code"].map(codes),
            "org_code": rows["org_code"],
            "month": pd.to_datetime(rows["month"]).dt.strftime("%Y-%m"),
            "numerator": rows["numerator"].map(_number),
            "denominator": rows["denominator"].map(_number),
            "value": rows["value"].map(_number).where(rows["kpi_code"].isin(value_only), ""),
        }
    ).sort_values(["kpi_code", "org_code", "month"], kind="stable")
    text = io.StringIO()
    out[UPLOAD_COLUMNS].to_csv(text, index=False, lineterminator="\n")
    return text.getvalue().encode()
