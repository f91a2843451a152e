"""Predictive performance: the next few months of a monthly KPI series, with the chance of meeting plan.

Pure: numbers in, typed results out, no Django.

The method is **exponential smoothing with a damped additive trend** — the ETS(A,Ad,N) state-space model
of Hyndman et al., *Forecasting with Exponential Smoothing* (2008) — which includes simple exponential
smoothing (no trend) as a special case. Every month the model keeps a level and a trend:

    forecast for t      ŷ(t)  = level(t-1) + φ · trend(t-1)
    error               e(t)  = y(t) − ŷ(t)
    new level           level(t) = ŷ(t) + α · e(t)
    new trend           trend(t) = φ · trend(t-1) + β · e(t)

1. Start the level at the first value and the trend at zero; a missing month carries the state forward
   without an error (a gap neither teaches nor misleads the model).
2. Fit by trying every combination on a fixed grid of α (how fast the level follows the data), β (how fast
   the trend does, 0 = no trend: simple exponential smoothing) and φ (how quickly a trend dies away), and keep
   the one with the lowest AIC over the one-step-ahead errors — a trend must earn its two extra parameters.
   The grid is searched for many series at once with array arithmetic, so a whole catalogue costs
   milliseconds.
3. Forecast h months ahead as level + (φ + φ² + … + φʰ) · trend. The forecast error's variance is
   σ² · (1 + Σⱼ₌₁ʰ⁻¹ cⱼ²) with cⱼ = α + β(φ + … + φʲ), σ² the variance of the one-step errors; errors are
   taken as normal.
4. Most likely = the forecast; best and worst case = the ends of the central 80% prediction interval,
   oriented by the KPI's direction (for higher-is-better the best case is the upper end). The probability of
   meeting plan is the normal probability of landing on the right side of the plan.

Seasonality is not modelled: a seasonal swing shows up as wider intervals rather than a seasonal forecast
(tested in tests/kpis/test_forecast.py). docs/ipr.md explains the method and its calibration on the real A&E
series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

HORIZON = 3
COVERAGE = 0.8
MIN_POINTS = 12  # as SPC: fewer values than this give no limits and no forecast

ALPHAS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
BETAS = (0.05, 0.15)
PHIS = (0.9, 0.98)


@dataclass(frozen=True, slots=True)
class Smoothing:
    """One point of the parameter grid: β = 0 is simple exponential smoothing."""

    alpha: float
    beta: float
    phi: float

    @property
    def n_parameters(self) -> int:
        # the initial level, α, and for a trend model β and φ
        return 2 if self.beta == 0 else 4

    @property
    def method(self) -> str:
        if self.beta == 0:
            return f"simple exponential smoothing (α = {self.alpha:g})"
        return f"damped-trend exponential smoothing (α = {self.alpha:g}, β = {self.beta:g}, φ = {self.phi:g})"


GRID: tuple[Smoothing, ...] = (
    *(Smoothing(a, 0.0, 1.0) for a in ALPHAS),
    *(Smoothing(a, b, p) for a in ALPHAS for b in BETAS for p in PHIS if b <= a),
)


# Only a clear chance either way is called likely or unlikely; in between, a forecast says so.
LIKELY_FROM = 0.7
UNLIKELY_UP_TO = 0.3


def chance_in_words(probability: float | None) -> str | None:
    """The chance of meeting a plan in words: likely from 70%, unlikely up to 30%; None without a plan."""
    if probability is None:
        return None
    if probability >= LIKELY_FROM:
        return "Likely to meet"
    if probability <= UNLIKELY_UP_TO:
        return "Unlikely to meet"
    return "About as likely as not to meet"


@dataclass(frozen=True, slots=True)
class MonthForecast:
    """One month ahead: the forecast, its 80% interval and, with a plan, the chance of meeting it."""

    step: int
    most_likely: float
    low: float
    high: float
    best_case: float | None
    worst_case: float | None
    plan: float | None
    probability_of_meeting_plan: float | None

    @property
    def likely_to_meet_plan(self) -> bool | None:
        p = self.probability_of_meeting_plan
        return None if p is None else p >= 0.5


@dataclass(frozen=True, slots=True)
class Forecast:
    smoothing: Smoothing
    sigma: float
    n_values: int
    months: tuple[MonthForecast, ...]

    @property
    def method(self) -> str:
        return self.smoothing.method

    @property
    def next_month(self) -> MonthForecast:
        return self.months[0]


def normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def normal_quantile(p: float) -> float:
    """The standard normal quantile, by bisection on `normal_cdf` (exact enough for interval ends)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    low, high = -10.0, 10.0
    for _ in range(80):
        middle = (low + high) / 2
        if normal_cdf(middle) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _as_matrix(series: Sequence[Sequence[float | None]]) -> np.ndarray:
    """Right-aligned (latest month last) values of every series, NaN where missing or before the start."""
    width = max((len(s) for s in series), default=0)
    matrix = np.full((len(series), width), np.nan)
    for row, values in enumerate(series):
        if len(values):
            matrix[row, width - len(values) :] = [np.nan if v is None else float(v) for v in values]
    return matrix


