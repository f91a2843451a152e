"""How two KPIs' monthly series move together, month by month and with one a few months behind the other.

Pure: no Django. numpy only. The method is written out in docs/strategy.md ("Lead and lag indicators").

A relationship reads "the lead moves first, the lag follows ``delay`` months later". At lag ``k`` the lead's
value for month ``m`` is paired with the lag's value for month ``m + k``; only months where both have a value
are paired, so a gap in either series (a month not published) drops that pair rather than sliding the rest.

What is reported at each lag:

1. The number of paired months ``n``.
2. Below ``MIN_PAIRS`` (24) pairs, nothing more: two years of months is the least on which a monthly
   correlation says anything a Board could act on, and a shorter run is easily a season or a single winter.
   The result has no ``r`` at all, so no page can show one as a finding.
3. Otherwise Pearson's ``r`` and its 95% confidence interval by Fisher's z transform:
   ``z = atanh(r)``, standard error ``1 / sqrt(n - 3)``, interval ``tanh(z ± 1.96 × se)``.
4. A series that does not vary over the paired months has no ``r`` (it is undefined), said as such.

A correlation is never evidence of cause: two series that both follow winter pressure, or both trend over
the years, move together without one driving the other. The words on the pages say "moves with".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from pmf.periods import add_months

MIN_PAIRS = 24
LAGS: tuple[int, ...] = tuple(range(7))  # 0 to 6 months
Z_95 = 1.959963984540054  # the normal distribution's 97.5th centile
# The suggestion list's bar (docs/strategy.md): strong, and its interval clear of zero.
SUGGESTION_THRESHOLD = 0.6

Series = Mapping[date, float]
Verdict = Literal["too_few", "no_variation", "moves_with", "no_clear_relation"]


@dataclass(frozen=True, slots=True)
class LagCorrelation:
    """The correlation at one lag: ``r`` and its interval only where there are enough pairs to say so."""

    lag: int
    pairs: int
    r: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def enough_pairs(self) -> bool:
        return self.pairs >= MIN_PAIRS

    @property
    def excludes_zero(self) -> bool:
        """The 95% interval lies wholly on one side of zero."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def verdict(self) -> Verdict:
        if not self.enough_pairs:
            return "too_few"
        if self.r is None:
            return "no_variation"
        return "moves_with" if self.excludes_zero else "no_clear_relation"

    def is_strong(self, threshold: float = SUGGESTION_THRESHOLD) -> bool:
        """Strong enough to suggest: enough pairs, ``|r|`` at least the threshold, the interval clear of 0."""
        return self.r is not None and abs(self.r) >= threshold and self.excludes_zero


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float | None:
    """Pearson's r of two equally long series; None where either does not vary or there are under 3 pairs."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"the series differ in length: {a.size} and {b.size}")
    if a.size < 3:
        return None
    da, db = a - a.mean(), b - b.mean()
    scale = math.sqrt(float(np.dot(da, da)) * float(np.dot(db, db)))
    if scale == 0.0 or not math.isfinite(scale):
        return None
    return max(-1.0, min(1.0, float(np.dot(da, db)) / scale))


def fisher_interval(r: float, pairs: int, z: float = Z_95) -> tuple[float, float]:
    """The confidence interval of ``r`` from ``pairs`` pairs by Fisher's z transform (needs 4 pairs or more).

    An ``r`` of exactly ±1 has an infinite z: its interval is the point itself.
    """
    if pairs < 4:
        raise ValueError("Fisher's interval needs at least 4 pairs")
    if abs(r) >= 1.0:
        return r, r
    centre, spread = math.atanh(r), z / math.sqrt(pairs - 3)
    return math.tanh(centre - spread), math.tanh(centre + spread)


def paired(lead: Series, lag: Series, delay: int) -> tuple[np.ndarray, np.ndarray]:
    """The lead's months paired with the lag's ``delay`` months later, oldest first, where both have one."""
    months = sorted(m for m in lead if add_months(m, delay) in lag)
    return (
        np.array([lead[m] for m in months], dtype=float),
        np.array([lag[add_months(m, delay)] for m in months], dtype=float),
    )


def _numbered(series: Series) -> dict[int, float]:
    """The series keyed by a running month number, so a lag is an addition (the scan pairs many series)."""
    return {m.year * 12 + m.month - 1: v for m, v in series.items()}


def _paired_numbered(
    lead: Mapping[int, float], lag: Mapping[int, float], delay: int
) -> tuple[np.ndarray, np.ndarray]:
    months = sorted(m for m in lead if m + delay in lag)
    return (
        np.array([lead[m] for m in months], dtype=float),
        np.array([lag[m + delay] for m in months], dtype=float),
    )


def correlation_at(lead: Series, lag: Series, delay: int) -> LagCorrelation:
    """The correlation at one lag (see the module docstring for what is and is not reported)."""
    return _correlation(*paired(lead, lag, delay), delay)


def _correlation(x: np.ndarray, y: np.ndarray, delay: int) -> LagCorrelation:
    if x.size < MIN_PAIRS:
        return LagCorrelation(lag=delay, pairs=int(x.size))
    r = pearson(x, y)
    if r is None:
        return LagCorrelation(lag=delay, pairs=int(x.size))
    low, high = fisher_interval(r, int(x.size))
    return LagCorrelation(lag=delay, pairs=int(x.size), r=r, low=low, high=high)


def lagged_correlations(lead: Series, lag: Series, lags: Iterable[int] = LAGS) -> list[LagCorrelation]:
    """The correlation at each lag, in the order given (0 to 6 months by default)."""
    return [correlation_at(lead, lag, delay) for delay in lags]


def best_lag(correlations: Iterable[LagCorrelation]) -> LagCorrelation | None:
    """The lag with the largest ``|r|`` among those with enough pairs; the shorter lag on a tie; None if
    no lag has an ``r``."""
    found = [c for c in correlations if c.r is not None]
    if not found:
        return None
    return min(found, key=lambda c: (-abs(c.r or 0.0), c.lag))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair of KPIs whose series move together strongly at some lag: a suggestion, never a finding of
    cause."""

    lead: int
    lag: int
    best: LagCorrelation


