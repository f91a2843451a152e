"""The performance team keeps stored peer groups on a page: a hand-picked list or a type, region or ICB by its
code, checked before anything is written, audited, and offered by the benchmarking page and command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import TrustProfile
from national.models import PeerGroup
from national.selectors import peer_sets_for, trust_for
from pmf.models import AuditEvent

from .peer_helpers import load_values
from .test_benchmark import JULY

URL = reverse("peer-groups")


@pytest.fixture
def perf(national_world, client):
    TrustProfile.objects.create(trust=national_world.trust, ods_code="RWD", region_code="Y60", icb_code="QJM")
    client.force_login(national_world.perf)
    return national_world.perf


def test_a_hand_picked_group_added_on_the_page_is_offered_and_ranked_among(perf, client):
    response = client.post(
        URL, {"name": "Lincolnshire neighbours", "kind": "hand_picked", "members": "rtg, RX1\nRTG"}
    )

    assert response.status_code == 302 and response["Location"] == URL
    group = PeerGroup.objects.get()
    assert (group.members, group.criterion) == (["RTG", "RX1"], "")
    assert AuditEvent.objects.filter(verb="created", object_id=str(group.pk)).exists()
    trust = trust_for("RWD")
    assert trust is not None
    offered = {s.name: s.members for s in peer_sets_for(trust)}
    assert offered["Lincolnshire neighbours"] == {"RWD", "RTG", "RX1"}
    load_values("AE_4HR_ALL", {JULY: {"RWD": 70.0, "RTG": 80.0, "RX1": 60.0, "RK5": 99.0}})
    out = io.StringIO()
    call_command(
        "benchmark", "--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-07",
        "--peer-group", "Lincolnshire neighbours", stdout=out,
    )  # fmt: skip
    assert "rank 2 of 3 in Lincolnshire neighbours" in out.getvalue()
    assert "Lincolnshire neighbours (3 organisations)" in client.get(reverse("benchmarking")).text


def test_a_region_by_its_code_is_a_group_too(perf, client):
    client.post(URL, {"name": "North East and Yorkshire", "kind": "region", "criterion": "y63"})

    group = PeerGroup.objects.get()
    assert (group.kind, group.criterion, group.members) == ("region", "Y63", [])


@pytest.mark.parametrize(
    ("posted", "problem"),
    [
        ({"name": "Mixed", "kind": "hand_picked", "members": "RTG, ZZZ9, RX1, QQQ"}, "ZZZ9, QQQ"),
        ({"name": "Empty", "kind": "hand_picked", "members": " "}, "List the ODS codes"),
        ({"name": "Nowhere", "kind": "icb", "criterion": "Q99"}, "Q99 is no integrated care board"),
    ],
)
def test_a_group_that_cannot_be_stored_says_why_and_nothing_is_written(perf, client, posted, problem):
    before = AuditEvent.objects.count()

    response = client.post(URL, posted)

    assert response.status_code == 200 and problem in response.text
    assert not PeerGroup.objects.exists() and AuditEvent.objects.count() == before


def test_a_name_taken_is_refused_and_a_group_is_removed_audited(perf, client):
    client.post(URL, {"name": "Two", "kind": "hand_picked", "members": "RTG RX1"})
    again = client.post(URL, {"name": "Two", "kind": "hand_picked", "members": "RK5"})
    assert "There is a peer group called Two already" in again.text
    group = PeerGroup.objects.get()

    client.post(URL, {"remove": group.pk})

    assert not PeerGroup.objects.exists()
    assert AuditEvent.objects.filter(verb="removed", object_id=str(group.pk)).exists()


def test_the_page_lists_the_groups_in_a_fixed_number_of_queries(perf, client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    PeerGroup.objects.create(name="One", kind="hand_picked", members=["RTG"])
    few = queries()
    for n in range(5):
        PeerGroup.objects.create(name=f"More {n}", kind="icb", criterion="QJM")
    assert queries() == few
