"""Lead and lag pages: the KPI page's related indicators, a pair's lagged correlation, the suggestion list,
and recording a relationship (kpis.views.relationships, kpis.relationships.selectors and .services)."""

from datetime import date

import numpy as np
import pytest
from django.urls import reverse

from kpis.models import Kpi, KpiRelationship, Measurement
from kpis.relationships.selectors import suggestions
from kpis.relationships.services import record_relationship
from pmf.models import AuditEvent, User
from pmf.periods import add_months
from tests.factories import KpiFactory

# Three KPIs of the world's trust with a history of their own: OCC leads WAIT by two months, closely, over
# thirty months; SHORT has only twelve months, too few for any claim.
FIRST = date(2022, 8, 1)
MONTHS = 30


@pytest.fixture(scope="module")
def module_history(module_world, django_db_blocker):
    """The small world with three more KPIs: thirty months of published trust values for two and twelve for
    the third, written straight to the table (rolled back with the world at the module's end)."""
    rng = np.random.default_rng(19)
    occupancy = rng.normal(2000, 150, MONTHS)
    waits = 4 + (occupancy - 2000) / 100 + rng.normal(0, 0.2, MONTHS)
    with django_db_blocker.unblock():
        kpis = {
            code: KpiFactory(code=code, name=name, unit=unit)
            for code, name, unit in [
                ("OCC", "Bed occupancy", "percent"),
                ("WAIT", "Four-hour waits", "percent"),
                ("SHORT", "A short series", "count"),
            ]
        }
        rows = [(kpis["OCC"], add_months(FIRST, i), float(occupancy[i])) for i in range(MONTHS)]
        rows += [(kpis["WAIT"], add_months(FIRST, i + 2), float(waits[i])) for i in range(MONTHS - 2)]
        rows += [(kpis["SHORT"], add_months(FIRST, i), 90.0 + i % 3) for i in range(12)]
        Measurement.objects.bulk_create(
            Measurement(kpi=kpi, org_unit=module_world.trust, month=month, value=value, status="published")
            for kpi, month, value in rows
        )
    return module_world


@pytest.fixture
def world(module_history, db):
    return module_history


def sign_in(client, username):
    client.force_login(User.objects.get(username=username))


def pair_url(lead, lag, unit=None):
    url = reverse("kpi-relationship", args=[lead, lag])
    return f"{url}?unit={unit}" if unit else url


def test_the_pair_page_shows_r_by_lag_with_pairs_and_interval_and_no_cause(client, world):
    sign_in(client, "board")
    body = client.get(pair_url("OCC", "WAIT")).content.decode()
    assert "moves with Bed occupancy</strong> most closely at a lag of 2 months" in body
    assert "95% confidence interval" in body and "paired months" in body
    assert "not evidence of cause" in body
    assert "causes" not in body and "drives" not in body
    assert '<svg class="correlation-chart"' in body


def test_under_24_paired_months_the_page_refuses_a_claim(client, world):
    sign_in(client, "board")
    body = client.get(pair_url("SHORT", "WAIT")).content.decode()
    assert "The data cannot support a claim." in body
    assert "r = " not in body
    assert body.count("the data cannot support a claim") == 7  # one row per lag, 0 to 6


def test_a_division_can_be_chosen_and_an_unknown_unit_is_not_found(client, world):
    sign_in(client, "cl.surgery")
    body = client.get(pair_url("OCC", "WAIT", "WLD-SUR")).content.decode()
    assert '<option value="WLD-SUR" selected>' in body and "The data cannot support a claim." in body
    assert client.get(pair_url("OCC", "WAIT", "WLD-SUR-GEN")).status_code == 404
    assert client.get(pair_url("OCC", "NOPE")).status_code == 404


def test_the_pair_page_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    sign_in(client, "board")
    # session, user, roles, words; two KPIs, the units, the relationship, the values.
    with django_assert_max_num_queries(9):
        client.get(pair_url("OCC", "WAIT"))


