import numpy as np
import pandas as pd
import pytest

from kpis.plans import resolve_plans

NAN = np.nan


def targets(*rows):
    return pd.DataFrame(
        rows, columns=["kpi_id", "unit_id", "financial_year", "effective_from", "value", "tolerance"]
    ).astype({"unit_id": float})


NO_TRAJECTORY = pd.DataFrame(columns=["kpi_id", "unit_id", "month", "value"])


def plan(month, unit=1, t=None, trajectories=NO_TRAJECTORY):
    requests = pd.DataFrame([(1, unit, pd.Timestamp(month))], columns=["kpi_id", "unit_id", "month"])
    row = resolve_plans(requests, t, trajectories).iloc[0]
    return None if pd.isna(row["plan"]) else row["plan"]


YEARLY = targets(
    (1, NAN, "2024/25", "2024-04-01", 78.0, 2.0),
    (1, NAN, "2025/26", "2025-04-01", 78.0, 2.0),
    (1, NAN, "2025/26", "2025-10-01", 80.0, 2.0),  # raised mid-year
    (1, 7, "2025/26", "2025-04-01", 70.0, 0.0),  # a unit's own target
)


@pytest.mark.parametrize(
    ("month", "unit", "expected"),
    [
        ("2025-03-01", 1, 78.0),
        ("2025-09-01", 1, 78.0),
        ("2025-10-01", 1, 80.0),
        ("2026-03-01", 1, 80.0),
        ("2025-10-01", 7, 70.0),  # own target beats the all-units one, even a later one
        ("2026-04-01", 1, None),  # no target agreed for 2026/27
        ("2024-03-01", 1, None),
    ],
)
def test_target_in_force(month, unit, expected):
    assert plan(month, unit, YEARLY) == expected


def test_trajectory_is_the_plan_where_it_exists():
    trajectory = pd.DataFrame(
        [(1, 1, pd.Timestamp("2025-06-01"), 74.5)], columns=["kpi_id", "unit_id", "month", "value"]
    )
    assert plan("2025-06-01", 1, YEARLY, trajectory) == 74.5
    assert plan("2025-07-01", 1, YEARLY, trajectory) == 78.0


def test_rows_keep_their_order_and_count():
    requests = pd.DataFrame(
        [
            (1, 1, pd.Timestamp("2025-10-01")),
            (1, 7, pd.Timestamp("2025-10-01")),
            (2, 1, pd.Timestamp("2025-10-01")),
        ],
        columns=["kpi_id", "unit_id", "month"],
    )
    out = resolve_plans(requests, YEARLY, NO_TRAJECTORY)
    assert out["plan"].tolist()[:2] == [80.0, 70.0] and pd.isna(out["plan"].iloc[2])
