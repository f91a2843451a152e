"""A year's targets and trajectories entered as a grid: prefilled from what exists, every cell read before
anything is saved, saved in one transaction with each change audited, in a fixed number of queries."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import Level, OrgUnit
from divisions.services.org import save_org_unit
from kpis.models import Target, Trajectory
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db

GRID = reverse("setup-plans") + "?kpi=AE-4H&year=2025-26&level=division"


def perf_client(client):
    client.force_login(User.objects.get(username="perf"))
    return client


def grid_post(world, **cells) -> dict:
    """The grid as shown (the all-units target 95, tolerance 2), with ``cells`` typed over it."""
    ae = world.kpis["AE-4H"].pk
    post = {f"t-{ae}-all": "95", f"tol-{ae}-all": "2", f"by-{ae}-all": "national"}
    for unit in (world.medicine, world.surgery):
        post[f"by-{ae}-{unit.pk}"] = "local"
    units = {"sur": world.surgery.pk, "med": world.medicine.pk}
    return post | {key.format(ae=ae, **units): value for key, value in cells.items()}


def test_the_grid_is_prefilled_with_the_years_target(client, world):
    page = perf_client(client).get(GRID).content.decode()
    ae = world.kpis["AE-4H"].pk
    assert f'name="t-{ae}-all" value="95"' in page
    assert f'name="tol-{ae}-all" value="2"' in page
    assert f'name="m0-{ae}-{world.surgery.pk}" value=""' in page
    assert "Apr 2025" in page and "Mar 2026" in page


def test_a_unit_target_and_trajectory_are_saved_and_audited(client, world):
    post = grid_post(
        world,
        **{"t-{ae}-{sur}": "90", "tol-{ae}-{sur}": "1.5", "m0-{ae}-{sur}": "88", "m11-{ae}-{sur}": "93%"},
    )

    response = perf_client(client).post(GRID, post)

    assert response.status_code == 302
    ae, surgery = world.kpis["AE-4H"], world.surgery
    target = Target.objects.get(kpi=ae, org_unit=surgery, financial_year="2025/26")
    assert (target.value, target.tolerance, target.set_by, target.effective_from) == (
        90,
        1.5,
        "local",
        date(2025, 4, 1),
    )
    steps = dict(Trajectory.objects.filter(kpi=ae, org_unit=surgery).values_list("month", "value"))
    assert steps == {date(2025, 4, 1): 88, date(2026, 3, 1): 93}
    events = AuditEvent.objects.filter(note__contains="entered as a grid")
    assert sorted(e.object_id for e in events) == [
        "AE-4H WLD-SUR 2025-04",
        "AE-4H WLD-SUR 2025/26",
        "AE-4H WLD-SUR 2026-03",
    ]
    assert {e.actor for e in events} == {"perf"}
    assert target.history.first().history_user.username == "perf"


def test_saving_the_grid_unchanged_changes_nothing(client, world):
    before = AuditEvent.objects.count()
    response = perf_client(client).post(GRID, grid_post(world), follow=True)
    assert "0 added, 0 changed, 0 removed" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_a_blanked_cell_removes_that_plan(client, world):
    ae = world.kpis["AE-4H"]
    Trajectory.objects.create(kpi=ae, org_unit=world.surgery, month=date(2025, 6, 1), value=91)
    perf_client(client).post(GRID, grid_post(world, **{"t-{ae}-all": "", "tol-{ae}-all": ""}))
    assert not Target.objects.filter(kpi=ae, financial_year="2025/26", org_unit=None).exists()
    assert not Trajectory.objects.filter(kpi=ae).exists()
    assert AuditEvent.objects.filter(verb="removed", object_id="AE-4H WLD-SUR 2025-06").exists()


def test_every_bad_cell_gets_its_reason_and_nothing_is_saved(client, world):
    post = grid_post(
        world,
        **{
            "t-{ae}-{sur}": "ninety",
            "m2-{ae}-{sur}": "120",
            "m3-{ae}-{sur}": "91",
            "tol-{ae}-all": "-1",
            "tol-{ae}-{med}": "3",
        },
    )
    before = AuditEvent.objects.count()

    response = perf_client(client).post(GRID, post)

    page = response.content.decode()
    assert response.status_code == 200
    assert "4 cell(s) could not be read, each marked below: nothing was saved." in page, re.findall(
        r"\d+ cell", page
    )
    assert "&#x27;ninety&#x27; is not a number." in page
    assert "Jun 2025: &#x27;120&#x27; is outside what AE-4H can be (0.0% to 100.0%)." in page
    assert "cannot be below zero" in page
    assert "A tolerance needs a target to be measured from." in page
    assert 'value="91"' in page  # what was typed is kept
    assert AuditEvent.objects.count() == before
    assert not Trajectory.objects.exists()


def test_a_domain_grid_shows_each_of_its_kpis(client, world):
    page = perf_client(client).get(reverse("setup-plans") + "?domain=operational&year=2025-26&level=service")
    text = page.content.decode()
    assert all(f'<th scope="row">{code}</th>' in text for code in ("AE-4H", "RTT-18", "ATT"))
    assert '<th scope="row">SICK</th>' not in text


def test_the_grid_reads_in_the_same_number_of_queries_however_many_units(client, world):
    client = perf_client(client)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(GRID).status_code == 200
        return len(context)

    few = queries()
    for i in range(5):
        save_org_unit(
            actor=None,
            code=f"WLD-X{i}",
            name=f"Division {i}",
            level=Level.DIVISION,
            parent=world.trust,
            active_from=date(2016, 4, 1),
        )
    assert OrgUnit.objects.filter(level=Level.DIVISION).count() == 7
    assert queries() == few


def test_a_triumvirate_member_cannot_open_or_save_the_grid(client, world):
    client.force_login(User.objects.get(username="md.surgery"))
    assert client.get(GRID).status_code == 403
    assert client.post(GRID, grid_post(world, **{"t-{ae}-{sur}": "1"})).status_code == 403
    assert not Target.objects.filter(org_unit=world.surgery).exists()
