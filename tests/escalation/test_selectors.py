"""Escalation's reads run in a fixed number of queries, whatever the number of KPIs, units and months."""

from datetime import date

import pytest

from divisions.models import Level
from escalation.models import TriggerSetting
from escalation.selectors import evaluation_series, exception_report
from kpis.models import Kpi, KpiSuite, KpiSuiteEntry, Measurement, SpcPoint, SpcSeries, Target, Trajectory
from pmf.periods import add_months
from tests.factories import KpiFactory, OrgUnitFactory, TrustFactory

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


def a_trust(*, n_kpis, n_divisions, n_months):
    """Contractual KPIs missed at the trust and at each division for ``n_months`` up to July, with targets,
    trajectories, own trigger settings, a suite and stored charts: everything the reads touch."""
    trust = TrustFactory()
    divisions = OrgUnitFactory.create_batch(n_divisions, parent=trust, level=Level.DIVISION)
    months = [add_months(JULY, -i) for i in reversed(range(n_months))]
    suite = KpiSuite.objects.create(financial_year="2025/26")
    for kpi in KpiFactory.create_batch(n_kpis, source=Kpi.Source.CONTRACTUAL, active_from=date(2016, 4, 1)):
        Target.objects.create(kpi=kpi, financial_year="2025/26", value=90, effective_from=date(2024, 4, 1))
        TriggerSetting.objects.create(kpi=kpi)
        KpiSuiteEntry.objects.create(suite=suite, kpi=kpi, is_key=True)
        for unit in [trust, *divisions]:
            Trajectory.objects.create(kpi=kpi, org_unit=unit, month=JULY, value=88)
            series = SpcSeries.objects.create(
                kpi=kpi,
                org_unit=unit,
                rule_set="mdc",
                direction="increase",
                first_month=months[0],
                latest_month=JULY,
                n_points=n_months,
            )
            for month in months:
                Measurement.objects.create(
                    kpi=kpi, org_unit=unit, month=month, value=70.0, status="published"
                )
                SpcPoint.objects.create(series=series, month=month, value=70.0, point_type="common_cause")
    return trust, divisions


SIZES = [(1, 1, 1), (4, 3, 14)]  # KPIs, divisions, months


@pytest.mark.parametrize(("n_kpis", "n_divisions", "n_months"), SIZES)
def test_the_exception_report_reads_in_seven_queries(
    db, django_assert_num_queries, n_kpis, n_divisions, n_months
):
    a_trust(n_kpis=n_kpis, n_divisions=n_divisions, n_months=n_months)
    # KPIs, units, the KPIs the trust reports, the standings (values, targets, trajectories), data as at
    with django_assert_num_queries(7):
        report = exception_report(JULY)
    assert len(report.rows) == n_kpis
    assert all(len(row.divisions_not_met) == n_divisions for row in report.rows)


def test_the_exception_report_with_no_contractual_kpi_reads_less(db, django_assert_num_queries):
    TrustFactory()
    with django_assert_num_queries(3):  # KPIs, units, data as at: there is nothing else to read
        report = exception_report(JULY)
    assert report.rows == [] and report.reported == 0


@pytest.mark.parametrize(("n_kpis", "n_divisions", "n_months"), SIZES)
def test_the_evaluation_series_read_in_nine_queries(
    db, django_assert_num_queries, n_kpis, n_divisions, n_months
):
    a_trust(n_kpis=n_kpis, n_divisions=n_divisions, n_months=n_months)
    # trigger settings, KPIs, units, the standings with their charts (values, targets, trajectories,
    # points), who reported what, the year's suite
    with django_assert_num_queries(9):
        series = evaluation_series(JULY)
    assert len(series) == n_kpis * n_divisions  # reported by divisions, so not evaluated at the trust
    assert all(s.is_key and s.history[-1].plan == 88 for s in series)
    assert all(s.history[-1].point_type == "common_cause" for s in series)