def strong_pairs(
    series: Mapping[int, Series],
    *,
    leave_out: Iterable[tuple[int, int]] = (),
    threshold: float = SUGGESTION_THRESHOLD,
    lags: Sequence[int] = LAGS,
) -> list[Candidate]:
    """Every pair of series that moves together strongly at some lag, strongest first.

    1. For each ordered pair (a, b) of different series, the correlations of a leading b at each lag.
       At lag 0 a leading b is b leading a, so it is counted once, for the pair whose first id is the
       smaller. Every pair's r at a lag is screened at once, as matrices (``_screen``); a pair that passes
       is worked out again exactly, one pair at a time, and kept only if it is strong
       (``LagCorrelation.is_strong``).
    2. Keep the ordered pair's strongest lag (``best_lag``).
    3. Of the two directions of one pair keep the stronger; a pair in ``leave_out`` (either way round:
       already recorded, accepted or rejected) is not suggested.
    4. Strongest ``|r|`` first, then more pairs first, then by ids, so the list reads the same each time.
    """
    skipped = {frozenset(pair) for pair in leave_out}
    ids = sorted(series)
    numbered = {i: _numbered(series[i]) for i in ids}
    strong: dict[tuple[int, int], list[LagCorrelation]] = {}
    for delay, a, b in _screen(ids, numbered, lags, threshold):
        if frozenset((a, b)) in skipped or (delay == 0 and a > b):
            continue
        exact = _correlation(*_paired_numbered(numbered[a], numbered[b], delay), delay)
        if exact.is_strong(threshold):
            strong.setdefault((a, b), []).append(exact)
    best: dict[frozenset[int], Candidate] = {}
    for (a, b), found in sorted(strong.items()):
        top = best_lag(found)
        held = best.get(frozenset((a, b)))
        if top is not None and (held is None or abs(top.r or 0.0) > abs(held.best.r or 0.0)):
            best[frozenset((a, b))] = Candidate(lead=a, lag=b, best=top)
    return sorted(
        best.values(), key=lambda c: (-abs(c.best.r or 0.0), -c.best.pairs, c.lead, c.lag, c.best.lag)
    )


SCREEN_MARGIN = 1e-6  # the screen lets through a pair a rounding error short of the threshold


def _screen(
    ids: Sequence[int], numbered: Mapping[int, Mapping[int, float]], lags: Sequence[int], threshold: float
) -> list[tuple[int, int, int]]:
    """(lag, a, b) for every ordered pair whose r at that lag may reach the threshold on enough pairs.

    1. Lay the series out as a matrix, a row per month and a column per series, with NaN where a month has
       no value, and centre each column on its mean (so the sums below lose no precision to large values).
    2. At lag k, pair rows 0..T-k of the lead with rows k..T of the lag. For every pair of columns at once,
       from matrix products over the months where both have a value: the number of pairs n, and the sums
       of x, y, x², y² and xy, hence r.
    3. Keep the pairs with n at least ``MIN_PAIRS`` and |r| within ``SCREEN_MARGIN`` of the threshold; the
       caller works each out again exactly, so the screen decides nothing but what to look at.
    """
    months = sorted({m for i in ids for m in numbered[i]})
    if not months:
        return []
    first, span = months[0], months[-1] - months[0] + 1
    values = np.full((span, len(ids)), np.nan)
    for column, i in enumerate(ids):
        for month, value in numbered[i].items():
            values[month - first, column] = value
    present = ~np.isnan(values)
    counts = present.sum(axis=0)
    means = np.divide(np.nansum(values, axis=0), counts, out=np.zeros(len(ids)), where=counts > 0)
    centred = np.where(present, values - means, 0.0)
    found: list[tuple[int, int, int]] = []
    for delay in lags:
        if delay >= span:
            continue
        x, y = centred[: span - delay], centred[delay:]
        has_x, has_y = present[: span - delay].astype(float), present[delay:].astype(float)
        n = has_x.T @ has_y
        with np.errstate(divide="ignore", invalid="ignore"):
            sx, sy = x.T @ has_y, has_x.T @ y
            cov = x.T @ y - sx * sy / n
            var_x = (x * x).T @ has_y - sx * sx / n
            var_y = has_x.T @ (y * y) - sy * sy / n
            r = cov / np.sqrt(var_x * var_y)
        passing = (n >= MIN_PAIRS) & (np.abs(np.nan_to_num(r)) >= threshold - SCREEN_MARGIN)
        for a, b in zip(*np.nonzero(passing), strict=True):
            if a != b:
                found.append((delay, ids[int(a)], ids[int(b)]))
    return found
