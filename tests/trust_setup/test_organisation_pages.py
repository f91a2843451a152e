"""The performance team adds, moves and retires units on its own pages; a triumvirate member may not."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import OrgUnit, OrgUnitMove
from pmf.models import AuditEvent, User


@pytest.fixture
def perf(client, world):
    client.force_login(User.objects.get(username="perf"))
    return client


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_organisation_page_lists_the_tree_in_the_trusts_words(perf, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = perf.get(reverse("setup-organisation")).content.decode()
    assert body.index("Surgery") < body.index("General Surgery") < body.index("Trauma and Orthopaedics")
    assert "Cardiac Ward" in body and "Add a unit" in body


def test_the_organisation_page_reads_a_fixed_number_of_queries_as_the_tree_grows(perf, world):
    url = reverse("setup-organisation")
    before = queries_for(perf, url)
    for i in range(5):
        OrgUnit.objects.create(code=f"WLD-SUR-X{i}", name=f"Extra {i}", level="service", parent=world.surgery)
    assert queries_for(perf, url) == before


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@time_machine.travel(datetime(2026, 5, 6, 9, 0), tick=False)
def test_the_forms_offer_dates_as_a_date_input_reads_them(perf):
    assert 'value="2026-04-01"' in perf.get(reverse("setup-unit-add")).content.decode()
    assert (
        'value="2027-03-31"' in perf.get(reverse("setup-unit-retire", args=["WLD-MED-CAR"])).content.decode()
    )


def test_adding_a_service_under_a_division_takes_the_level_below_and_is_audited(perf, world):
    response = perf.post(
        reverse("setup-unit-add"),
        {"parent": world.surgery.pk, "code": "wld-sur-uro", "name": "Urology", "active_from": "2025-04-01"},
        follow=True,
    )
    assert "Urology (WLD-SUR-URO) added." in messages_of(response)
    unit = OrgUnit.objects.get(code="WLD-SUR-URO")
    assert (unit.level, unit.parent, unit.active_from) == ("service", world.surgery, date(2025, 4, 1))
    assert AuditEvent.objects.filter(
        verb="created", object_type="divisions.OrgUnit", object_id=str(unit.pk)
    ).exists()


def test_a_code_in_use_is_refused_in_words_and_nothing_written(perf, world):
    before = OrgUnit.objects.count()
    response = perf.post(
        reverse("setup-unit-add"),
        {"parent": world.surgery.pk, "code": "WLD-MED-CAR", "name": "X", "active_from": "2025-04-01"},
    )
    assert "The code WLD-MED-CAR is already Cardiology's; choose another." in messages_of(response)
    assert OrgUnit.objects.count() == before


@time_machine.travel(datetime(2026, 5, 6, 9, 0), tick=False)
def test_moving_a_service_takes_effect_on_1_april_and_keeps_history(perf, world):
    cardiology = OrgUnit.objects.get(code="WLD-MED-CAR")
    url = reverse("setup-unit-move", args=["WLD-MED-CAR"])
    refused = perf.post(url, {"new_parent": world.surgery.pk, "effective_from": "2025-07-01"})
    assert "must take effect on 1 April" in messages_of(refused)
    too_soon = perf.post(url, {"new_parent": world.surgery.pk, "effective_from": "2027-04-01"})
    assert "Record this move on or after 1 Apr 2027" in too_soon.content.decode()
    assert not OrgUnitMove.objects.exists()
    response = perf.post(url, {"new_parent": world.surgery.pk, "effective_from": "2026-04-01"}, follow=True)
    assert "Cardiology moves to Surgery from 1 Apr 2026." in messages_of(response)
    move = OrgUnitMove.objects.get(unit=cardiology)
    assert (move.from_parent, move.to_parent, move.effective_from) == (
        world.medicine,
        world.surgery,
        date(2026, 4, 1),
    )
    assert AuditEvent.objects.filter(verb="moved", object_id=str(cardiology.pk)).exists()


def test_retiring_a_service_with_an_active_ward_is_refused_then_the_ward_and_service_retire(perf):
    refused = perf.post(reverse("setup-unit-retire", args=["WLD-MED-CAR"]), {"last_day": "2026-03-31"})
    assert "still has active units under it after 31 Mar 2026: WLD-MED-CAR-W1" in messages_of(refused)
    assert OrgUnit.objects.get(code="WLD-MED-CAR").active_to is None
    perf.post(reverse("setup-unit-retire", args=["WLD-MED-CAR-W1"]), {"last_day": "2026-03-31"})
    perf.post(reverse("setup-unit-retire", args=["WLD-MED-CAR"]), {"last_day": "2026-03-31"})
    assert OrgUnit.objects.get(code="WLD-MED-CAR").active_to == date(2026, 3, 31)
    assert AuditEvent.objects.filter(verb="retired").count() == 2


def test_a_triumvirate_member_cannot_add_move_or_retire(client, world):
    client.force_login(User.objects.get(username="cl.surgery"))
    count = OrgUnit.objects.count()
    add = {"parent": world.surgery.pk, "code": "WLD-SUR-NEW", "name": "New", "active_from": "2025-04-01"}
    assert client.post(reverse("setup-unit-add"), add).status_code == 403
    assert (
        client.post(
            reverse("setup-unit-retire", args=["WLD-SUR-GEN"]), {"last_day": "2026-03-31"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("setup-unit-move", args=["WLD-SUR-GEN"]),
            {"new_parent": world.medicine.pk, "effective_from": "2026-04-01"},
        ).status_code
        == 403
    )
    assert OrgUnit.objects.count() == count and OrgUnit.objects.get(code="WLD-SUR-GEN").active_to is None
