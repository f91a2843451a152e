"""Each national KPI as the readers work it out equals the test's own calculation from the published columns,
on extracts of the shipped files (``tests/data/national/make_extracts.py``), for every organisation in them;
where the publisher prints its own figure (a percentage, a mean), the two agree too."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from national.peers import load_peer_values
from national.readers import NationalFile, read_published_file
from national.selectors import benchmark_for, peer_set_for, trust_for
from pmf.formatting import format_delta, format_value

from .conftest import DATA

JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)
STANDARDS = {"28-day FDS": "CWT_FDS", "31-day Combined": "CWT_31D", "62-day Combined": "CWT_62D"}


def lines(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def whole(national: NationalFile) -> dict[tuple[str, str, date], float]:
    """(org, KPI, month) → value, whole organisations only."""
    rows = national.rows[national.rows["split_kind"] == ""]
    return {(r.org_code, r.kpi_code, r.month): r.value for r in rows.itertuples(index=False)}


def assert_same(got: dict, expected: dict) -> None:
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key


def test_a_one_month_official_ae_file_in_the_publishers_own_columns():
    """The monthly CSV as NHS England publishes it: the month only in ``Period`` (MSitAE-JUNE-2025); four
    hours over every type, booked appointments included; 12-hour waits from decision to admit as published."""
    name = "Monthly-AE-June-2025-1-1.csv"
    national = read_published_file(DATA / name)
    four_hours, twelve_hours = {}, {}
    for line in lines(name):
        if line["Org Code"] == "TOTAL":  # England's total, in the file's own month column too
            continue
        assert line["Period"] == "MSitAE-JUNE-2025"
        attendances = sum(int(line[c]) for c in line if c.startswith("A&E attendances "))
        over = sum(int(line[c]) for c in line if c.startswith("Attendances over 4hrs "))
        if attendances:
            four_hours[(line["Org Code"], "AE_4HR_ALL", JUNE)] = 100 * (1 - over / attendances)
            twelve_hours[(line["Org Code"], "AE_12HR_DTA", JUNE)] = float(
                line["Patients who have waited 12+ hrs from DTA to admission"]
            )

    got = whole(national)

    assert national.format == "ae_official" and len(four_hours) > 150
    assert_same(got, four_hours | twelve_hours)
    assert round(got[("RWD", "AE_4HR_ALL", JUNE)], 2) == 64.57  # PROVENANCE.md's check, 20,302 attendances
    assert (
        national.rows.set_index(["org_code", "kpi_code"]).loc[("RWD", "AE_4HR_ALL"), "denominator"] == 20302
    )


def test_rtt_18_weeks_52_weeks_and_the_waiting_list():
    expected = {}
    by_key: dict[tuple[str, date], dict[str, float]] = defaultdict(dict)
    for line in lines("rtt_two_months.csv"):
        if line["specialty"] == "ALL":
            by_key[(line["org_code"], date.fromisoformat(line["period"]))][line["measure"]] = float(
                line["value"]
            )
    for (org, month), measures in by_key.items():
        waiting = measures["rtt_incomplete_pathways"]
        expected[(org, "RTT_18WK", month)] = 100 * measures["rtt_within_18_weeks"] / waiting
        expected[(org, "RTT_52WK", month)] = 100 * measures["rtt_52_plus_weeks"] / waiting
        expected[(org, "RTT_WAITING_LIST", month)] = waiting

    assert_same(whole(read_published_file(DATA / "rtt_two_months.csv")), expected)


def _cancer_by_hand(rows: list[dict[str, str]]) -> dict[tuple[str, str, date], float]:
    sums: dict[tuple[str, str, date], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for line in rows:
        key = (line["org_code"], STANDARDS[line["standard"]], date.fromisoformat(line["period"]))
        sums[key][0] += float(line["within_standard"])
        sums[key][1] += float(line["total_treated"])
    return {key: 100 * within / treated for key, (within, treated) in sums.items()}


def test_cancer_fds_31_and_62_days_from_the_provider_summary():
    summary = [line for line in lines("cancer_summary_2025_07.csv") if line["stage_route"] == "ALL"]
    got = whole(read_published_file(DATA / "cancer_summary_2025_07.csv"))

    assert_same(got, _cancer_by_hand(summary))
    # PROVENANCE.md's examples for RWD, July 2025.
    assert [round(got[("RWD", kpi, JULY)], 1) for kpi in ("CWT_FDS", "CWT_31D", "CWT_62D")] == [
        76.0,
        90.8,
        64.5,
    ]


def test_cancer_from_the_provider_extract_as_published_agrees_with_the_summary():
    """FDS sums all its rows; 31 and 62 days are worked out here from the by-modality rows of all cancers,
    where the reader sums the all-modality rows of each cancer type: two paths, one figure."""
    extract = lines("cancer_extract_RWD_2025_07.csv")
    by_hand = _cancer_by_hand(
        [
            line
            for line in extract
            if line["standard"] == "28-day FDS"
            or (line["cancer_type"] == "ALL CANCERS" and line["treatment_modality"] != "ALL MODALITIES")
        ]
    )
    got = whole(read_published_file(DATA / "cancer_extract_RWD_2025_07.csv"))
    summary = whole(read_published_file(DATA / "cancer_summary_2025_07.csv"))

    assert_same(got, by_hand)
    assert_same(got, {key: v for key, v in summary.items() if key[0] == "RWD"})


def test_cancer_by_tumour_type_is_a_split_of_each_type():
    expected = {}
    for line in lines("cancer_by_type_2025_07.csv"):
        if float(line["total_treated"]):  # a type nobody was treated for that month has no figure
            key = (line["org_code"], STANDARDS[line["standard"]], line["cancer_type"])
            expected[key] = 100 * float(line["within_standard"]) / float(line["total_treated"])
    rows = read_published_file(DATA / "cancer_by_type_2025_07.csv").rows

    assert set(rows["split_kind"]) == {"cancer_type"}
    got = {(r.org_code, r.kpi_code, r.split_code): r.value for r in rows.itertuples(index=False)}
    assert_same(got, expected)


def test_dm01_six_weeks_agrees_with_the_publishers_percentage():
    expected, printed = {}, {}
    for line in lines("dm01_provider_2025_07.csv"):
        key = (line["Provider Code"], "DM01_6WK", JULY)
        expected[key] = 100 * float(line["Number waiting 6+ Weeks"]) / float(line["Total Waiting List"])
        printed[key] = 100 * float(line["Percentage waiting 6+ weeks"])  # published as a fraction
    got = whole(read_published_file(DATA / "dm01_provider_2025_07.csv"))

    assert_same(got, expected)
    assert_same(got, printed)
    assert round(got[("RWD", "DM01_6WK", JULY)], 1) == 25.2  # PROVENANCE.md's example


def test_ambulance_category_1_and_2_means_and_90th_centiles():
    expected, published_mean = {}, {}
    for line in lines("ambsys_three_months.csv"):
        if line["org_code"] == "Eng" or "." in (line["A8"], line["A10"]):
            continue
        month = date.fromisoformat(line["period"])
        for category, (incidents, total, mean, p90) in {
            "C1": ("A8", "A24", "A25", "A26"),
            "C2": ("A10", "A30", "A31", "A32"),
        }.items():
            if float(line[incidents]) > 0:
                key = (line["org_code"], f"AMB_{category}_MEAN", month)
                expected[key] = float(line[total]) / float(line[incidents])
                published_mean[key] = float(line[mean])
                expected[(line["org_code"], f"AMB_{category}_P90", month)] = float(line[p90])
    got = whole(read_published_file(DATA / "ambsys_three_months.csv"))

    assert_same({k: v for k, v in got.items() if k[0] != "Eng"}, expected)
    for key, mean in published_mean.items():  # the publisher rounds its mean to the second
        assert abs(got[key] - mean) <= 0.5, key


def test_every_shipped_extract_is_a_publication_the_import_reads():
    names = sorted(p.name for p in Path(DATA).glob("*.csv"))
    read = {}
    for name in names:
        if name in {"wrong_publication_beds.csv", "ae_official_cut_short.csv"}:
            continue
        read[name] = read_published_file(DATA / name).format
    assert set(read.values()) == {
        "ae_official",
        "ae_history",
        "rtt",
        "cwt_extract",
        "cwt_summary",
        "cwt_by_cancer_type",
        "dm01",
        "dm01_by_test",
        "ambsys",
    }


def test_the_worked_example_of_the_docs_from_the_published_june_file(db):
    """docs/benchmarking.md works RWD's June 2025 A&E standing out by hand; the page's figures are those."""
    load_peer_values(read_published_file(DATA / "Monthly-AE-June-2025-1-1.csv"))
    trust = trust_for("RWD")
    assert trust is not None
    peer_set = peer_set_for(trust, "")
    assert peer_set is not None and peer_set.name == "Acute trusts in England"

    found = benchmark_for(trust, "AE_4HR_ALL", JUNE, peer_set)

    assert found is not None
    s = found.standing
    assert (s.rank, s.n, s.quartile, round(s.score, 2)) == (103, 121, 4, 3.55)
    shown = [
        format_value(s.value, "percent"),
        format_value(s.median, "percent"),
        format_value(s.upper_quartile, "percent"),
        format_value(s.next_quartile_value, "percent"),
        format_delta(s.distance_to_next_quartile, "percent", signed=False),
    ]
    assert shown == ["64.6%", "73.2%", "77.6%", "68.2%", "3.7 pp"]
    docs = " ".join((Path(__file__).parents[2] / "docs" / "benchmarking.md").read_text().split())
    for phrase in (
        "rank 103 of 121",
        "score = 1 + 3 × 102 ÷ 120 = 3.55",
        "peer median 73.2 %, upper quartile 77.6 %",
        "the peer ranked 91st had 68.2 %, so RWD had to rise by 3.7 percentage points",
    ):
        assert phrase in docs
