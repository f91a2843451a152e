"""Elective waits: RTT (incomplete pathways), cancer waiting times and DM01 diagnostics.

Whole-trust rows have no split; a specialty (RTT treatment function), tumour (cancer type) or diagnostic
test is a split, which the import may place at a division.
"""

from __future__ import annotations

import pandas as pd

from .rows import iso_months, kpi_rows, numbers, required

RTT_PUBLICATION = "NHS England Referral to Treatment (RTT) Waiting Times"
CWT_PUBLICATION = "NHS England Cancer Waiting Times (provider extract)"
DM01_PUBLICATION = "NHS England Monthly Diagnostics Waiting Times and Activity (DM01)"

RTT_COLUMNS = ["org_code", "period", "specialty", "measure", "value"]
RTT_WHOLE = "ALL"
# The tidy RTT file names treatment functions in words; the national codes are the publisher's (C_ and X_).
TREATMENT_FUNCTIONS = {
    "general_surgery": ("C_100", "General Surgery"),
    "urology": ("C_101", "Urology"),
    "trauma_orthopaedics": ("C_110", "Trauma and Orthopaedic Surgery"),
    "ent": ("C_120", "Ear Nose and Throat"),
    "ophthalmology": ("C_130", "Ophthalmology"),
    "oral_surgery": ("C_140", "Oral Surgery"),
    "restorative_dentistry": ("C_141", "Restorative Dentistry"),
    "cardiothoracic_surgery": ("C_170", "Cardiothoracic Surgery"),
    "pediatric_surgery": ("C_171", "Paediatric Surgery"),
    "general_medicine": ("C_300", "General Internal Medicine"),
    "gastroenterology": ("C_301", "Gastroenterology"),
    "cardiology": ("C_320", "Cardiology"),
    "dermatology": ("C_330", "Dermatology"),
    "respiratory_medicine": ("C_340", "Respiratory Medicine"),
    "medical_oncology": ("C_370", "Medical Oncology"),
    "neurology": ("C_400", "Neurology"),
    "rheumatology": ("C_410", "Rheumatology"),
    "geriatric_medicine": ("C_430", "Elderly Medicine"),
    "gynecology": ("C_502", "Gynaecology"),
    "other_surgery": ("X05", "Other - Surgical Services"),
}

CWT_SUMMARY_COLUMNS = ["period", "org_code", "standard", "stage_route", "total_treated", "within_standard"]
CWT_TYPE_COLUMNS = ["period", "org_code", "standard", "cancer_type", "total_treated", "within_standard"]
CWT_EXTRACT_COLUMNS = [*CWT_SUMMARY_COLUMNS, "treatment_modality", "cancer_type"]
STANDARDS = {"28-day FDS": "CWT_FDS", "31-day Combined": "CWT_31D", "62-day Combined": "CWT_62D"}
ALL_MODALITIES, ALL_CANCERS, ALL_ROUTES = "ALL MODALITIES", "ALL CANCERS", "ALL"

DM01_COLUMNS = ["period", "Provider Code", "Provider Name", "Total Waiting List", "Number waiting 6+ Weeks"]
DM01_TEST_COLUMNS = [*DM01_COLUMNS, "Diagnostic Test Name"]
DM01_TOTAL = "Total"


def read_rtt(cells: pd.DataFrame) -> pd.DataFrame:
    """The tidy RTT file: incomplete pathways, within 18 weeks and over 52 weeks, by treatment function."""
    required(cells, ["org_code", "period", "specialty", "measure"])
    cells = cells.assign(month=iso_months(cells, "period"), number=numbers(cells, ["value"])["value"])
    key = ["org_code", "month", "specialty"]
    wide = cells.pivot_table(index=key, columns="measure", values="number", aggfunc="first")
    wide = wide.reindex(columns=["rtt_incomplete_pathways", "rtt_within_18_weeks", "rtt_52_plus_weeks"])
    base = wide.index.to_frame(index=False)
    named = base["specialty"].map(TREATMENT_FUNCTIONS)
    split = base["specialty"] != RTT_WHOLE
    base = base.assign(
        split_kind=split.map({True: "treatment_function", False: ""}),
        split_code=named.map(lambda tf: tf[0] if isinstance(tf, tuple) else "").where(
            named.notna(), base["specialty"]
        ),
        split_name=named.map(lambda tf: tf[1] if isinstance(tf, tuple) else "").where(
            named.notna(), base["specialty"].str.replace("_", " ").str.capitalize()
        ),
    )
    base.loc[~split, ["split_code", "split_name"]] = ""
    base = base.drop(columns="specialty")
    wide = wide.reset_index(drop=True)
    waiting = wide["rtt_incomplete_pathways"]
    return pd.concat(
        [
            kpi_rows(base, "RTT_18WK", numerator=wide["rtt_within_18_weeks"], denominator=waiting),
            kpi_rows(base, "RTT_52WK", numerator=wide["rtt_52_plus_weeks"], denominator=waiting),
            kpi_rows(base[waiting > 0], "RTT_WAITING_LIST", numerator=waiting[waiting > 0]),
        ]
    )


