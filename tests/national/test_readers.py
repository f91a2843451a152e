"""The readers of NHS England's published files, on small files cut from the published ones."""

from __future__ import annotations

import csv
import math

import pytest

from national.readers import PublishedFileError, read_published_file

from .conftest import DATA


@pytest.mark.parametrize(
    ("name", "format_", "kpis"),
    [
        ("ae_official_RTG_RK5.csv", "ae_official", {"AE_4HR_ALL", "AE_12HR_DTA"}),
        ("ae_history_RTG_RK5.csv", "ae_history", {"AE_4HR_ALL", "AE_12HR_DTA"}),
        ("rtt_two_months.csv", "rtt", {"RTT_18WK", "RTT_52WK", "RTT_WAITING_LIST"}),
        ("dm01_by_test_one_month.csv", "dm01_by_test", {"DM01_6WK"}),
        ("ambsys_three_months.csv", "ambsys", {"AMB_C1_MEAN", "AMB_C1_P90", "AMB_C2_MEAN", "AMB_C2_P90"}),
    ],
)
def test_read_published_file_recognises_the_publication_from_its_columns(name, format_, kpis):
    national = read_published_file(DATA / name)

    assert national.format == format_
    assert set(national.rows["kpi_code"]) == kpis
    assert national.source_file == name
    assert national.rows["month"].map(lambda m: m.day).eq(1).all()


def test_ae_official_counts_every_type_and_booked_appointments():
    rows = read_published_file(DATA / "ae_official_RTG_RK5.csv").rows
    with (DATA / "ae_official_RTG_RK5.csv").open(newline="") as handle:
        line = next(
            r for r in csv.DictReader(handle) if r["Org Code"] == "RK5" and r["period"] == "2025-04-01"
        )
    attendances = sum(float(v) for k, v in line.items() if k.startswith("A&E attendances"))
    over = sum(float(v) for k, v in line.items() if k.startswith("Attendances over 4hrs"))

    got = rows[
        (rows.org_code == "RK5") & (rows.kpi_code == "AE_4HR_ALL") & (rows.month.astype(str) == "2025-04-01")
    ]

    assert len(got) == 1
    assert got.iloc[0]["denominator"] == attendances
    assert math.isclose(got.iloc[0]["value"], 100 * (1 - over / attendances))


def test_rtt_splits_are_treatment_functions_by_national_code():
    rows = read_published_file(DATA / "rtt_two_months.csv").rows
    rwd = rows[(rows.org_code == "RWD") & (rows.kpi_code == "RTT_18WK")]

    assert set(rwd["split_kind"]) == {"", "treatment_function"}
    assert "C_110" in set(rwd["split_code"])
    assert rows[(rows.org_code == "RTG")]["split_kind"].eq("").all()


def test_ambsys_mean_is_total_time_over_incidents_and_p90_as_published():
    rows = read_published_file(DATA / "ambsys_three_months.csv").rows
    with (DATA / "ambsys_three_months.csv").open(newline="") as handle:
        line = next(
            r for r in csv.DictReader(handle) if r["org_code"] == "RX8" and r["period"] == "2025-08-01"
        )
    rx8 = rows[(rows.org_code == "RX8") & (rows.month.astype(str) == "2025-08-01")].set_index("kpi_code")

    assert rx8.loc["AMB_C1_MEAN", "value"] == pytest.approx(float(line["A24"]) / float(line["A8"]))
    assert rx8.loc["AMB_C1_P90", "value"] == float(line["A26"])
    assert math.isnan(rx8.loc["AMB_C1_P90", "denominator"])


def test_a_file_of_another_publication_is_refused_naming_what_is_read():
    with pytest.raises(PublishedFileError, match="not one of the NHS England publications PMF reads"):
        read_published_file(DATA / "wrong_publication_beds.csv")


def test_a_file_cut_short_is_refused():
    with pytest.raises(PublishedFileError, match="cut short: its last line"):
        read_published_file(DATA / "ae_official_cut_short.csv")


def test_a_file_at_a_spreadsheet_row_limit_is_refused(tmp_path):
    header = "org_code,period,measure,value,source\n"
    body = "".join(f"R{i % 90:02d},2024-06-01,ae_attendances_all_types,{i},nhse_csv\n" for i in range(65_535))
    path = tmp_path / "ae_history.csv"
    path.write_text(header + body)

    with pytest.raises(PublishedFileError, match="as many as a spreadsheet sheet holds"):
        read_published_file(path)


def test_a_workbook_is_read_like_the_csv(tmp_path):
    import pandas as pd

    path = tmp_path / "ambsys.xlsx"
    pd.read_csv(DATA / "ambsys_three_months.csv", dtype=str).to_excel(path, index=False)

    from_csv = read_published_file(DATA / "ambsys_three_months.csv").rows
    from_workbook = read_published_file(path).rows

    assert from_workbook[["org_code", "kpi_code", "value"]].equals(
        from_csv[["org_code", "kpi_code", "value"]]
    )
