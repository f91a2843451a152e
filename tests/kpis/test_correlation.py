"""The lagged correlation behind the relationship page and the suggestion list
(kpis.relationships.correlation)."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.relationships.correlation import (
    MIN_PAIRS,
    best_lag,
    correlation_at,
    fisher_interval,
    lagged_correlations,
    paired,
    pearson,
    strong_pairs,
)
from pmf.periods import add_months

START = date(2019, 4, 1)


def series(values, start=START):
    return {add_months(start, i): float(v) for i, v in enumerate(values)}


def test_each_lag_matches_numpy_on_a_series_that_follows_another_three_months_later():
    rng = np.random.default_rng(19)
    lead = rng.normal(50, 10, 60)
    follows = 0.8 * np.concatenate([rng.normal(50, 10, 3), lead[:-3]]) + rng.normal(0, 3, 60)

    found = lagged_correlations(series(lead), series(follows))

    for c in found:
        x, y = lead[: 60 - c.lag], follows[c.lag :]
        assert c.pairs == 60 - c.lag
        assert c.r == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-12)
    assert best_lag(found).lag == 3 and best_lag(found).r > 0.9


def test_the_interval_is_fishers_and_holds_r():
    r, n = 0.5, 40
    low, high = fisher_interval(r, n)
    se = 1 / np.sqrt(n - 3)
    assert low == pytest.approx(np.tanh(np.arctanh(r) - 1.959964 * se), abs=1e-6)
    assert high == pytest.approx(np.tanh(np.arctanh(r) + 1.959964 * se), abs=1e-6)
    assert low < r < high


def test_months_are_paired_by_the_calendar_so_a_gap_drops_pairs_rather_than_sliding_them():
    lead = series(range(30))
    lag = {m: v for m, v in series(range(30)).items() if m != add_months(START, 10)}
    x, y = paired(lead, lag, 0)
    assert len(x) == 29 and list(x) == list(y)


def test_under_24_paired_months_there_is_no_r_to_show():
    rng = np.random.default_rng(3)
    values = rng.normal(0, 1, MIN_PAIRS)
    c0, c1 = lagged_correlations(series(values), series(values), lags=[0, 1])

    assert c0.pairs == 24 and c0.r == pytest.approx(1.0) and c0.verdict == "moves_with"
    assert c1.pairs == 23 and c1.r is None and c1.low is None and c1.verdict == "too_few"
    assert not c1.is_strong()


def test_a_flat_series_has_no_r():
    c = correlation_at(series([5] * 30), series(range(30)), 0)
    assert c.r is None and c.verdict == "no_variation" and pearson([1, 1, 1], [1, 2, 3]) is None


def test_a_weak_relation_is_not_called_one():
    rng = np.random.default_rng(7)
    c = correlation_at(series(rng.normal(0, 1, 30)), series(rng.normal(0, 1, 30)), 0)
    assert c.verdict == "no_clear_relation" and c.low < 0 < c.high


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    delay=st.integers(0, 3),
    shift=st.integers(0, 3),
    length=st.integers(36, 90),
)
def test_shifting_the_following_series_shifts_the_best_lag_by_as_much(seed, delay, shift, length):
    rng = np.random.default_rng(seed)
    lead = rng.normal(0, 1, length + 12)
    follows = series(lead[: length + 12 - delay], start=add_months(START, delay))
    later = {add_months(m, shift): v for m, v in follows.items()}

    first = best_lag(lagged_correlations(series(lead), follows))
    second = best_lag(lagged_correlations(series(lead), later))

    assert first.lag == delay and second.lag == delay + shift
    assert second.r == pytest.approx(1.0)


def test_the_scan_suggests_the_strong_pair_once_at_its_lag_and_leaves_out_decided_pairs():
    rng = np.random.default_rng(11)
    a = rng.normal(0, 1, 48)
    b = np.concatenate([rng.normal(0, 1, 2), a[:-2]]) + rng.normal(0, 0.2, 48)
    noise = rng.normal(0, 1, 48)
    all_series = {1: series(a), 2: series(b), 3: series(noise)}

    found = strong_pairs(all_series)

    assert [(c.lead, c.lag, c.best.lag) for c in found] == [(1, 2, 2)]
    assert strong_pairs(all_series, leave_out=[(2, 1)]) == []


def one_pair_at_a_time(all_series, threshold=0.6):
    """The scan's rule written the slow, obvious way: every ordered pair, every lag, exactly."""
    best = {}
    for a in sorted(all_series):
        for b in sorted(all_series):
            if a == b:
                continue
            lags = [d for d in range(7) if d > 0 or a < b]
            found = best_lag(
                c for c in lagged_correlations(all_series[a], all_series[b], lags) if c.is_strong(threshold)
            )
            held = best.get(frozenset((a, b)))
            if found is not None and (held is None or abs(found.r) > abs(held[2].r)):
                best[frozenset((a, b))] = (a, b, found)
    return sorted((a, b, c.lag, round(c.r, 12)) for a, b, c in best.values())


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(2, 9))
def test_the_scan_finds_what_pairing_one_at_a_time_finds(seed, count):
    rng = np.random.default_rng(seed)
    base = rng.normal(0, 1, 50)
    all_series = {}
    for i in range(count):
        # Some series follow the first at a lag, some are noise; some months are missing; values of any size.
        lag = int(rng.integers(0, 4))
        values = np.concatenate([rng.normal(0, 1, lag), base[: 50 - lag]]) if i % 2 else rng.normal(0, 1, 50)
        values = values * 10 ** int(rng.integers(-2, 5)) + rng.normal(0, 0.3, 50) + 1000 * (i % 3)
        start = add_months(START, int(rng.integers(0, 6)))
        all_series[i] = {m: v for m, v in series(values, start).items() if rng.random() > 0.1}

    found = [(c.lead, c.lag, c.best.lag, round(c.best.r, 12)) for c in strong_pairs(all_series)]

    assert sorted(found) == one_pair_at_a_time(all_series)