def _cwt_rows(frame: pd.DataFrame, split: str | None) -> pd.DataFrame:
    """Cancer rows summed by organisation, month, standard (and ``split``, a column, when given)."""
    key = ["org_code", "month", "standard", *([split] if split else [])]
    sums = frame.groupby(key, sort=False)[["within_standard", "total_treated"]].sum().reset_index()
    sums = sums[sums["standard"].isin(STANDARDS)]
    if split:
        sums = sums.assign(split_kind="cancer_type", split_code=sums[split], split_name=sums[split])
    parts = [
        kpi_rows(
            block.drop(columns=["standard", "within_standard", "total_treated", *([split] if split else [])]),
            STANDARDS[standard],
            numerator=block["within_standard"],
            denominator=block["total_treated"],
        )
        for standard, block in sums.groupby("standard", sort=False)
    ]
    return pd.concat(parts) if parts else kpi_rows(sums.iloc[:0], "CWT_FDS")


def _cwt_cells(cells: pd.DataFrame) -> pd.DataFrame:
    required(cells, ["period", "org_code", "standard"])
    counts = numbers(cells, ["total_treated", "within_standard"])
    return cells.assign(month=iso_months(cells, "period"), **counts)


def read_cwt_summary(cells: pd.DataFrame) -> pd.DataFrame:
    """The provider summary: one row per organisation, month, standard and route; ``ALL`` is the whole."""
    frame = _cwt_cells(cells)
    return _cwt_rows(frame[frame["stage_route"].str.strip() == ALL_ROUTES], None)


def read_cwt_by_type(cells: pd.DataFrame) -> pd.DataFrame:
    """31- and 62-day results by cancer type: splits only (the whole is in the provider summary)."""
    frame = _cwt_cells(cells)
    return _cwt_rows(frame[frame["cancer_type"].str.strip() != ALL_CANCERS], "cancer_type")


def read_cwt_extract(cells: pd.DataFrame) -> pd.DataFrame:
    """The provider extract as published, a row per route, modality and cancer type.

    The faster diagnosis standard is the sum of all its rows; the 31- and 62-day standards the sum of their
    ``ALL MODALITIES`` rows over the cancer types (each type is also a split).
    """
    frame = _cwt_cells(cells)
    modality = frame["treatment_modality"].str.strip()
    cancer_type = frame["cancer_type"].str.strip()
    fds = frame["standard"] == "28-day FDS"
    treated = ~fds & (modality == ALL_MODALITIES) & (cancer_type != ALL_CANCERS)
    return pd.concat([_cwt_rows(frame[fds | treated], None), _cwt_rows(frame[treated], "cancer_type")])


def _dm01(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    required(cells, ["period", "Provider Code"])
    counts = numbers(cells, ["Total Waiting List", "Number waiting 6+ Weeks"])
    base = pd.DataFrame(
        {
            "org_code": cells["Provider Code"],
            "org_name": cells["Provider Name"],
            "month": iso_months(cells, "period"),
        }
    )
    return base, counts


def read_dm01(cells: pd.DataFrame) -> pd.DataFrame:
    """The DM01 provider sheet: the waiting list and those waiting 6 weeks or more."""
    base, counts = _dm01(cells)
    return kpi_rows(
        base,
        "DM01_6WK",
        numerator=counts["Number waiting 6+ Weeks"],
        denominator=counts["Total Waiting List"],
    )


def read_dm01_by_test(cells: pd.DataFrame) -> pd.DataFrame:
    """The DM01 provider-by-test sheet: each test a split, the ``Total`` row the whole."""
    base, counts = _dm01(cells)
    test = cells["Diagnostic Test Name"].str.strip()
    split = test != DM01_TOTAL
    base = base.assign(
        split_kind=split.map({True: "diagnostic_test", False: ""}),
        split_code=test.where(split, ""),
        split_name=test.where(split, ""),
    )
    return kpi_rows(
        base,
        "DM01_6WK",
        numerator=counts["Number waiting 6+ Weeks"],
        denominator=counts["Total Waiting List"],
    )
