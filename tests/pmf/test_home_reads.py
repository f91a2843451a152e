"""The home page reads the same number of rows whatever the length of the history.

Two trusts with the same KPIs, one with three months published and one with thirty: every SELECT the page
runs is counted again in the database (``SELECT COUNT(*)`` over the same statement and parameters), so the
test counts the rows the page fetched, not only its queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from kpis.models import Measurement
from tests.factories import KpiFactory, TrustFactory, UserFactory
from tests.rows_read import rows_read
from tests.world import once_for_the_module

KPIS = 12


def _months(count: int) -> list[date]:
    return [date(2023 + (month // 12), month % 12 + 1, 1) for month in range(count)]


def _load() -> dict[int, str]:
    kpis = KpiFactory.create_batch(KPIS)
    trusts = {}
    for months in (3, 30):
        trust: Any = TrustFactory(code=f"H{months}")
        Measurement.objects.bulk_create(
            Measurement(kpi=kpi, org_unit=trust, month=month, value=50 + i, status="published")
            for kpi in kpis
            for i, month in enumerate(_months(months))
        )
        trusts[months] = trust.code
    return trusts


@pytest.fixture(scope="module")
def two_histories(django_db_setup, django_db_blocker):
    yield from once_for_the_module(django_db_blocker, _load)


def _rows_fetched(client, url: str) -> tuple[int, int]:
    """The number of SELECTs the page ran and the rows they returned, counted again by the database."""
    counts, response = rows_read(lambda: client.get(url))
    assert response.status_code == 200
    return counts


@pytest.mark.django_db
def test_the_home_page_reads_as_many_rows_with_thirty_months_as_with_three(client, two_histories):
    client.force_login(UserFactory(username="home.reader", is_superuser=True))
    short = _rows_fetched(client, f"{reverse('home')}?trust={two_histories[3]}")
    long = _rows_fetched(client, f"{reverse('home')}?trust={two_histories[30]}")
    assert long == short
    body = client.get(f"{reverse('home')}?trust={two_histories[30]}").content.decode()
    assert "Data as at <strong>Jun 2025</strong>" in body  # the thirtieth month, read


@pytest.mark.django_db
def test_the_measurement_read_fetches_one_row_per_kpi(two_histories):
    from divisions.models import OrgUnit
    from kpis.selectors import latest_values

    trust = OrgUnit.objects.get(code=two_histories[30])
    (selects, _), rows = rows_read(lambda: latest_values(trust))
    assert {r.measurement.month for r in rows if r.kpi.code.startswith("kpi-")} == {date(2025, 6, 1)}
    assert {r.measurement.value for r in rows if r.measurement} == {79}  # the thirtieth value, 50 + 29
    assert selects == 4  # the catalogue, the values, targets, trajectories
