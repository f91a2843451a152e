"""The IPR's benchmarking section and national data notes: the trust among its default peer group in the
report's month (league position, segment, each scored KPI's rank, quartile, score and peer median, sources
and peer group named), said in words when there are no peer figures, frozen in the snapshot, and printed in
the board pack."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from divisions.models import TrustProfile
from reviews.ipr.content import IprContent
from reviews.ipr.national import ipr_benchmarking
from reviews.ipr.selectors import ipr_content
from reviews.services.ipr import save_ipr_draft
from reviews.services.ipr_pack import board_pack_pdf
from tests.national.peer_helpers import load_values
from tests.pmf.test_no_raw_floats import raw_numbers
from tests.world import LATEST

JUNE = date(2025, 6, 1)
# July 2025 among five acute trusts (RWD stands for the world's trust): A&E higher is better, DM01 lower.
FOUR_HOUR = {LATEST: {"RWD": 70.0, "RTG": 80.0, "RK5": 80.0, "RX1": 60.0, "RR8": 90.0}}
DM01 = {LATEST: {"RWD": 25.123456, "RTG": 5.0, "RK5": 10.0, "RX1": 40.0, "RR8": 30.0}}
WAITING_LIST = {LATEST: {"RWD": 50_000.0, "RTG": 40_000.0}}  # a count: ranked elsewhere, never scored


@pytest.fixture
def profiled(world):
    TrustProfile.objects.create(
        trust=world.trust, ods_code="RWD", region_code="Y60", region_name="Midlands", icb_code="QJM"
    )
    return world


@pytest.fixture
def benchmarked(profiled):
    load_values("AE_4HR_ALL", FOUR_HOUR)
    load_values("DM01_6WK", DM01)
    load_values("RTT_WAITING_LIST", WAITING_LIST)
    return profiled


def test_the_section_gives_league_position_segment_and_each_scored_kpi(benchmarked):
    section = ipr_benchmarking(LATEST)
    # A&E: RWD 4th of 5 (score 3.25); DM01 25.1% is 3rd of 5 lower-is-better (score 2.50); average 2.875.
    # Averages: RR8 (1, 3.25) 2.125, RTG (2.5→1.75, 1) 1.375, RK5 (1.75, 1.75) 1.75, RX1 (4, 4) 4: RWD 4th.
    assert section.peer_group == "Acute trusts in England"
    assert (section.league_position, section.league_of, section.segment) == (4, 5, 3)
    assert section.average_score == pytest.approx((3.25 + 2.5) / 2)
    rows = {r.code: r for r in section.rows}
    assert set(rows) == {"AE_4HR_ALL", "DM01_6WK"}  # the waiting list is not scored
    four_hour = rows["AE_4HR_ALL"]
    assert (four_hour.value, four_hour.rank, four_hour.n, four_hour.quartile) == (70.0, 4, 5, 3)
    assert four_hour.score == pytest.approx(3.25) and four_hour.median == 80.0
    assert four_hour.sources[0].source_file == "ae_4hr_all.csv"
    assert section.note == ""


def test_a_month_without_peer_figures_says_so_and_names_the_latest_that_has(benchmarked):
    section = ipr_benchmarking(date(2025, 9, 1))
    assert section.rows == () and section.league_position is None
    assert (
        section.note
        == "No national peer figures for Sep 2025 are loaded; the latest month with them is Jul 2025."
    )
    assert ipr_benchmarking(JUNE).note == "No national peer figures for Jun 2025 are loaded."


def test_a_trust_without_a_national_profile_is_told_why(world):
    assert "no national profile" in ipr_benchmarking(LATEST).note


def test_the_section_is_kept_in_the_snapshot_as_shown(benchmarked):
    content = ipr_content(LATEST)
    assert content.benchmarking == ipr_benchmarking(LATEST)
    assert IprContent.from_json(content.to_json()) == content
    older = content.to_json()
    del older["benchmarking"]
    assert IprContent.from_json(older).benchmarking is None  # a snapshot from before the section


def test_the_ipr_page_shows_the_section_with_sources_and_peer_group(benchmarked, client):
    client.force_login(benchmarked.users["perf"])
    markup = client.get(reverse("ipr", kwargs={"month": LATEST})).content.decode()
    assert "Benchmarking: the trust among its peers" in markup
    assert "League position 4 of 5" in markup and "Segment 3" in markup
    assert "4 of 5" in markup and "25.1%" in markup and "2.88" in markup
    assert "made_up publication (ae_4hr_all.csv, publication date not given in the file)" in markup
    assert "Peer group: Acute trusts in England" in markup
    assert raw_numbers(markup) == []


def test_the_ipr_page_says_when_there_are_no_peer_figures(profiled, client):
    client.force_login(profiled.users["perf"])
    markup = client.get(reverse("ipr", kwargs={"month": LATEST})).content.decode()
    assert "No national peer figures for Jul 2025 are loaded." in markup


@pytest.mark.browser
def test_the_board_pack_prints_the_section(benchmarked):
    report = save_ipr_draft(
        actor=benchmarked.users["perf"],
        month=LATEST,
        executive_summary="",
        lead_director="",
        recommendation="",
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(board_pack_pdf(report))).pages)
    assert "Benchmarking: the trust among its peers" in text
    assert "League position 4 of 5" in text and "25.1%" in text
