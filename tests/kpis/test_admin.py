"""The performance team edits the catalogue in the admin; every edit is audited and kept in history."""

import pytest
from django.urls import reverse

from kpis.models import Kpi
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def kpi_form(kpi: Kpi, **changes) -> dict:
    fields = {
        "code": kpi.code,
        "name": kpi.name,
        "definition": kpi.definition,
        "numerator_definition": kpi.numerator_definition,
        "denominator_definition": kpi.denominator_definition,
        "domain": kpi.domain_id,
        "objective": kpi.objective_id or "",
        "unit": kpi.unit,
        "direction": kpi.direction,
        "aggregation": kpi.aggregation,
        "source": kpi.source,
        "national_guidance_ref": kpi.national_guidance_ref,
        "is_key": "on" if kpi.is_key else "",
        "lead_or_lag": kpi.lead_or_lag,
        "frequency": kpi.frequency,
        "owner": kpi.owner,
        "data_owner": kpi.data_owner,
        "spc_rule_set": kpi.spc_rule_set,
        "tags": [t.pk for t in kpi.tags.all()],
        "active_from": kpi.active_from.isoformat(),
        "active_to": "",
    }
    return {k: v for k, v in (fields | changes).items() if v != ""}


def test_performance_team_edits_a_kpi_and_the_change_is_audited_with_history(client, world):
    client.force_login(User.objects.get(username="perf"))
    kpi = Kpi.objects.get(code="AE-4H")
    url = reverse("admin:kpis_kpi_change", args=[kpi.pk])
    response = client.post(url, kpi_form(kpi, owner="Deputy Chief Operating Officer"))
    assert response.status_code == 302, response.content.decode()[:2000]
    kpi.refresh_from_db()
    assert kpi.owner == "Deputy Chief Operating Officer"
    event = AuditEvent.objects.filter(object_type="kpis.Kpi", object_id=str(kpi.pk), verb="updated").latest(
        "id"
    )
    assert event.actor == "perf"
    assert (event.before["owner"], event.after["owner"]) == ("Chief Operating Officer", kpi.owner)
    assert kpi.history.first().history_user.username == "perf"
    assert client.get(reverse("admin:kpis_kpi_history", args=[kpi.pk])).status_code == 200


def test_other_roles_cannot_reach_the_admin(client, world):
    client.force_login(User.objects.get(username="cl.surgery"))
    response = client.get(reverse("admin:kpis_kpi_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_published_measurements_cannot_be_edited_in_the_admin(client, world):
    client.force_login(User.objects.get(username="perf"))
    assert client.get(reverse("admin:kpis_measurement_changelist")).status_code == 200
    measurement = world.trust.measurements.first()
    assert measurement.status == "published"
    response = client.post(reverse("admin:kpis_measurement_change", args=[measurement.pk]), {"value": 1})
    assert response.status_code == 403


def test_the_plausible_range_is_edited_in_the_admin_and_a_maximum_below_the_minimum_is_refused(client, world):
    client.force_login(User.objects.get(username="perf"))
    kpi = Kpi.objects.get(code="AE-4H")
    url = reverse("admin:kpis_kpi_change", args=[kpi.pk])
    assert 'name="plausible_max"' in client.get(url).content.decode()

    response = client.post(url, kpi_form(kpi, plausible_max="150"))

    assert response.status_code == 302, response.content.decode()[:2000]
    kpi.refresh_from_db()
    assert kpi.plausible_max == 150
    event = AuditEvent.objects.filter(object_type="kpis.Kpi", object_id=str(kpi.pk), verb="updated").latest(
        "id"
    )
    assert (event.before["plausible_max"], event.after["plausible_max"]) == (None, 150)

    refused = client.post(url, kpi_form(kpi, plausible_min="160", plausible_max="150"))
    assert refused.status_code == 200
    kpi.refresh_from_db()
    assert (kpi.plausible_min, kpi.plausible_max) == (None, 150)