def fit_many(series: Sequence[Sequence[float | None]]) -> list[tuple[Smoothing, float, float, float] | None]:
    """For each series, the best grid point and the final (level, trend) and σ; None for too few values.

    1. Lay the series out as a (series × month) matrix and the grid as a vector of α, β, φ.
    2. Run the smoothing recursion over the months once, for every series and grid point together.
    3. Score each grid point by AIC = n·log(SSE/n) + 2k over the one-step errors; keep the lowest.
    """
    matrix = _as_matrix(series)
    n_series, width = matrix.shape
    alpha = np.array([g.alpha for g in GRID])[None, :]
    beta = np.array([g.beta for g in GRID])[None, :]
    phi = np.array([g.phi for g in GRID])[None, :]
    level = np.full((n_series, len(GRID)), np.nan)
    trend = np.zeros((n_series, len(GRID)))
    sse = np.zeros((n_series, len(GRID)))
    n_errors = np.zeros(n_series)
    for t in range(width):
        y = matrix[:, t][:, None]
        observed = ~np.isnan(y)
        started = ~np.isnan(level)
        predicted = level + phi * trend
        error = np.where(observed & started, y - predicted, 0.0)
        sse += error**2
        n_errors += (observed & started)[:, 0]
        new_level = np.where(started, predicted + alpha * error, np.where(observed, y, np.nan))
        trend = np.where(started, phi * trend + beta * error, 0.0)
        level = new_level
    n_values = (~np.isnan(matrix)).sum(axis=1)
    k = np.array([g.n_parameters for g in GRID])[None, :]
    n = np.maximum(n_errors, 1)[:, None]
    aic = n * np.log(np.maximum(sse / n, 1e-12)) + 2 * k
    best = np.argmin(aic, axis=1)
    fits: list[tuple[Smoothing, float, float, float] | None] = []
    for row in range(n_series):
        if n_values[row] < MIN_POINTS:
            fits.append(None)
            continue
        g = int(best[row])
        dof = max(n_errors[row] - GRID[g].n_parameters, 1)
        sigma = math.sqrt(float(sse[row, g]) / dof)
        fits.append((GRID[g], float(level[row, g]), float(trend[row, g]), sigma))
    return fits


def _oriented(low: float, high: float, direction: str) -> tuple[float | None, float | None]:
    if direction == "higher_is_better":
        return high, low
    if direction == "lower_is_better":
        return low, high
    return None, None


def probability_of_meeting(mean: float, sd: float, plan: float | None, direction: str) -> float | None:
    """The chance that a normal(mean, sd) value meets ``plan`` for the direction (None: nothing to meet)."""
    if plan is None or direction not in ("higher_is_better", "lower_is_better"):
        return None
    if sd <= 0:
        met = mean >= plan if direction == "higher_is_better" else mean <= plan
        return 1.0 if met else 0.0
    below = normal_cdf((plan - mean) / sd)
    return 1.0 - below if direction == "higher_is_better" else below


def project(
    fit: tuple[Smoothing, float, float, float],
    *,
    direction: str,
    plans: Sequence[float | None] = (),
    horizon: int = HORIZON,
    coverage: float = COVERAGE,
    bounds: tuple[float | None, float | None] = (None, None),
    n_values: int = 0,
) -> Forecast:
    """The next ``horizon`` months from a fitted model; ``bounds`` clip impossible values (e.g. 0–100%)."""
    smoothing, level, trend, sigma = fit
    z = normal_quantile(0.5 + coverage / 2)
    lower_bound, upper_bound = bounds

    def clip(value: float) -> float:
        if lower_bound is not None:
            value = max(value, lower_bound)
        if upper_bound is not None:
            value = min(value, upper_bound)
        return value

    months = []
    damping = 0.0  # φ + φ² + … + φʰ
    spread = 0.0  # Σ cⱼ² for j < h
    for h in range(1, horizon + 1):
        damping += smoothing.phi**h
        if h > 1:
            c = smoothing.alpha + smoothing.beta * sum(smoothing.phi**i for i in range(1, h))
            spread += c * c
        mean = level + damping * trend
        sd = sigma * math.sqrt(1.0 + spread)
        low, high = clip(mean - z * sd), clip(mean + z * sd)
        best, worst = _oriented(low, high, direction)
        plan = plans[h - 1] if h - 1 < len(plans) else None
        months.append(
            MonthForecast(
                step=h,
                most_likely=clip(mean),
                low=low,
                high=high,
                best_case=best,
                worst_case=worst,
                plan=plan,
                probability_of_meeting_plan=probability_of_meeting(mean, sd, plan, direction),
            )
        )
    return Forecast(smoothing=smoothing, sigma=sigma, n_values=n_values, months=tuple(months))


def forecast(
    values: Sequence[float | None],
    *,
    direction: str,
    plans: Sequence[float | None] = (),
    horizon: int = HORIZON,
    coverage: float = COVERAGE,
    bounds: tuple[float | None, float | None] = (None, None),
) -> Forecast | None:
    """The next ``horizon`` months of one monthly series (oldest first), or None with under 12 values.

    ``direction`` is the catalogue's ("higher_is_better", "lower_is_better", "neutral"); ``plans`` are the
    plans for the forecast months, None where there is none.
    """
    fit = fit_many([values])[0]
    if fit is None:
        return None
    n_values = sum(v is not None and not math.isnan(v) for v in values)
    return project(
        fit,
        direction=direction,
        plans=plans,
        horizon=horizon,
        coverage=coverage,
        bounds=bounds,
        n_values=n_values,
    )
