"""The roll-up arithmetic (DESIGN §4.2), against hand-worked cases and a plain oracle."""

import numpy as np
import pandas as pd
import pytest

from kpis.rollup import roll_up

APR, MAY = pd.Timestamp("2025-04-01"), pd.Timestamp("2025-05-01")
# trust 1 → divisions 10, 20 → services 11, 12 (under 10), 21 (under 20)
PARENTS = {1: np.nan, 10: 1, 20: 1, 11: 10, 12: 10, 21: 20}
DEPTHS = {1: 0, 10: 1, 20: 1, 11: 2, 12: 2, 21: 2}
KPIS = pd.DataFrame(
    [(1, "ratio", 100.0), (2, "sum", 1.0), (3, "none", 1.0), (4, "mean_weighted", 1.0)],
    columns=["kpi_id", "aggregation", "scale"],
)


def structure(months=(APR, MAY)):
    return pd.DataFrame(
        [(u, m, p, DEPTHS[u]) for u, p in PARENTS.items() for m in months],
        columns=["unit_id", "month", "parent_id", "depth"],
    )


def submitted(rows):
    return pd.DataFrame(rows, columns=["kpi_id", "unit_id", "month", "numerator", "denominator", "value"])


def value_of(result, kpi, unit, month=APR):
    row = result[(result.kpi_id == kpi) & (result.unit_id == unit) & (result.month == month)]
    return row.iloc[0] if len(row) else None


def test_ratio_is_sum_of_numerators_over_sum_of_denominators_not_mean_of_percentages():
    data = submitted([(1, 11, APR, 90, 100, 90.0), (1, 12, APR, 10, 100 / 5, 50.0)])  # 90% of 100, 50% of 20
    result = roll_up(data, structure([APR]), KPIS)
    assert value_of(result, 1, 10).value == pytest.approx(100 * 100 / 120)  # 83.3%, not the mean 70%
    assert value_of(result, 1, 1).value == pytest.approx(100 * 100 / 120)


def test_sum_adds_numerators_and_accepts_a_value_alone():
    data = submitted(
        [(2, 11, APR, 3, np.nan, 3.0), (2, 12, APR, np.nan, np.nan, 4.0), (2, 21, APR, 5, np.nan, 5)]
    )
    result = roll_up(data, structure([APR]), KPIS)
    assert value_of(result, 2, 10).value == 7
    assert value_of(result, 2, 1).value == 12


def test_non_aggregable_kpis_are_never_computed():
    data = submitted([(3, 11, APR, np.nan, np.nan, 42.0)])
    assert roll_up(data, structure([APR]), KPIS).empty


def test_a_units_own_submission_wins_over_its_children():
    data = submitted([(1, 11, APR, 90, 100, 90.0), (1, 10, APR, 70, 100, 70.0)])
    result = roll_up(data, structure([APR]), KPIS)
    assert value_of(result, 1, 10) is None
    assert value_of(result, 1, 1).value == pytest.approx(70.0)


def test_missing_child_makes_the_rollup_incomplete():
    data = submitted([(1, 11, APR, 9, 10, 90.0), (1, 12, APR, 5, 10, 50.0), (1, 11, MAY, 8, 10, 80.0)])
    result = roll_up(data, structure(), KPIS)
    april, may = value_of(result, 1, 10, APR), value_of(result, 1, 10, MAY)
    assert (april.children_contributing, april.children_expected) == (2, 2)
    assert (may.children_contributing, may.children_expected) == (1, 2)
    assert may.value == pytest.approx(80.0)


def test_a_child_that_never_reports_the_kpi_is_not_expected():
    data = submitted([(1, 11, APR, 9, 10, 90.0)])
    row = value_of(roll_up(data, structure([APR]), KPIS), 1, 10)
    assert (row.children_contributing, row.children_expected) == (1, 1)


def test_a_sum_with_no_denominator_anywhere_rolls_up_as_the_database_gives_it():
    """Read from the database, a month with no denominator at all is a column of None (object dtype), not NaN:
    the first month of a summed KPI that one unit reported raised ZeroDivisionError here."""
    data = pd.DataFrame(
        [(2, 11, APR.date(), 3.0, None, 3.0)],
        columns=["kpi_id", "unit_id", "month", "numerator", "denominator", "value"],
    )
    result = roll_up(data, structure([APR]), KPIS)
    for unit in (10, 1):
        row = value_of(result, 2, unit)
        assert (row.value, row.children_contributing, row.children_expected) == (3.0, 1, 1)
        assert np.isnan(row.denominator)


def test_weighted_mean_weights_by_denominator():
    # mean response 100 s over 10 incidents and 200 s over 30 incidents: Σtime / Σincidents
    data = submitted([(4, 11, APR, 1000, 10, 100.0), (4, 12, APR, 6000, 30, 200.0)])
    assert value_of(roll_up(data, structure([APR]), KPIS), 4, 10).value == pytest.approx(175.0)


def oracle(data, months):
    """Plain recursion: a unit's value is its own, else the aggregate of its children's values."""
    children = {}
    for unit, parent in PARENTS.items():
        if not np.isnan(parent):
            children.setdefault(int(parent), []).append(unit)
    own = {(r.kpi_id, r.unit_id, r.month): r for r in data.itertuples()}

    def value(kpi, unit, month):
        if (kpi, unit, month) in own:
            r = own[(kpi, unit, month)]
            return r.numerator, r.denominator
        parts = [value(kpi, c, month) for c in children.get(unit, [])]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return sum(p[0] for p in parts), sum(p[1] for p in parts)

    out = {}
    for unit in children:
        for month in months:
            if (1, unit, month) not in own and (v := value(1, unit, month)) is not None:
                out[(unit, month)] = 100 * v[0] / v[1]
    return out


@pytest.mark.parametrize("seed", range(20))
def test_rollup_agrees_with_a_plain_recursive_oracle(seed):
    rng = np.random.default_rng(seed)
    months = [APR, MAY]
    rows = []
    for unit in PARENTS:
        for month in months:
            if rng.random() < (0.8 if DEPTHS[unit] == 2 else 0.15):
                den = float(rng.integers(1, 500))
                num = float(rng.integers(0, int(den) + 1))
                rows.append((1, unit, month, num, den, 100 * num / den))
    data = submitted(rows)
    result = roll_up(data, structure(months), KPIS)
    got = {(r.unit_id, r.month): r.value for r in result.itertuples()}
    expected = oracle(data, months)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value)
