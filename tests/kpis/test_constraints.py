"""The invariants live in the database, so they hold whatever code writes the rows."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kpis.models import KpiSuite, Measurement, Target, Upload
from tests.factories import KpiFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi():
    return KpiFactory()


@pytest.fixture
def unit():
    return OrgUnitFactory()


def measurement(kpi, unit, **fields):
    values = {"kpi": kpi, "org_unit": unit, "month": date(2025, 4, 1), "value": 90.0, "status": "published"}
    return Measurement.objects.create(**(values | fields))


def test_only_one_published_measurement_per_kpi_unit_month(kpi, unit):
    measurement(kpi, unit)
    with pytest.raises(IntegrityError):
        measurement(kpi, unit, revision=2)


def test_a_draft_may_sit_beside_the_published_row_and_history_is_unlimited(kpi, unit):
    measurement(kpi, unit)
    measurement(kpi, unit, revision=2, status="draft")
    measurement(kpi, unit, revision=3, status="superseded")
    measurement(kpi, unit, revision=4, status="superseded")
    with pytest.raises(IntegrityError), transaction.atomic():
        measurement(kpi, unit, revision=5, status="draft")
    assert Measurement.objects.count() == 4


def test_a_submitted_value_and_a_rollup_are_separate_rows(kpi, unit):
    measurement(kpi, unit)
    measurement(kpi, unit, is_rollup=True, children_contributing=1, children_expected=2)


def test_rollup_counts_are_required_and_consistent(kpi, unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        measurement(kpi, unit, is_rollup=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        measurement(kpi, unit, is_rollup=True, children_contributing=3, children_expected=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        measurement(kpi, unit, children_contributing=1, children_expected=1)


def test_measurement_month_is_the_first_of_the_month(kpi, unit):
    with pytest.raises(IntegrityError):
        measurement(kpi, unit, month=date(2025, 4, 2))


def test_denominator_must_be_positive(kpi, unit):
    with pytest.raises(IntegrityError):
        measurement(kpi, unit, numerator=1, denominator=0)


def test_upload_published_at_and_by_are_set_together():
    with pytest.raises(IntegrityError):
        Upload.objects.create(original_name="x.csv", sha256="0" * 64, published_at=timezone.now())


def test_suite_approval_needs_who_and_when():
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiSuite.objects.create(financial_year="2025/26", status="approved")
    KpiSuite.objects.create(
        financial_year="2025/26", status="approved", approved_at=timezone.now(), approved_by=UserFactory()
    )


def test_one_all_units_target_per_kpi_year_and_date(kpi):
    fields = {"kpi": kpi, "financial_year": "2025/26", "value": 78, "effective_from": date(2025, 4, 1)}
    Target.objects.create(**fields)
    with pytest.raises(IntegrityError):
        Target.objects.create(**fields)
