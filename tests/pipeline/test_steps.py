"""The pipeline's plan: merging the runs owed together."""

from datetime import date

import pytest

from pipeline.steps import STEP_NAMES, Plan, merge, steps_from


def test_the_steps_run_in_the_documented_order():
    assert STEP_NAMES == ("spc", "ratings", "schedules", "escalations", "ipr")
    assert [s.name for s in steps_from("escalations")] == ["escalations", "ipr"]


def test_merging_takes_the_earliest_start_the_charted_kpis_and_the_earliest_month():
    merged = merge(
        [
            Plan(start="ratings", kpi_ids=None, first_month=date(2025, 6, 1)),
            Plan(start="spc", kpi_ids=(3, 1), first_month=date(2025, 7, 1)),
        ]
    )
    # a run that starts at the ratings charts nothing, so it does not widen the charts to every KPI
    assert merged == Plan(start="spc", kpi_ids=(1, 3), first_month=date(2025, 6, 1))


def test_merging_a_run_that_charts_every_kpi_charts_every_kpi():
    merged = merge([Plan(kpi_ids=(3,)), Plan(kpi_ids=None)])
    assert merged.kpi_ids is None


def test_merging_named_kpis_keeps_their_union_and_all_months_wins():
    merged = merge(
        [Plan(kpi_ids=(3, 1), first_month=None), Plan(kpi_ids=(2, 3), first_month=date(2025, 7, 1))]
    )
    assert merged == Plan(start="spc", kpi_ids=(1, 2, 3), first_month=None)


def test_merging_nothing_is_refused():
    with pytest.raises(ValueError):
        merge([])
