"""The demonstration trust loaded without its latest month, and that real month as a file to submit."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from demo.services import FIXTURES, load_demo_trust

LATEST_MONTH = "2025-07-01"
SUBMITTED_COLUMNS = ["kpi_code", "org_code", "month", "numerator", "denominator", "value"]


def load_demo_without_latest_month(folder: Path) -> bytes:
    """Load RWD without its July 2025 rows (its national series as shipped); return those real rows as a CSV
    to upload."""
    shutil.copytree(FIXTURES / "rwd", folder / "rwd")
    shutil.copytree(FIXTURES / "national", folder / "national")  # the trust's NHS England files, beside it
    path = folder / "rwd" / "measurements.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    latest = frame["month"] == LATEST_MONTH
    frame[~latest].to_csv(path, index=False)
    load_demo_trust(trust="rwd", fixtures=folder)
    month = frame.loc[latest, SUBMITTED_COLUMNS].assign(month="2025-07")
    return month.to_csv(index=False).encode("utf-8")


def loading_the_demo_without_latest_month(tmp_path_factory: Any) -> Callable[[], bytes]:
    """The load of the session's "july" data set (``tests.data_sets``), in a folder of its own."""
    return lambda: load_demo_without_latest_month(tmp_path_factory.mktemp("july"))
