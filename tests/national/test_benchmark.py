"""A trust among its peer groups: the selectors and the ``benchmark`` command's contract, on made-up values
for real ODS codes (acute trusts in the Midlands and one in Yorkshire, an ambulance trust, a provider that is
no NHS trust)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from national.models import PeerGroup
from national.selectors import benchmarking_for, peer_set_for, peer_sets_for, trust_for

from .peer_helpers import load_values

JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)
# July's four-hour values: the acute trusts in England are the five-organisation table of test_ranking.py.
FOUR_HOUR = {
    JUNE: {"RWD": 65.0, "RTG": 70.0, "RK5": 75.0, "RX1": 55.0, "RR8": 85.0},
    JULY: {"RWD": 70.0, "RTG": 80.0, "RK5": 80.0, "RX1": 60.0, "RR8": 90.0, "RX8": 99.0, "NLO12": 100.0},
}
DM01 = {JULY: {"RWD": 25.0, "RTG": 5.0, "RK5": 10.0, "RX1": 40.0, "RR8": 30.0}}


@pytest.fixture
def peers(db):
    load_values("AE_4HR_ALL", FOUR_HOUR)
    load_values("DM01_6WK", DM01)
    return trust_for("RWD")


def benchmark_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("benchmark", "--skip-checks", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_benchmark_json_is_the_contract_among_acute_trusts_in_england(peers):
    result = benchmark_json("--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-07")
    assert list(result) == [
        *("kpi", "month", "org_code", "value", "rank", "n", "quartile", "score", "peer_group", "peers")
    ]
    assert {k: v for k, v in result.items() if k != "peers"} == {
        "kpi": "AE_4HR_ALL",
        "month": "2025-07",
        "org_code": "RWD",
        "value": 70.0,
        "rank": 4.0,
        "n": 5,
        "quartile": 3,
        "score": 3.25,
        "peer_group": "Acute trusts in England",
    }
    # Best first, the trust among them; the ambulance trust and the provider that is no trust are not peers.
    assert result["peers"] == [
        {"org_code": "RR8", "value": 90.0},
        {"org_code": "RK5", "value": 80.0},
        {"org_code": "RTG", "value": 80.0},
        {"org_code": "RWD", "value": 70.0},
        {"org_code": "RX1", "value": 60.0},
    ]


def test_benchmark_in_the_region_and_in_a_hand_picked_group(peers):
    region = benchmark_json(
        "--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-07", "--peer-group", "region"
    )
    assert (region["rank"], region["n"], region["quartile"], region["score"]) == (3.0, 4, 3, 3.0)
    assert region["peer_group"] == "Midlands region, every type"
    PeerGroup.objects.create(name="Lincolnshire neighbours", kind="hand_picked", members=["RTG", "RX1"])
    picked = benchmark_json(
        "--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-07", "--peer-group", "Lincolnshire neighbours"
    )
    assert (picked["rank"], picked["n"], picked["quartile"], picked["score"]) == (2.0, 3, 2, 2.5)
    assert [p["org_code"] for p in picked["peers"]] == ["RTG", "RWD", "RX1"]


def test_benchmark_lower_is_better_and_in_words(peers):
    result = benchmark_json("--ods", "RWD", "--kpi", "DM01_6WK", "--month", "2025-07")
    assert (result["rank"], result["quartile"], result["score"]) == (3.0, 2, 2.5)
    out = io.StringIO()
    call_command(
        "benchmark", "--skip-checks", "--ods", "RWD", "--kpi", "DM01_6WK", "--month", "2025-07", stdout=out
    )
    assert "25.0%, rank 3 of 5 in Acute trusts in England, quartile 2, score 2.50" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ods", "ZZZ9", "--kpi", "AE_4HR_ALL", "--month", "2025-07"], "not a trust in the ODS reference"),
        (["--ods", "RWD", "--kpi", "NOPE", "--month", "2025-07"], "NOPE is not a national KPI"),
        (["--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "July"], "write it as YYYY-MM"),
        (
            ["--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-05"],
            "no published AE_4HR_ALL value for May 2025",
        ),
        (
            ["--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-07", "--peer-group", "mars"],
            "No peer group",
        ),
    ],
)
def test_benchmark_says_what_is_wrong(peers, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("benchmark", "--skip-checks", *args, stdout=io.StringIO())


def test_peer_sets_are_type_region_icb_then_stored_groups(peers):
    PeerGroup.objects.create(name="Big teaching trusts", kind="hand_picked", members=["RR8", "rx1 "])
    sets = peer_sets_for(peers)
    assert [s.key for s in sets][:3] == ["type", "region", "icb"]
    assert [s.name for s in sets] == [
        "Acute trusts in England",
        "Midlands region, every type",
        "Lincolnshire ICB, every type",
        "Big teaching trusts",
    ]
    assert sets[2].members == {"RWD", "RP7", "RY5"}  # the ICB's trusts of every type
    assert sets[3].members == {"RR8", "RX1", "RWD"}
    assert "RX8" not in sets[0].members and "RJE" in sets[0].members
    assert peer_set_for(peers, "") == sets[0]


def test_benchmarking_gives_each_kpi_its_series_and_the_overall_standing(peers):
    page = benchmarking_for(peers, JULY, peer_set_for(peers, "type"))
    assert [b.kpi.code for b in page.benchmarks] == ["AE_4HR_ALL", "DM01_6WK"]
    june, july = page.series["AE_4HR_ALL"]
    # June [55, 65, 70, 75, 85]: median 70, upper quartile 75, lower 65.
    assert (june.month, june.value, june.median, june.upper_quartile, june.lower_quartile) == (
        JUNE,
        65.0,
        70.0,
        75.0,
        65.0,
    )
    assert (july.rank, july.n) == (4.0, 5)
    # Scores: four-hour RR8 1, RTG and RK5 1.75, RWD 3.25, RX1 4; DM01 RTG 1, RK5 1.75, RWD 2.5, RR8 3.25,
    # RX1 4. Averages: RTG 1.375, RK5 1.75, RR8 2.125, RWD 2.875, RX1 4.
    overall = page.overall
    assert overall is not None
    assert (overall.average_score, overall.league_position, overall.segment, overall.n) == (2.875, 4, 3, 5)
    assert overall.kpis_scored == ("AE_4HR_ALL", "DM01_6WK")
    assert page.benchmarks[0].sources[0].source_file == "ae_4hr_all.csv"
    assert page.benchmarks[0].names["RR8"] == "RR8 Trust"