def test_the_kpi_page_shows_lead_or_lag_and_the_related_indicators_standing(
    client, world, django_assert_max_num_queries
):
    perf = User.objects.get(username="perf")
    occ, wait = Kpi.objects.get(code="OCC"), Kpi.objects.get(code="WAIT")
    record_relationship(actor=perf, lead=occ, lag=wait, delay_months=2, rationale="Busy months tire staff.")
    sign_in(client, "board")
    url = reverse("kpi-chart", args=["WAIT", "WLD"])
    body = client.get(url).content.decode()
    assert "Lag indicator" in body and "Lead and lag indicators" in body
    assert "Leads this KPI by about 2 months" in body
    assert reverse("kpi-relationship", args=["OCC", "WAIT"]) in body
    without = _queries(client, url)
    KpiRelationship.objects.all().delete()
    # The related standings are the relationships' query and the standings' four, however many there are.
    assert without - _queries(client, url) == 4


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_the_suggestion_list_offers_the_strong_pair_as_a_suggestion_not_a_cause(client, world):
    sign_in(client, "perf")
    body = client.get(reverse("relationship-suggestions")).content.decode()
    assert "suggestions, not findings" in body and "not evidence of cause" in body
    assert reverse("kpi-relationship", args=["OCC", "WAIT"]) in body
    assert "SHORT" not in body.split("Found in the data")[1]


def test_the_suggestion_list_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    sign_in(client, "perf")
    with django_assert_max_num_queries(8):  # session, user, roles, words; trust, KPIs, relationships, values
        client.get(reverse("relationship-suggestions"))


def test_accepting_a_suggestion_records_it_audited_and_takes_it_off_the_list(client, world):
    sign_in(client, "perf")
    response = client.post(
        reverse("relationship-record"),
        {
            "lead": "OCC",
            "lag": "WAIT",
            "delay_months": 2,
            "status": "accepted",
            "rationale": "From the data.",
        },
    )
    assert response.status_code == 302
    saved = KpiRelationship.objects.get(lead__code="OCC", lag__code="WAIT")
    assert saved.status == "accepted" and saved.decided_by.username == "perf" and saved.decided_at
    event = AuditEvent.objects.filter(object_type="kpis.KpiRelationship").latest("pk")
    assert event.verb == "accepted relationship" and event.actor == "perf"
    assert suggestions(world.trust).rows == []


def test_a_rejected_pair_is_kept_and_not_suggested_again_either_way_round(world):
    perf = User.objects.get(username="perf")
    occ, wait = Kpi.objects.get(code="OCC"), Kpi.objects.get(code="WAIT")
    assert [(s.lead.code, s.lag.code) for s in suggestions(world.trust).rows] == [("OCC", "WAIT")]
    record_relationship(actor=perf, lead=wait, lag=occ, delay_months=0, status="rejected")
    assert suggestions(world.trust).rows == []
    record_relationship(actor=perf, lead=wait, lag=occ, delay_months=1, status="suggested")
    found = suggestions(world.trust)
    assert [(s.lead.code, s.lag.code) for s in found.undecided] == [("WAIT", "OCC")]


def test_a_kpi_cannot_lead_itself_nor_wait_over_a_year(world):
    from django.core.exceptions import ValidationError

    perf, occ = User.objects.get(username="perf"), Kpi.objects.get(code="OCC")
    with pytest.raises(ValidationError):
        record_relationship(actor=perf, lead=occ, lag=occ, delay_months=0)
    with pytest.raises(ValidationError):
        record_relationship(actor=perf, lead=occ, lag=Kpi.objects.get(code="WAIT"), delay_months=13)


def test_only_the_performance_team_records_relationships(client, world):
    sign_in(client, "exec")
    post = {"lead": "OCC", "lag": "WAIT", "delay_months": 2, "status": "accepted"}
    assert client.post(reverse("relationship-record"), post).status_code == 403
    assert client.get(reverse("relationship-suggestions")).status_code == 403
    body = client.get(reverse("kpi-relationships")).content.decode()
    assert "Record a relationship" not in body and "Suggestions from the data" not in body
    assert not KpiRelationship.objects.exists()
