"""Stored SPC charts: computed after each publish, equal to the engine, recalculated on request."""

from datetime import date

import pandas as pd
import pytest
from django.core.exceptions import ValidationError

from kpis.models import Kpi, Measurement, Recalculation, SpcSeries
from kpis.services.measurements import publish_frame
from kpis.services.spc import refresh_spc
from kpis.spc import analyse
from pmf.models import AuditEvent, User
from reviews.models import DivisionRating

pytestmark = pytest.mark.django_db


def stored(kpi="AE-4H", unit="RWD") -> SpcSeries:
    return SpcSeries.objects.get(kpi__code=kpi, org_unit__code=unit)


def test_publishing_the_demo_charts_every_series(demo):
    published = (
        Measurement.objects.filter(status="published").values("kpi_id", "org_unit_id").distinct().count()
    )
    assert SpcSeries.objects.count() == published


def test_stored_chart_equals_the_engine_on_the_same_values_with_gaps_kept(demo):
    series = stored()
    points = list(series.points.order_by("month"))
    assert points[0].month == date(2016, 4, 1) and points[-1].month == date(2025, 7, 1)
    assert len(points) == 112  # 2016-04 … 2025-07, including the 24 unpublished months as gaps
    assert sum(p.value is None for p in points) == 24
    expected = analyse([p.value for p in points], rule_set="mdc", direction="increase", target=78.0)
    assert [p.point_type for p in points] == [p.point_type for p in expected.points]
    assert series.variation_icon == expected.variation_icon
    assert series.assurance == expected.assurance == "consistent_fail"
    assert series.upl == pytest.approx(expected.segments[-1].upl)


def test_refresh_is_idempotent(demo):
    before = list(
        SpcSeries.objects.values_list("kpi_id", "org_unit_id", "variation_icon", "assurance", "mean")
    )
    refresh_spc()
    after = list(
        SpcSeries.objects.values_list("kpi_id", "org_unit_id", "variation_icon", "assurance", "mean")
    )
    assert sorted(before) == sorted(after)


def test_publish_queues_the_spc_refresh_on_commit(demo, django_capture_on_commit_callbacks):
    kpi = Kpi.objects.get(code="AE-4H")
    unit = Measurement.objects.filter(kpi=kpi, is_rollup=False).first().org_unit
    frame = pd.DataFrame(
        [(kpi.pk, unit.pk, date(2025, 8, 1), 14_000, 20_000, 70.0, False)],
        columns=["kpi_id", "org_unit_id", "month", "numerator", "denominator", "value", "is_synthetic"],
    )
    upload = Measurement.objects.filter(kpi=kpi, is_rollup=False).first().upload
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_frame(actor=None, upload=upload, frame=frame)
    assert stored().latest_month == date(2025, 7, 1)  # nothing recomputed before the commit
    assert len(callbacks) == 1  # the publish pipeline: charts, ratings, schedules, escalations, IPR content
    for callback in callbacks:
        callback()
    assert stored().latest_month == date(2025, 8, 1)
    assert DivisionRating.objects.filter(month=date(2025, 8, 1)).count() == 4  # every division rated


def test_recalculation_is_recorded_audited_and_splits_the_chart(demo, django_capture_on_commit_callbacks):
    from kpis.services.spc import record_recalculation

    perf = User.objects.get(username="perf")
    kpi = Kpi.objects.get(code="AE-4H")
    with django_capture_on_commit_callbacks(execute=True):
        record_recalculation(
            actor=perf,
            kpi=kpi,
            org_unit_id=stored().org_unit_id,
            month=date(2021, 4, 1),
            reason="Series resumes after the 2019-21 gap in published data",
        )
    points = list(stored().points.order_by("month"))
    assert {p.segment for p in points} == {0, 1}
    assert next(p for p in points if p.month == date(2021, 4, 1)).segment == 1
    assert AuditEvent.objects.filter(verb="recalculated", actor="perf").exists()


def test_a_recalculation_needs_a_reason(demo):
    from kpis.services.spc import record_recalculation

    with pytest.raises(ValidationError, match="Say why"):
        record_recalculation(
            actor=User.objects.get(username="perf"),
            kpi=Kpi.objects.get(code="AE-4H"),
            org_unit_id=stored().org_unit_id,
            month=date(2021, 4, 1),
            reason="  ",
        )
    assert not Recalculation.objects.exists()
