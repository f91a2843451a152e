"""The benchmarking page: league position and segment, each KPI ranked with the trust highlighted, the trust
against the peer median and quartiles over time, sources and peer group named, a fixed number of queries."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from divisions.models import Level, Role, TrustProfile
from divisions.services.org import save_org_unit
from divisions.services.roles import assign_role
from national.models import PeerGroup
from pmf.models import User
from pmf.periods import add_months
from tests.pmf.test_no_raw_floats import raw_numbers

from .peer_helpers import load_values

JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)
FOUR_HOUR = {
    JUNE: {"RWD": 65.0, "RTG": 70.0, "RK5": 75.0, "RX1": 55.0, "RR8": 85.0},
    JULY: {"RWD": 70.0, "RTG": 80.0, "RK5": 80.0, "RX1": 60.0, "RR8": 90.0, "RX8": 99.0},
}
DM01 = {JULY: {"RWD": 25.123456, "RTG": 5.0, "RK5": 10.0, "RX1": 40.0, "RR8": 30.0}}


@pytest.fixture
def board_member(db) -> User:
    trust = save_org_unit(
        actor=None, code="RWD", name="United Lincolnshire", level=Level.TRUST, parent=None, active_from=JUNE
    )
    TrustProfile.objects.create(
        trust=trust,
        ods_code="RWD",
        region_code="Y60",
        region_name="Midlands",
        icb_code="QJM",
        icb_name="Lincolnshire",
    )
    user = User.objects.create(username="board")
    assign_role(actor=None, user=user, role=Role.BOARD_MEMBER, org_unit=None, start=JUNE)
    return user


def page(client: Client, user: User, **params: str) -> str:
    client.force_login(user)
    response = client.get(reverse("benchmarking"), params)
    assert response.status_code == 200
    return response.content.decode()


def figures(markup: str) -> dict[str, dict]:
    """The charts on the page by their id, as the browser script reads them."""
    found = re.findall(r'<div id="([\w-]+)" class="spc-chart"[^>]*data-figure="([^"]*)"', markup)
    return {div: json.loads(html.unescape(data)) for div, data in found}


def test_the_page_shows_league_position_segment_each_kpi_and_its_sources(client, board_member):
    load_values("AE_4HR_ALL", FOUR_HOUR)
    load_values("DM01_6WK", DM01)
    markup = page(client, board_member)
    assert "Overall, Jul 2025: Acute trusts in England" in markup
    # Averages over the two scored KPIs as in test_benchmark.py: the trust is 4th of 5, segment 3.
    assert "League position 4 of 5" in markup and "Segment 3" in markup
    assert "70.0%" in markup and "4 of 5" in markup
    assert "25.1%" in markup and raw_numbers(markup) == []
    # The four-hour peer to pass is RTG or RK5 at 80.0%; DM01's is RK5 at 10.0%. A gap between two
    # percentages is in percentage points.
    assert "Up 10.0 pp, to pass 80.0%" in markup and "Down 15.1 pp, to pass 10.0%" in markup
    assert "<td>made_up publication (publication date not given in the file)</td>" in markup
    assert "made_up publication (ae_4hr_all.csv, publication date not given in the file)" in markup
    charts = figures(markup)
    ranked = charts["ranked-0"]["data"][0]
    assert ranked["x"] == ["RR8", "RK5", "RTG", "RWD", "RX1"]  # best first; RX8 is an ambulance trust
    assert ranked["marker"]["color"][3] == "#005EB8" and set(ranked["marker"]["color"][:3]) == {"#AEB7BD"}
    assert charts["ranked-0"]["layout"]["annotations"][0]["text"] == "This trust: 70.0%"
    series = charts["series-0"]["data"]
    assert [t.get("name") for t in series][1:] == [
        "Middle half of peers (quartiles)",
        "Peer median",
        "This trust",
    ]
    assert series[2]["y"] == [70.0, 80.0] and series[3]["y"] == [65.0, 70.0]


def test_the_peer_group_and_month_pickers(client, board_member):
    load_values("AE_4HR_ALL", FOUR_HOUR)
    PeerGroup.objects.create(name="Two neighbours", kind="hand_picked", members=["RTG", "RX1"])
    group = PeerGroup.objects.get()
    markup = page(client, board_member, group=f"group-{group.pk}", month="2025-06")
    assert "Overall, Jun 2025: Two neighbours" in markup
    assert "65.0%" in markup and "2 of 3" in markup
    assert f'<option value="group-{group.pk}" selected>Two neighbours (3 organisations)</option>' in markup
    # A month the trust has no values for falls back to the latest it has.
    assert "Overall, Jul 2025" in page(client, board_member, month="2019-01")


def test_the_page_says_what_to_do_when_nothing_is_loaded(client, board_member):
    assert "No national figures have been loaded for RWD" in page(client, board_member)


def test_the_page_keeps_its_query_count_as_peers_and_months_grow(
    client, board_member, django_assert_max_num_queries
):
    def grow(months: int, trusts: list[str]) -> None:
        for kpi in ("AE_4HR_ALL", "DM01_6WK", "RTT_18WK"):
            values = {
                add_months(JULY, -m): {code: 50.0 + i + m for i, code in enumerate(trusts)}
                for m in range(months)
            }
            load_values(kpi, values)

    grow(2, ["RWD", "RTG", "RK5"])
    client.force_login(board_member)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("benchmarking"))
    grow(12, ["RWD", "RTG", "RK5", "RX1", "RR8", "RJE", "RNS"])
    PeerGroup.objects.create(name="Two neighbours", kind="hand_picked", members=["RTG", "RX1"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("benchmarking"))
    assert "League position" in response.content.decode()
