"""The demonstration trust's lead and lag relationships say what its published data shows
(demo.relationships)."""

import pytest
from django.urls import reverse

from kpis.models import KpiRelationship
from kpis.relationships.selectors import pair_correlation, suggestions, unit_choices
from pmf.models import User

pytestmark = pytest.mark.django_db


def correlations(demo, lead, lag):
    relationship = KpiRelationship.objects.select_related("lead", "lag").get(lead__code=lead, lag__code=lag)
    units = unit_choices()
    return relationship, pair_correlation(relationship.lead, relationship.lag, demo.trust, units)


def test_twelve_hour_waits_are_too_short_a_series_for_any_claim(demo):
    relationship, pair = correlations(demo, "AE-DTA-12H", "AE-4H")
    assert relationship.status == "accepted" and "14 months" in relationship.rationale
    assert pair.correlations[0].pairs == 14
    assert {c.verdict for c in pair.correlations} == {"too_few"} and pair.best is None


def test_bed_occupancy_does_not_bear_out_its_relationship_with_four_hours(demo):
    relationship, pair = correlations(demo, "BED-OCC", "AE-4H")
    same_month = pair.correlations[0]
    assert {c.verdict for c in pair.correlations} == {"no_clear_relation"}
    assert (same_month.pairs, round(same_month.r, 2)) == (40, -0.23)
    assert (round(same_month.low, 2), round(same_month.high, 2)) == (-0.51, 0.08)
    assert "does not bear it out" in relationship.rationale and "r = -0.23" in relationship.rationale


def test_patients_not_meeting_the_criteria_to_reside_move_with_four_hours(demo):
    relationship, pair = correlations(demo, "NCTR", "AE-4H")
    same_month = pair.at_expected_delay
    assert (same_month.pairs, round(same_month.r, 2)) == (35, -0.65)
    assert (round(same_month.low, 2), round(same_month.high, 2)) == (-0.81, -0.40)
    assert [c.verdict for c in pair.correlations[:5]] == ["moves_with"] * 5
    assert "not evidence of cause" in relationship.rationale


def test_the_rejected_suggestion_is_kept_and_not_suggested_again(demo):
    relationship, pair = correlations(demo, "AE-4H", "AE-ATT")
    at_five = pair.at_expected_delay
    assert relationship.status == "rejected"
    assert (at_five.pairs, round(at_five.r, 2)) == (78, -0.86)
    found = suggestions(demo.trust)
    suggested = {frozenset((s.lead.code, s.lag.code)) for s in found.rows}
    recorded = {
        frozenset((r.lead.code, r.lag.code)) for r in KpiRelationship.objects.select_related("lead", "lag")
    }
    assert suggested and not suggested & recorded
    assert frozenset(("AE-ATT", "EM-ADM")) in suggested


def test_the_pages_say_what_the_demo_data_can_and_cannot_support(client, demo, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="cl.surgery"))
    body = client.get(reverse("kpi-relationship", args=["AE-DTA-12H", "AE-4H"])).content.decode()
    assert "The data cannot support a claim." in body and "r = " not in body
    body = client.get(reverse("kpi-relationship", args=["NCTR", "AE-4H"])).content.decode()
    assert "moves with Patients not meeting the criteria to reside" in body
    with django_assert_max_num_queries(9):
        client.get(reverse("kpi-relationship", args=["NCTR", "AE-4H"]) + "?unit=RWD-MED")
    page = client.get(reverse("kpi-chart", args=["AE-4H", "RWD"])).content.decode()
    assert "Lag indicator" in page and "Leads this KPI, in the same month" in page
    assert "Rejected" not in page.split("Lead and lag indicators")[1].split("</section>")[0]
