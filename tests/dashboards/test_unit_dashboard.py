"""The dashboard of a service and of a team (issue 19, item 3): the same scorecard as a division's, read for
the unit, with breadcrumbs up the organisation and links down; and the service and ward managers who read it,
write for their own unit and only read above it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import Level, OrgUnit
from divisions.services.roles import assign_role, check_assignment
from divisions.words import trust_words
from kpis.models import Commentary, Measurement
from pmf.models import User
from pmf.permissions import access_for, can_read_meetings
from pmf.roles import Role
from pmf.words import TrustWords
from reviews.ipr.store import forget_ipr_content
from reviews.services.actions import create_action
from tests.factories import KpiFactory
from tests.world import LATEST, MONTHS

pytestmark = pytest.mark.django_db

SERVICE, WARD = "WLD-MED-CAR", "WLD-MED-CAR-W1"


def page(code: str) -> str:
    return reverse("division-dashboard", args=[code])


def commentary(code: str, kpi: str = "AE-4H") -> str:
    return reverse("division-commentary", args=[code, kpi, f"{LATEST:%Y-%m}"])


def login(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def medicine_action(world, title: str, *kpis: str) -> None:
    """An open action in Medicine's log, on ``kpis``, recorded by the performance team."""
    create_action(
        actor=world.users["perf"],
        division=world.medicine,
        title=title,
        owner="Matron",
        due_date=date(2025, 9, 30),
        kpis=[world.kpis[code] for code in kpis],
    )


def test_a_ward_dashboard_shows_its_submitted_values_with_breadcrumbs_and_its_divisions_actions(
    world, client
):
    medicine_action(world, "Recover four-hour performance", "AE-4H")
    medicine_action(world, "Unrelated finance action")
    login(client, "wm.cardiac")
    body = client.get(page(WARD)).content.decode()

    assert "<h1>Cardiac Ward dashboard</h1>" in body and "Ward in Cardiology" in body
    crumbs = body[body.index('class="breadcrumb"') :].split("</nav>")[0]
    assert page("WLD-MED") in crumbs and page(SERVICE) in crumbs and reverse("overview") in crumbs
    # The ward's own figure as it submitted it: 1,045 of 1,300 in July (tests.world.figures).
    row = body[body.index('id="kpi-AE-4H"') :].split("</tr>")[0]
    assert "80.4%" in row and "95.0%" in row and "Not met" in row
    assert 'class="sparkline"' in row and "kitemark" in row and "<svg" in row
    assert reverse("kpi-chart", args=["AE-4H", WARD]) in row
    assert commentary(WARD) in row  # its manager writes the ward's commentary
    for domain in ("Workforce", "Operational"):
        assert f"<caption>{domain}</caption>" in body
    # Not rated: the division's position is a link away; no escalation cases section.
    assert page("WLD-MED") in body[body.index('id="position-heading"') :]
    assert 'id="cases-heading"' not in body
    # Medicine's open actions on the KPIs the ward reports, not its others.
    actions = body[body.index('id="actions-heading"') :]
    assert "Recover four-hour performance" in actions and "Unrelated finance action" not in actions


def test_a_service_dashboard_reads_the_roll_up_and_links_down_to_its_wards(world, client):
    login(client, "sm.cardiology")
    body = client.get(page(SERVICE)).content.decode()
    assert "<h1>Cardiology dashboard</h1>" in body and "Specialty in Medicine" in body
    assert page(WARD) in body and "Wards: " in body
    rolled_up = Measurement.objects.get(
        kpi__code="AE-4H", org_unit__code=SERVICE, month=LATEST, status="published"
    )
    assert rolled_up.is_rollup
    row = body[body.index('id="kpi-AE-4H"') :].split("</tr>")[0]
    assert "80.4%" in row and commentary(SERVICE) in row
    # A division's dashboard links down to its services too.
    body = client.get(page("WLD-MED")).content.decode()
    assert page(SERVICE) in body and page("WLD-MED-UEC") in body


def test_service_and_team_dashboards_are_found_the_trust_and_unknown_codes_are_not(world, client):
    login(client, "viewer")
    for code in (SERVICE, WARD, "WLD-SUR-GEN"):
        assert client.get(page(code)).status_code == 200
    assert client.get(page("WLD")).status_code == 404
    assert client.get(page("NO-SUCH")).status_code == 404
    # A reader who is not the unit's sees the figures, not the division's actions.
    body = client.get(page(WARD)).content.decode()
    assert "Actions are shown to" in body and commentary(WARD) not in body


def test_a_unit_dashboard_takes_a_fixed_number_of_queries_as_data_grows(
    world, client, django_assert_num_queries
):
    login(client, "sm.cardiology")
    medicine_action(world, "Recover four-hour performance", "AE-4H")
    for code in (SERVICE, WARD):
        client.get(page(code))  # a stored copy, which the next change puts out of date
        forget_ipr_content()
        with CaptureQueriesContext(connection) as building:
            client.get(page(code))  # the first read after a change builds it again
        with django_assert_num_queries(UNIT_QUERIES):
            client.get(page(code))

        ward = OrgUnit.objects.get(code=WARD)
        for kpi in KpiFactory.create_batch(10):
            for month in MONTHS[-3:]:
                Measurement.objects.create(kpi=kpi, org_unit=ward, month=month, value=50, status="published")
        medicine_action(world, f"Another action for {code}", "AE-4H", "SICK")
        with django_assert_num_queries(len(building)):
            client.get(page(code))
        with django_assert_num_queries(UNIT_QUERIES):
            body = client.get(page(code)).content.decode()
        assert body.count('id="kpi-') >= 10 or code == SERVICE


