"""Individual scorecards (issue 19, item 3): a person's PDR objectives, linked to a KPI, a priority or an
action, with progress; read by the person, their line manager and the performance team only."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from divisions.services.roles import assign_role
from pmf.models import AuditEvent, User
from pmf.roles import Role
from scorecards.models import LineManagement, Objective, ObjectiveStatus
from scorecards.services.line_management import set_line_manager
from scorecards.services.objectives import record_progress, save_objective
from strategy.models import Priority
from tests.factories import KpiFactory
from tests.world import OPENED

pytestmark = pytest.mark.django_db

YEAR = 2025
PERSON, LINE_MANAGER, PEER = "wm.cardiac", "sm.cardiology", "wm.peer"


@pytest.fixture
def team(world):
    """The ward manager reports to the service manager; a peer ward manager reports to them too."""
    peer = User.objects.create(username=PEER, first_name="Pia", last_name="Peer")
    assign_role(
        actor=None, user=peer, role=Role.WARD_MANAGER, org_unit=world.units["WLD-MED-CAR-W1"], start=OPENED
    )
    perf = world.users["perf"]
    manager = world.users[LINE_MANAGER]
    set_line_manager(actor=perf, person=world.users[PERSON], manager=manager)
    set_line_manager(actor=perf, person=peer, manager=manager)
    priority = Priority.objects.create(year=YEAR, title="Patients seen on time", owner=world.users["exec"])
    objective = save_objective(
        actor=world.users[PERSON],
        person=world.users[PERSON],
        year=YEAR,
        title="Bring four-hour performance on the ward back to plan",
        kpi=world.kpis["AE-4H"],
        priority=priority,
        due_date=date(2026, 3, 31),
    )
    return {"objective": objective, "priority": priority, "peer": peer}


def scorecard_of(username: str) -> str:
    return f"{reverse('person-scorecard', args=[username])}?year={YEAR}"


def login(client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def test_only_the_person_their_line_manager_and_the_performance_team_read_a_scorecard(team, client):
    expected = {
        PERSON: 200,
        LINE_MANAGER: 200,
        "perf": 200,
        PEER: 403,
        "md.surgery": 403,  # another division's director
        "md.medicine": 403,  # their own division's director, who does not line-manage them
        "exec": 403,  # an executive who is not their line manager
        "board": 403,
        "commissioner": 403,
    }
    found = {}
    for username in expected:
        login(client, username)
        found[username] = client.get(scorecard_of(PERSON)).status_code
    assert found == expected
    client.logout()
    assert client.get(scorecard_of(PERSON)).status_code == 302  # to sign in


def test_the_scorecard_shows_each_objective_with_what_it_links_to(team, client):
    login(client, PERSON)
    body = client.get(f"{reverse('my-scorecard')}?year={YEAR}").content.decode()
    assert "My scorecard, 2025/26" in body
    row = body[body.index(f'id="objective-{team["objective"].pk}"') :].split("</tr>")[0]
    assert "Bring four-hour performance on the ward back to plan" in row
    # The KPI read at the ward's own figure for its latest month, with how it stands against plan.
    assert "A&amp;E four-hour performance" in row and "Cardiac Ward, Jul 2025: 80.4% against 95.0%" in row
    assert "Not met" in row and "Patients seen on time" in row and "31 Mar 2026" in row
    assert "Line manager: sm.cardiology" in body
    # With no year asked for, it opens at the latest year with objectives (none are set after 2025/26 yet).
    body = client.get(reverse("my-scorecard")).content.decode()
    assert "My scorecard, 2025/26" in body


def test_the_person_and_the_line_manager_set_objectives_and_record_progress_audited(team, world, client):
    objective = team["objective"]
    login(client, LINE_MANAGER)
    response = client.post(
        reverse("objective-progress", args=[objective.pk]),
        {"status": ObjectiveStatus.AT_RISK, "percent_complete": "30", "note": "Two vacancies since June"},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.status, objective.percent_complete, objective.narrative) == (
        "at_risk",
        30,
        "Two vacancies since June",
    )
    assert AuditEvent.objects.filter(object_type="scorecards.ObjectiveUpdate", actor=LINE_MANAGER).exists()

    login(client, PERSON)
    response = client.post(
        f"{reverse('objective-add', args=[PERSON])}?year={YEAR}",
        {"title": "Complete the sepsis training", "kpi": world.kpis["SICK"].pk, "due_date": "2025-12-31"},
    )
    assert response.status_code == 302
    added = Objective.objects.get(title="Complete the sepsis training")
    assert added.person.username == PERSON and added.year == YEAR
    assert AuditEvent.objects.filter(
        object_type="scorecards.Objective", verb="created", actor=PERSON
    ).exists()
    # No link: refused, nothing written.
    client.post(f"{reverse('objective-add', args=[PERSON])}?year={YEAR}", {"title": "Unlinked"})
    assert not Objective.objects.filter(title="Unlinked").exists()

    # A peer, the performance team and an executive may not change it.
    for username in (PEER, "perf", "exec"):
        login(client, username)
        assert client.get(reverse("objective-edit", args=[objective.pk])).status_code == 403
        response = client.post(
            reverse("objective-progress", args=[objective.pk]),
            {"status": "complete", "percent_complete": "100"},
        )
        assert response.status_code == 403
    objective.refresh_from_db()
    assert objective.status == "at_risk"


def test_a_line_manager_sees_their_team_and_nobody_elses(team, client):
    login(client, LINE_MANAGER)
    body = client.get(f"{reverse('team-scorecards')}?year={YEAR}").content.decode()
    assert scorecard_of(PERSON) in body and scorecard_of(PEER) in body
    login(client, "md.surgery")
    body = client.get(reverse("team-scorecards")).content.decode()
    assert "Nobody is recorded as reporting to you" in body and PERSON not in body


def test_the_performance_team_sets_line_managers_and_no_one_manages_themselves(team, world, client):
    perf = world.users["perf"]
    with pytest.raises(ValidationError, match="own line manager"):
        set_line_manager(actor=perf, person=team["peer"], manager=team["peer"])
    with pytest.raises(ValidationError, match="directly or further up"):
        set_line_manager(actor=perf, person=world.users[LINE_MANAGER], manager=world.users[PERSON])

    login(client, "perf")
    response = client.post(
        reverse("line-managers"), {"person": team["peer"].pk, "manager": world.users["md.medicine"].pk}
    )
    assert response.status_code == 302
    assert LineManagement.objects.get(person=team["peer"]).manager.username == "md.medicine"
    assert AuditEvent.objects.filter(object_type="scorecards.LineManagement", actor="perf").exists()
    for username in (LINE_MANAGER, "exec", PERSON):
        login(client, username)
        assert client.get(reverse("line-managers")).status_code == 403


def test_progress_needs_a_percentage_or_a_narrative(team, world):
    with pytest.raises(ValidationError):
        record_progress(actor=world.users[PERSON], objective=team["objective"], status="on_track")


def test_a_scorecard_takes_a_fixed_number_of_queries_as_objectives_grow(
    team, world, client, django_assert_num_queries
):
    login(client, PERSON)
    url = f"{reverse('my-scorecard')}?year={YEAR}"
    client.get(url)
    with django_assert_num_queries(SCORECARD_QUERIES):
        client.get(url)
    person = world.users[PERSON]
    for kpi in KpiFactory.create_batch(5):
        objective = save_objective(
            actor=person, person=person, year=YEAR, title=f"Improve {kpi.name}", kpi=kpi
        )
        record_progress(actor=person, objective=objective, status="on_track", percent_complete=10)
        record_progress(actor=person, objective=objective, status="on_track", note="Halfway")
    with django_assert_num_queries(SCORECARD_QUERIES):
        body = client.get(url).content.decode()
    assert body.count('id="objective-') == 6


# session, user, roles; the objectives with their KPI, priority and action, their updates (and who wrote
# them), the priorities' updates; the person's unit; the catalogue and the unit's standings (four,
# kpis.selectors.latest_values); the line manager.
SCORECARD_QUERIES = 12
