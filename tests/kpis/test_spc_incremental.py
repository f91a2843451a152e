"""A refresh of the stored charts rewrites only what changed, and leaves exactly what a full rebuild leaves.

On the small generated trust (all but its last month published), hypothesis chooses what changes before a
refresh: figures restated, some of the last month published, a KPI's rule set or direction, a target, a
recalculation. The stored charts after the incremental refresh must equal, column for column, those of a
rebuild of every chart from scratch.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pandas as pd
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.ingest import measurement_frame
from divisions.models import OrgUnit
from kpis.models import Kpi, Measurement, Recalculation, SpcPoint, SpcSeries, Target, Upload
from kpis.services.measurements import publish_frame
from kpis.services.spc import refresh_spc
from pmf.models import User
from tests.pipeline.small_trust import set_up
from tests.world import once_for_the_module

pytestmark = pytest.mark.django_db

SERIES_COLUMNS = [
    f.attname for f in SpcSeries._meta.concrete_fields if f.attname not in {"id", "computed_at", "inputs"}
]
POINT_COLUMNS = [f.attname for f in SpcPoint._meta.concrete_fields if f.attname not in {"id", "series_id"}]


@pytest.fixture(scope="module")
def module_small_trust(django_db_setup, django_db_blocker):
    yield from once_for_the_module(django_db_blocker, set_up)


@pytest.fixture
def trust(module_small_trust, db):
    return module_small_trust


def snapshot() -> dict[str, Any]:
    """Every stored chart and point, by KPI, unit and month: what a reader can see."""
    series = {(row["kpi_id"], row["org_unit_id"]): row for row in SpcSeries.objects.values(*SERIES_COLUMNS)}
    keys = {pk: (k, u) for pk, k, u in SpcSeries.objects.values_list("pk", "kpi_id", "org_unit_id")}
    points = {
        (*keys[row.pop("series_id")], row["month"]): row
        for row in SpcPoint.objects.values("series_id", *POINT_COLUMNS)
    }
    return {"series": series, "points": points}


def stored_rows() -> dict[tuple[int, int], tuple[int, str]]:
    """Each chart's row id and input digest, by KPI and unit."""
    return {
        (k, u): (pk, d)
        for k, u, pk, d in SpcSeries.objects.values_list("kpi_id", "org_unit_id", "pk", "inputs")
    }


def _restate(trust: Any, picks: list[tuple[int, float]], *, month: str | None = None) -> None:
    """Publish team rows again with their figures scaled (a restatement), or publish some of ``month``."""
    rows = trust.measurements
    rows = rows[rows["month"] == pd.Timestamp(month)] if month else rows[rows["month"] < rows["month"].max()]
    chosen = rows.iloc[[i % len(rows) for i, _ in picks]].copy()
    factors = [f for _, f in picks]
    chosen["value"] = chosen["value"] * factors
    chosen["numerator"] = chosen["numerator"] * factors
    chosen = chosen.drop_duplicates(["kpi_code", "org_code", "month"])
    upload = Upload.objects.create(sha256=f"test-{uuid.uuid4().hex}", status="valid")
    publish_frame(actor=None, upload=upload, frame=measurement_frame(chosen, is_synthetic=True))


