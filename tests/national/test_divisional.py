"""A division's national figures for its PRM pack: its splits summed as the import sums them, beside the
trust's whole figure and, where comparable, its peers' figures for the same splits; printed in the pack."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from divisions.models import TrustProfile
from kpis.printing import html_to_pdf
from national.divisional import division_splits
from national.peers import load_peer_values

from .peer_helpers import national_file

JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)


def split(org: str, kpi: str, month: date, code: str, numerator: float, denominator: float) -> dict:
    return {
        "org_code": org,
        "org_name": f"{org} Trust",
        "kpi_code": kpi,
        "month": month,
        "split_kind": "treatment_function",
        "split_code": code,
        "split_name": {"C_110": "Trauma and Orthopaedic Surgery", "C_100": "General Surgery"}.get(code, code),
        "numerator": numerator,
        "denominator": denominator,
        "value": 100 * numerator / denominator,
    }


def whole(org: str, kpi: str, month: date, value: float) -> dict:
    return {"org_code": org, "org_name": f"{org} Trust", "kpi_code": kpi, "month": month, "value": value}


@pytest.fixture
def surgery(national_world):
    TrustProfile.objects.create(trust=national_world.trust, ods_code="RWD", region_code="Y60")
    rows = [
        # The trust: Surgery is C_110 and C_100; C_300 is Medicine's.
        split("RWD", "RTT_18WK", JULY, "C_110", 300, 1000),
        split("RWD", "RTT_18WK", JULY, "C_100", 700, 1000),
        split("RWD", "RTT_18WK", JULY, "C_300", 900, 1000),
        whole("RWD", "RTT_18WK", JULY, 63.3),
        split("RWD", "RTT_18WK", JUNE, "C_110", 100, 1000),
        # Peers with both of Surgery's treatment functions: RTG 60%, RK5 40%; RX1 lacks C_100.
        split("RTG", "RTT_18WK", JULY, "C_110", 500, 1000),
        split("RTG", "RTT_18WK", JULY, "C_100", 700, 1000),
        split("RK5", "RTT_18WK", JULY, "C_110", 200, 500),
        split("RK5", "RTT_18WK", JULY, "C_100", 200, 500),
        split("RX1", "RTT_18WK", JULY, "C_110", 990, 1000),
        # Only the trust publishes the 52-week splits: nothing to compare with.
        split("RWD", "RTT_52WK", JUNE, "C_110", 20, 1000),
    ]
    load_peer_values(national_file("rtt", rows, name="rtt_july.csv"))
    return national_world.surgery


def test_the_division_sums_its_splits_and_is_ranked_among_peers_with_the_same_splits(surgery):
    page = division_splits(surgery, JULY)
    assert page.peer_group == "Acute trusts in England" and page.note == ""
    figures = {f.kpi.code: f for f in page.figures}
    rtt = figures["RTT_18WK"]
    assert rtt.month == JULY  # the latest month, not June's single split
    assert rtt.division_value == pytest.approx(50.0)  # (300 + 700) ÷ 2,000
    assert rtt.trust_value == 63.3
    assert rtt.splits == ("General Surgery", "Trauma and Orthopaedic Surgery")
    assert rtt.peers is not None
    assert (rtt.peers.rank, rtt.peers.n, rtt.peers.median) == (2, 3, 50.0)  # RTG 60, RWD 50, RK5 40
    assert rtt.sources[0].source_file == "rtt_july.csv"
    lonely = figures["RTT_52WK"]
    assert lonely.month == JUNE and lonely.division_value == pytest.approx(2.0)
    assert lonely.peers is None and "No other organisation in Acute trusts in England" in lonely.not_compared


def test_a_division_with_nothing_mapped_is_told_so(national_world):
    TrustProfile.objects.create(trust=national_world.trust, ods_code="RWD")
    national_world.medicine.specialty_splits.all().delete()
    assert "No treatment function, tumour type or diagnostic test is mapped to Medicine" in (
        division_splits(national_world.medicine, JULY).note
    )


def test_the_number_of_queries_does_not_grow_with_peers_or_splits(surgery, django_assert_num_queries):
    with django_assert_num_queries(5):
        division_splits(surgery, JULY)
    rows = [
        split(f"R{n:02d}", "RTT_18WK", JULY, code, 10, 20) for n in range(30) for code in ("C_110", "C_100")
    ]
    load_peer_values(national_file("rtt", rows, name="more.csv"))
    with django_assert_num_queries(5):
        division_splits(surgery, JULY)


def test_the_pack_page_prints_the_division_beside_the_trust_and_its_peers(surgery):
    context = {
        "national": division_splits(surgery, JULY).to_json(),
        "division": {"name": "Surgery"},
        "trust_words": {"division": "Division"},
    }
    html = render_to_string("reviews/_pack_national.html", context)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(html_to_pdf(html))).pages)
    assert "National figures by specialty" in text
    assert "50.0%" in text and "63.3%" in text and "2 of 3" in text
    assert "rtt publication (rtt_july.csv" in text