# session, user, roles, the unit (with the units above it), the units under it, the latest month; the
# trust's words; the stored scorecard (reviews.ipr.store); the division's open actions on the unit's KPIs
# with their KPIs and updates. No rating and no cases: a service or team is not rated.
UNIT_QUERIES = 11


def test_managers_write_for_their_own_unit_and_below_and_only_read_above(world, client):
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    units = {code: OrgUnit.objects.get(code=code) for code in ("WLD-MED", "WLD-SUR", SERVICE, WARD)}
    service_manager, ward_manager = (
        access_for(world.users["sm.cardiology"]),
        access_for(world.users["wm.cardiac"]),
    )

    assert service_manager.can_write_for(units[SERVICE], parents)
    assert service_manager.can_write_for(units[WARD], parents)
    assert ward_manager.can_write_for(units[WARD], parents)
    assert not ward_manager.can_write_for(units[SERVICE], parents)
    for manager in (service_manager, ward_manager):
        assert manager.reads_published_data
        assert not manager.can_write_for(units["WLD-MED"], parents)
        assert not manager.can_view_unpublished(units["WLD-MED"], parents)
        assert not manager.can_write_for(units["WLD-SUR"], parents)
        assert not can_read_meetings(manager) and not manager.can_manage_data and not manager.divisions
    assert ward_manager.can_view_unpublished(units[WARD], parents)

    login(client, "wm.cardiac")
    response = client.post(
        commentary(WARD), {"issues": "Two nurses off sick", "what_the_chart_tells_us": "x"}
    )
    assert response.status_code == 302
    assert Commentary.objects.get(org_unit__code=WARD, kpi__code="AE-4H").issues == "Two nurses off sick"
    for code in (SERVICE, "WLD-MED"):
        assert client.post(commentary(code), {"issues": "not mine"}).status_code == 403
    assert not Commentary.objects.exclude(org_unit__code=WARD).exists()
    # The division's meetings and actions are not theirs: read-only above their unit means no more than
    # any internal reader reads.
    assert client.get(reverse("calendar")).status_code == 200
    assert client.get(reverse("actions")).status_code == 403


def test_managers_land_on_their_own_units_dashboard(world, client):
    for username, code in (("sm.cardiology", SERVICE), ("wm.cardiac", WARD)):
        login(client, username)
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url == page(code)


def test_a_manager_is_held_for_a_unit_of_their_level(world):
    check_assignment(role=Role.WARD_MANAGER, org_unit=world.units[WARD], start=LATEST, end=None)
    with pytest.raises(ValidationError, match="A ward manager is held for one ward: choose the ward"):
        check_assignment(role=Role.WARD_MANAGER, org_unit=world.units[SERVICE], start=LATEST, end=None)
    with pytest.raises(ValidationError, match="A specialty manager is held for one specialty"):
        check_assignment(role=Role.SERVICE_MANAGER, org_unit=None, start=LATEST, end=None)
    newcomer = User.objects.create(username="sm.new")
    held = assign_role(
        actor=None, user=newcomer, role=Role.SERVICE_MANAGER, org_unit=world.units["WLD-SUR-TO"], start=LATEST
    )
    assert held.org_unit.level == Level.SERVICE


def test_the_managers_are_named_in_the_trusts_words():
    acute = TrustWords.of({"service": ("Specialty", "Specialties"), "team": ("Ward", "Wards")})
    assert acute.role(Role.SERVICE_MANAGER, "") == "Specialty manager"
    assert acute.role(Role.WARD_MANAGER, "") == "Ward manager"
    ambulance = TrustWords.of(
        {"division": ("Directorate", "Directorates"), "service": ("Service line", "Service lines")},
        trust_type="ambulance",
    )
    assert ambulance.role(Role.SERVICE_MANAGER, "") == "Service line manager"
    assert ambulance.role(Role.WARD_MANAGER, "") == "Station manager"
    assert ambulance.role(Role.EXECUTIVE, "Executive") == "Executive"


def test_an_ambulance_trust_gives_station_managers_and_reads_its_levels_on_the_dashboard(world, client):
    from divisions.models import TrustProfile, TrustType
    from divisions.services.org import set_level_labels
    from trust_setup.forms.people import RoleForm

    set_level_labels(
        actor=None,
        trust=world.trust,
        labels={
            Level.DIVISION: ("Directorate", "Directorates"),
            Level.SERVICE: ("Service line", "Service lines"),
            Level.TEAM: ("Team", "Teams"),
        },
    )
    TrustProfile.objects.create(trust=world.trust, ods_code="WLD", trust_type=TrustType.AMBULANCE)
    words = trust_words()
    choices = dict(RoleForm(words=words).fields["role"].choices)
    assert (
        choices["ward_manager"] == "Station manager" and choices["service_manager"] == "Service line manager"
    )
    with pytest.raises(ValidationError, match="A station manager is held for one team: choose the team"):
        check_assignment(role=Role.WARD_MANAGER, org_unit=world.units[SERVICE], start=LATEST, end=None)

    login(client, "sm.cardiology")
    body = client.get(page(SERVICE)).content.decode()
    assert "Service line in Medicine" in body and "Teams: " in body
    assert "Each directorate is rated, not its service lines and teams." in body
    assert "division" not in body.split("</header>")[1].lower().replace("division-", "").replace(
        "divisions/", ""
    )
