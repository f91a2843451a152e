"""kpis.selectors.chart_for: the KPI page's chart with the standing every other page reads."""

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import Measurement, SpcPoint, SpcSeries, Target, Trajectory, Upload
from kpis.selectors import chart_for
from pmf.periods import add_months
from tests.factories import KpiFactory, OrgUnitFactory
from tests.world import LATEST

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


def publish(kpi, unit, month, value, *, rollup=False, revision=1, upload=None):
    counts = {"children_contributing": 2, "children_expected": 3} if rollup else {}
    return Measurement.objects.create(
        kpi=kpi,
        org_unit=unit,
        month=month,
        value=value,
        status="published",
        is_rollup=rollup,
        revision=revision,
        upload=upload,
        **counts,
    )


def chart(kpi, unit, months):
    series = SpcSeries.objects.create(
        kpi=kpi,
        org_unit=unit,
        rule_set="mdc",
        direction="increase",
        first_month=months[0],
        latest_month=months[-1],
        n_points=len(months),
        mean=80.0,
        lpl=60.0,
        upl=100.0,
    )
    SpcPoint.objects.bulk_create(
        SpcPoint(series=series, month=m, value=80.0, point_type="common_cause") for m in months
    )
    return series


def a_unit_with_both_values(n_months):
    """A division that published its own July figure (restated, revision 2) and has a roll-up for July too
    (revision 1, so ordering by revision alone finds the roll-up first)."""
    unit, kpi = OrgUnitFactory(), KpiFactory()
    months = [add_months(JULY, -i) for i in reversed(range(n_months))]
    Target.objects.create(kpi=kpi, financial_year="2025/26", value=90, effective_from=date(2025, 4, 1))
    Trajectory.objects.create(kpi=kpi, org_unit=unit, month=months[0], value=85)
    upload = Upload.objects.create(
        original_name="surgery-july.xlsx", sha256=f"both-{n_months}", status="valid"
    )
    for month in months[:-1]:
        publish(kpi, unit, month, 80.0)
    publish(kpi, unit, JULY, 70.0, rollup=True)
    publish(kpi, unit, JULY, 95.0, revision=2, upload=upload)
    chart(kpi, unit, months)
    return kpi, unit, months


def test_the_submitted_value_wins_over_the_roll_up_beside_the_chart(db):
    kpi, unit, months = a_unit_with_both_values(3)

    data = chart_for(kpi, unit)

    assert data.latest.month == JULY
    assert data.latest_value == 95.0 and not data.reading.is_rollup
    assert data.source == "surgery-july.xlsx"
    assert data.plan == 90 and str(data.standing.outcome) == "met"
    assert data.trajectory == [85.0, None, None]  # the unit's trajectory, month by month


def test_a_roll_up_alone_is_shown_as_a_roll_up_with_no_file(db):
    unit, kpi = OrgUnitFactory(), KpiFactory()
    publish(kpi, unit, JULY, 70.0, rollup=True)
    chart(kpi, unit, [JULY])

    data = chart_for(kpi, unit)

    assert data.latest_value == 70.0 and data.reading.is_rollup
    assert data.reading.children_contributing == 2 and data.source is None


@pytest.mark.parametrize("n_months", [2, 24])
def test_the_chart_reads_in_seven_queries_whatever_its_months(db, django_assert_num_queries, n_months):
    kpi, unit, _ = a_unit_with_both_values(n_months)
    # series, points, recalculations, the standing (values, targets, trajectories) and the file's name
    with django_assert_num_queries(7):
        data = chart_for(kpi, unit)
    assert len(data.points) == n_months


def test_no_chart_reads_in_two_queries(db, django_assert_num_queries):
    unit, kpi = OrgUnitFactory(), KpiFactory()
    with django_assert_num_queries(2):
        data = chart_for(kpi, unit)
    assert data.series is None and data.standing is None and data.latest_value is None


def test_the_kpi_page_shows_the_division_s_own_figure_not_its_roll_up(client, world):
    kpi, surgery = world.kpis["AE-4H"], world.surgery
    assert Measurement.objects.get(kpi=kpi, org_unit=surgery, month=LATEST).is_rollup
    own = Upload.objects.create(original_name="surgery-own.csv", sha256="surgery-own", status="valid")
    publish(kpi, surgery, LATEST, 99.1, revision=2, upload=own)
    client.force_login(world.users["board"])

    body = client.get(reverse("kpi-chart", args=[kpi.code, surgery.code])).content.decode()

    facts = body[body.index("The numbers behind the chart") :]
    assert "99.1%" in facts and "surgery-own.csv" in facts
    assert "expected units below" not in facts and "Roll-up of published submissions" not in facts
