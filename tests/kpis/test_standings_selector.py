"""kpis.selectors.standings: one read of values, plans, charts and kitemarks, whatever the data's size."""

from datetime import date

import pytest

from kpis.assessment import Outcome
from kpis.models import Kitemark, Measurement, SpcPoint, SpcSeries, Target
from kpis.selectors import standings
from tests.factories import KpiFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db
JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)


def publish(kpi, unit, month, value, *, rollup=False):
    counts = {"children_contributing": 2, "children_expected": 2} if rollup else {}
    return Measurement.objects.create(
        kpi=kpi, org_unit=unit, month=month, value=value, status="published", is_rollup=rollup, **counts
    )


def test_a_submitted_value_wins_over_the_roll_up_and_is_assessed_against_the_unit_s_plan(db):
    division = OrgUnitFactory()
    kpi = KpiFactory()
    Target.objects.create(kpi=kpi, financial_year="2025/26", value=90, effective_from=date(2025, 4, 1))
    publish(kpi, division, JULY, 70.0, rollup=True)
    publish(kpi, division, JULY, 95.0)

    found = standings([division.pk], [JUNE, JULY], kpis=[kpi])

    july = found.at(kpi.pk, division.pk, JULY)
    assert july.value == 95.0 and not july.reading.is_rollup
    assert july.plan.plan == 90 and july.outcome == Outcome.MET
    assert found.at(kpi.pk, division.pk, JUNE).outcome == Outcome.NO_DATA  # a plan but no value


def test_without_months_each_kpi_stands_at_its_latest_month(db):
    division = OrgUnitFactory()
    kpi = KpiFactory()
    publish(kpi, division, JUNE, 50.0)
    publish(kpi, division, JULY, 60.0, rollup=True)
    [latest] = standings([division.pk], None, kpis=[kpi])
    assert (latest.month, latest.value) == (JULY, 60.0)


def test_the_stored_chart_and_kitemark_come_with_the_standing(db):
    division = OrgUnitFactory()
    kpi = KpiFactory()
    publish(kpi, division, JULY, 60.0)
    series = SpcSeries.objects.create(
        kpi=kpi,
        org_unit=division,
        rule_set="mdc",
        direction="increase",
        first_month=JUNE,
        latest_month=JULY,
        n_points=20,
        variation_icon="concern_low",
        assurance="consistent_fail",
        lpl=40.0,
    )
    SpcPoint.objects.create(series=series, month=JUNE, value=61.0, point_type="common_cause")
    SpcPoint.objects.create(series=series, month=JULY, value=60.0, point_type="special_cause_concern")
    Kitemark.objects.create(kpi=kpi, dimension="validation", rating="assured", assessed_on=JULY)

    found = standings([division.pk], [JUNE, JULY], kpis=[kpi], with_spc=True, with_kitemarks=True)

    july, june = found.at(kpi.pk, division.pk, JULY), found.at(kpi.pk, division.pk, JUNE)
    assert july.spc.point_type == "special_cause_concern"
    assert (july.placement.variation, july.placement.assurance) == ("concern", "fail")
    assert (
        june.spc.point_type == "common_cause" and june.variation_icon is None
    )  # icons judge the latest month
    assert july.kitemark.status == "validated" and july.kitemark.of == len(Kitemark.Dimension)


@pytest.mark.parametrize(
    ("rule_set", "limits", "icon", "note"),
    [
        ("ptd", (None, None), "", "too few points; no limits"),  # one point: no moving range yet
        ("mdc", (None, None), "", "too few points; no limits"),
        ("mdc", (40.0, 80.0), "common_cause", "no target"),
        ("ptd", (40.0, 80.0), "common_cause", "no target"),
    ],
)
def test_the_matrix_note_says_no_limits_when_the_stored_chart_has_none(db, rule_set, limits, icon, note):
    division = OrgUnitFactory()
    kpi = KpiFactory()
    publish(kpi, division, JULY, 60.0)
    lpl, upl = limits
    series = SpcSeries.objects.create(
        kpi=kpi,
        org_unit=division,
        rule_set=rule_set,
        direction="increase",
        first_month=JULY,
        latest_month=JULY,
        n_points=1,
        variation_icon=icon,
        lpl=lpl,
        upl=upl,
    )
    SpcPoint.objects.create(series=series, month=JULY, value=60.0, point_type="common_cause")

    july = standings([division.pk], [JULY], kpis=[kpi], with_spc=True).at(kpi.pk, division.pk, JULY)

    assert july.spc.has_limits is (lpl is not None)
    assert july.placement.note == note


def _world(n_kpis, n_units, months):
    units = OrgUnitFactory.create_batch(n_units)
    kpis = KpiFactory.create_batch(n_kpis)
    for kpi in kpis:
        Target.objects.create(kpi=kpi, financial_year="2025/26", value=90, effective_from=date(2025, 4, 1))
        for unit in units:
            for month in months:
                publish(kpi, unit, month, 80.0)
                publish(kpi, unit, month, 85.0, rollup=True)
    return units, kpis


@pytest.mark.parametrize("size", [(1, 1, [JULY]), (6, 4, [date(2025, m, 1) for m in (4, 5, 6, 7)])])
def test_the_number_of_queries_does_not_grow_with_kpis_units_or_months(db, django_assert_num_queries, size):
    n_kpis, n_units, months = size
    units, kpis = _world(n_kpis, n_units, months)
    ids = [u.pk for u in units]
    with django_assert_num_queries(3):  # values, targets, trajectories
        found = standings(ids, months, kpis=kpis)
    with django_assert_num_queries(5):  # and the stored charts, and the kitemarks
        standings(ids, months, kpis=kpis, with_spc=True, with_kitemarks=True)
    with django_assert_num_queries(3):
        standings(ids, None, kpis=kpis)
    assert len(found) == n_kpis * n_units * len(months)
    assert all(s.value == 80.0 for s in found)  # the submitted value, never the roll-up
