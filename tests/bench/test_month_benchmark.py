"""The month benchmark publishes a new month through the real pipeline and can be run again."""

import pytest
from django.db import connection

from bench import month
from bench.large_trust import LargeTrustSpec, generate
from kpis.models import Measurement, SpcSeries
from pipeline.models import PipelineRun

SMALL = LargeTrustSpec(divisions=2, services=4, teams=8, kpis=12, months=15, kpis_per_team=6)


@pytest.mark.django_db
def test_without_postgresql_the_month_part_says_it_is_skipped(capsys):
    if connection.vendor == "postgresql":
        pytest.skip("this database is PostgreSQL")
    assert month.run(generate(SMALL)) == []
    assert "[month] skipped: needs PostgreSQL" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_month_part_times_the_whole_pipeline_and_starts_each_run_from_the_same_history():
    if connection.vendor != "postgresql":
        pytest.skip("the month part runs on PostgreSQL")
    trust = generate(SMALL)
    last = trust.measurements["month"].max().date()
    for _ in range(2):  # the second run takes the month back out first
        (measure,) = month.run(trust)
        assert measure.part == "month" and measure.seconds > measure.baseline_seconds > 0
        assert not PipelineRun.objects.exclude(status=PipelineRun.Status.DONE).exists()
        assert SpcSeries.objects.filter(latest_month=last).exists()
        assert Measurement.objects.filter(month=last, status="published", is_rollup=False).count() == (
            (trust.measurements["month"] == trust.measurements["month"].max()).sum()
        )
