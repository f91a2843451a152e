from datetime import date

import pytest
from django.urls import reverse

from divisions.models import Role, RoleAssignment
from kpis.models import Measurement
from tests.factories import KpiFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_home_shows_latest_trust_values_against_plan(client, demo):
    client.force_login(UserFactory(username="perf"))
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "United Lincolnshire Hospitals NHS Trust" in body
    assert "63.4%" in body  # A&E four-hour, July 2025, as NHS England published it
    assert "Data as at <strong>Jul 2025</strong>" in body
    assert "Synthetic" in body


def test_home_uses_a_fixed_number_of_queries_whatever_the_catalogue_size(
    client, demo, django_assert_num_queries
):
    client.force_login(UserFactory(username="perf"))
    with django_assert_num_queries(QUERIES):
        client.get(reverse("home"))
    for kpi in KpiFactory.create_batch(25):
        for month in (date(2025, 5, 1), date(2025, 6, 1)):
            Measurement.objects.create(
                kpi=kpi, org_unit=demo.trust, month=month, value=50, status="published"
            )
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("home"))
    assert response.content.decode().count("KPI ") >= 25


# session, user, roles, trusts, divisions, KPIs, measurements, trajectories, targets, and
# for the performance team the publish pipeline's unfinished runs (its notice)
QUERIES = 12


def test_home_without_a_trust_explains_how_to_load_one(client, db):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.VIEWER)
    client.force_login(user)
    assert "No trust is set up yet" in client.get(reverse("home")).content.decode()


def test_health_answers_without_login(client, db):
    assert client.get(reverse("health")).json() == {"status": "ok"}
