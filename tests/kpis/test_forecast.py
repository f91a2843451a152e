"""Predictive performance: exponential smoothing forecasts on series whose behaviour is known."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.forecast import fit_many, forecast, normal_cdf, normal_quantile, probability_of_meeting

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def noisy(values, sd, seed=1):
    rng = np.random.default_rng(seed)
    return list(np.asarray(values, dtype=float) + rng.normal(0, sd, len(values)))


def test_flat_series_forecasts_its_level_without_a_trend():
    values = noisy([80.0] * 48, sd=1.0)
    result = forecast(values, direction="higher_is_better", plans=[80.0, 80.0, 80.0])
    assert result.smoothing.beta == 0  # simple exponential smoothing wins: no trend to earn its keep
    for month in result.months:
        assert month.most_likely == pytest.approx(80.0, abs=1.0)
        assert 0.3 < month.probability_of_meeting_plan < 0.7  # a plan at the level is a coin toss
    # An 80% interval of a series with noise sd 1 is about ±1.28 wide at one step ahead.
    assert result.next_month.high - result.next_month.low == pytest.approx(2 * 1.2816, rel=0.35)


def test_trending_series_forecast_continues_the_trend():
    values = noisy([50 + 0.8 * t for t in range(48)], sd=0.5)
    result = forecast(values, direction="higher_is_better")
    assert result.smoothing.beta > 0
    steps = [m.most_likely for m in result.months]
    assert steps[0] > values[-1] - 1 and steps[0] < steps[1] < steps[2]
    assert steps[2] == pytest.approx(50 + 0.8 * 50, abs=2.5)


def test_seasonal_series_is_covered_by_wider_intervals_not_a_seasonal_forecast():
    """Seasonality is not modelled: its swing must widen the interval so coverage stays honest."""
    months = 72
    values = noisy([70 + 6 * math.sin(2 * math.pi * t / 12) for t in range(months)], sd=1.0, seed=3)
    hits = total = 0
    for origin in range(36, months):
        result = forecast(values[:origin], direction="higher_is_better")
        total += 1
        hits += result.next_month.low <= values[origin] <= result.next_month.high
        assert 60 < result.next_month.most_likely < 80  # never runs away with a season's slope
    assert hits / total >= 0.8 - 2 * math.sqrt(0.8 * 0.2 / total)  # within two standard errors of 80%
    flat = forecast(noisy([70.0] * 48, sd=1.0), direction="higher_is_better")
    seasonal = forecast(values, direction="higher_is_better")
    assert seasonal.sigma > flat.sigma


def test_best_and_worst_case_follow_the_direction():
    values = noisy([10.0] * 30, sd=1.0)
    up = forecast(values, direction="higher_is_better").next_month
    down = forecast(values, direction="lower_is_better").next_month
    neutral = forecast(values, direction="neutral", plans=[10.0]).next_month
    assert (up.best_case, up.worst_case) == (up.high, up.low)
    assert (down.best_case, down.worst_case) == (down.low, down.high)
    assert neutral.best_case is None and neutral.probability_of_meeting_plan is None


def test_probability_of_meeting_plan_is_oriented_and_says_whether_next_month_is_likely():
    values = noisy([90.0] * 36, sd=1.0)
    easy = forecast(values, direction="higher_is_better", plans=[85.0]).next_month
    hard = forecast(values, direction="higher_is_better", plans=[95.0]).next_month
    assert easy.probability_of_meeting_plan > 0.95 and easy.likely_to_meet_plan is True
    assert hard.probability_of_meeting_plan < 0.05 and hard.likely_to_meet_plan is False
    lower = forecast(values, direction="lower_is_better", plans=[95.0]).next_month
    assert lower.probability_of_meeting_plan > 0.95
    assert forecast(values, direction="higher_is_better").next_month.likely_to_meet_plan is None


def test_too_few_values_give_no_forecast_and_gaps_are_carried_over():
    assert forecast([1.0] * 11, direction="higher_is_better") is None
    with_gaps = [float(v) for v in range(20)]
    with_gaps[5] = with_gaps[12] = None
    result = forecast(with_gaps, direction="higher_is_better")
    assert result is not None and result.n_values == 18
    assert all(math.isfinite(m.most_likely) for m in result.months)


def test_bounds_keep_percentages_possible():
    values = noisy([99.5] * 24, sd=1.0)
    result = forecast(values, direction="higher_is_better", bounds=(0.0, 100.0))
    assert all(m.high <= 100.0 and m.most_likely <= 100.0 for m in result.months)


def test_fitting_many_series_at_once_equals_fitting_each():
    series = [noisy([50.0] * 30, 2, seed=1), noisy([t * 0.5 for t in range(40)], 0.3, seed=2), [1.0] * 5]
    together = fit_many(series)
    assert together == [fit_many([s])[0] for s in series]
    assert together[2] is None


def test_normal_helpers_agree_with_known_values():
    assert normal_cdf(0) == pytest.approx(0.5)
    assert normal_quantile(0.9) == pytest.approx(1.281552, abs=1e-5)
    assert probability_of_meeting(10, 0, 9, "higher_is_better") == 1.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=12, max_size=60),
    st.sampled_from(["higher_is_better", "lower_is_better"]),
    st.floats(min_value=-1e4, max_value=1e4),
)
def test_intervals_contain_the_forecast_widen_with_horizon_and_probabilities_are_probabilities(
    values, direction, plan
):
    result = forecast(values, direction=direction, plans=[plan] * 3)
    widths = []
    for month in result.months:
        assert month.low <= month.most_likely <= month.high
        assert 0.0 <= month.probability_of_meeting_plan <= 1.0
        widths.append(month.high - month.low)
    assert widths[0] <= widths[1] + 1e-9 <= widths[2] + 2e-9


def ae_four_hour_series():
    """The demo trust's A&E four-hour performance as NHS England published it, month by month."""
    with open(FIXTURES / "rwd" / "measurements.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kpi_code"] == "AE-4H"]
    by_month = {r["month"]: float(r["value"]) for r in rows}
    return [by_month[m] for m in sorted(by_month)]


# Rolling-origin calibration: about 64 one-month-ahead forecasts, so the binomial standard error of the
# observed coverage around 80% is √(0.8 × 0.2 / 64) ≈ 0.05. Two standard errors, ±0.10, is the tolerance:
# tighter would fail an honest method by chance, looser would let a badly calibrated one through.
CALIBRATION_TOLERANCE = 0.10


@pytest.mark.parametrize("horizon", [1, 2, 3])
def test_the_80_percent_interval_covers_about_80_percent_of_held_back_ae_months(horizon):
    values = ae_four_hour_series()
    assert len(values) >= 80
    hits = total = 0
    for origin in range(24, len(values) - horizon + 1):
        month = forecast(values[:origin], direction="higher_is_better").months[horizon - 1]
        actual = values[origin + horizon - 1]
        total += 1
        hits += month.low <= actual <= month.high
    assert total >= 60
    assert hits / total == pytest.approx(0.8, abs=CALIBRATION_TOLERANCE)