changes = st.fixed_dictionaries(
    {
        "restated": st.lists(
            st.tuples(st.integers(0, 10_000), st.sampled_from([0.5, 1.25, 2.0])), max_size=4
        ),
        "new_month": st.lists(st.tuples(st.integers(0, 10_000), st.just(1.0)), max_size=4),
        "rule_sets": st.lists(st.integers(0, 11), max_size=2),
        "directions": st.lists(st.integers(0, 11), max_size=2),
        "targets": st.lists(st.tuples(st.integers(0, 11), st.sampled_from([0.5, 1.5])), max_size=2),
        "recalculations": st.lists(st.tuples(st.integers(0, 10_000), st.integers(3, 12)), max_size=2),
    }
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)
@given(change=changes)
def test_an_incremental_refresh_stores_what_a_full_rebuild_stores(trust, change):
    with transaction.atomic():
        refresh_spc(everything=True)
        before = stored_rows()
        kpis = list(Kpi.objects.order_by("code"))
        if change["restated"]:
            _restate(trust, change["restated"])
        if change["new_month"]:
            _restate(trust, change["new_month"], month=str(trust.measurements["month"].max().date()))
        for i in change["rule_sets"]:
            kpi = kpis[i % len(kpis)]
            Kpi.objects.filter(pk=kpi.pk).update(
                spc_rule_set="plotthedots" if kpi.spc_rule_set == "mdc" else "mdc"
            )
        for i in change["directions"]:
            kpi = kpis[i % len(kpis)]
            Kpi.objects.filter(pk=kpi.pk).update(
                direction="lower_is_better" if kpi.direction == "higher_is_better" else "higher_is_better"
            )
        for i, factor in change["targets"]:
            for target in Target.objects.filter(kpi=kpis[i % len(kpis)]):
                Target.objects.filter(pk=target.pk).update(value=target.value * factor)
        charts = list(
            SpcSeries.objects.order_by("kpi_id", "org_unit_id").values_list("kpi_id", "org_unit_id")
        )
        perf = User.objects.get(username="perf")
        for i, months_in in change["recalculations"]:
            kpi_id, unit_id = charts[i % len(charts)]
            first = SpcSeries.objects.get(kpi_id=kpi_id, org_unit_id=unit_id).first_month
            month = date(
                first.year + (first.month - 1 + months_in) // 12, (first.month - 1 + months_in) % 12 + 1, 1
            )
            Recalculation.objects.get_or_create(
                kpi_id=kpi_id,
                org_unit_id=unit_id,
                month=month,
                defaults={"reason": "test", "recorded_by": perf},
            )

        result = refresh_spc()
        incremental, after = snapshot(), stored_rows()
        refresh_spc(everything=True)
        rebuilt = snapshot()
        assert incremental["series"].keys() == rebuilt["series"].keys()
        assert incremental == rebuilt
        # A chart whose inputs did not change is the very row stored before; the others were written anew.
        kept = {k for k, (pk, digest) in after.items() if before.get(k, (0, ""))[1] == digest}
        assert all(after[k][0] == before[k][0] for k in kept)
        assert result.series == len(after) - len(kept) and result.unchanged == len(kept)
        if not any(change.values()):
            assert result.series == 0 and result.removed == 0
        transaction.set_rollback(True)


def test_a_refresh_with_nothing_changed_writes_nothing_and_keeps_every_chart(trust):
    refresh_spc()
    stored = dict(SpcSeries.objects.values_list("pk", "computed_at"))
    result = refresh_spc()
    assert (result.series, result.points, result.removed) == (0, 0, 0)
    assert result.unchanged == len(stored)
    assert dict(SpcSeries.objects.values_list("pk", "computed_at")) == stored


def test_a_new_month_for_one_kpi_rewrites_only_that_kpis_charts(trust):
    refresh_spc()
    kpi = Kpi.objects.order_by("code").first()
    others = dict(SpcSeries.objects.exclude(kpi=kpi).values_list("pk", "computed_at"))
    rows = trust.measurements
    latest = rows[(rows["month"] == rows["month"].max()) & (rows["kpi_code"] == kpi.code)]
    upload = Upload.objects.create(sha256=f"test-{uuid.uuid4().hex}", status="valid")
    publish_frame(actor=None, upload=upload, frame=measurement_frame(latest, is_synthetic=True))
    result = refresh_spc()
    assert result.series == SpcSeries.objects.filter(kpi=kpi).count() > 0
    assert dict(SpcSeries.objects.exclude(kpi=kpi).values_list("pk", "computed_at")) == others


def test_a_series_with_no_published_value_left_loses_its_chart(trust):
    refresh_spc()
    unit = OrgUnit.objects.filter(level="team").order_by("code").first()
    kpi_id = SpcSeries.objects.filter(org_unit=unit).values_list("kpi_id", flat=True).first()
    Measurement.objects.filter(kpi_id=kpi_id, org_unit=unit).delete()
    result = refresh_spc(kpi_ids=[kpi_id])
    assert result.removed == 1
    assert not SpcSeries.objects.filter(kpi_id=kpi_id, org_unit=unit).exists()
