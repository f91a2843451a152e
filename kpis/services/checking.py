"""Reading and checking a submitted file, and what publishing it would do. Writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.conf import settings
from django.utils import timezone

from ..ingest.problems import ERROR, combine
from ..ingest.reader import read_upload
from ..ingest.validate import Lookups, review_warnings, validate_rows
from ..selectors.ingest import (
    expected_rows,
    ingest_lookups,
    latest_limits,
    previous_month_values,
    published_values,
)
from ..selectors.published import KEY, VALUE_COLUMNS
from .revisions import compare_with_current

# How many restatements the preview lists (all are counted).
PREVIEW_RESTATEMENTS = 200


@dataclass(frozen=True)
class Checked:
    """A file read and checked: the rows that passed, every problem, and the months covered."""

    rows: pd.DataFrame
    problems: pd.DataFrame
    months: list[date]
    row_count: int
    lookups: Lookups | None = None

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] != ERROR]


def check_file(
    content: bytes,
    *,
    progress: Callable[[int], None] | None = None,
    lookups: Lookups | None = None,
    warnings: bool = True,
) -> Checked:
    """Read and check a file against the database as it is now; writes nothing.

    ``warnings=False`` skips the warnings (they never block), for a re-check before writing.
    """
    report = progress or (lambda percent: None)
    read = read_upload(content, max_bytes=settings.PMF_UPLOAD_MAX_BYTES)
    report(25)
    if read.rows is None:
        return Checked(rows=_empty_rows(), problems=read.problems, months=[], row_count=0)
    lookups = lookups or ingest_lookups(today=timezone.localdate())
    validated = validate_rows(read.rows, lookups)
    report(60)
    rows = validated.rows
    months = months_of(rows)
    if not warnings:
        problems = combine([read.problems, validated.problems])
        return Checked(rows=rows, problems=problems, months=months, row_count=len(read.rows), lookups=lookups)
    expected = _not_yet_published(expected_rows(months, lookups=lookups), months)
    warnings = review_warnings(
        rows,
        kpis=lookups.kpis,
        raw=read.rows,
        previous=previous_month_values(months),
        limits=latest_limits(rows["kpi_id"].unique().tolist()),
        expected=expected,
    )
    report(80)
    return Checked(
        rows=rows,
        problems=combine([read.problems, validated.problems, warnings]),
        months=months,
        row_count=len(read.rows),
        lookups=lookups,
    )


def _not_yet_published(expected: pd.DataFrame, months: list[date]) -> pd.DataFrame:
    """Expected rows less those already published: a restatement file need not repeat them."""
    published = published_values(months)[KEY]
    published["month"] = pd.to_datetime(published["month"]).astype(expected["month"].dtype)
    found = expected.merge(published, on=KEY, how="left", indicator=True)
    return expected[(found["_merge"] == "left_only").to_numpy()]


def months_of(rows: pd.DataFrame) -> list[date]:
    """The distinct months of ``rows``, in order."""
    return sorted(stamp.date() for stamp in pd.to_datetime(rows["month"]).drop_duplicates())


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=["row", *KEY, *VALUE_COLUMNS])


def with_codes(warnings: pd.DataFrame, checked: Checked) -> pd.DataFrame:
    """Each warning with the KPI, unit and month it is about, so issues raised from it link to them."""
    if warnings.empty or checked.lookups is None:
        return warnings
    by_row = checked.rows.set_index("row")
    kpi_codes = checked.lookups.kpis.set_index("kpi_id")["kpi_code"]
    unit_codes = checked.lookups.units.set_index("org_unit_id")["org_code"]
    located = warnings.assign(
        kpi_code=warnings["row"].map(by_row["kpi_id"]).map(kpi_codes),
        org_code=warnings["row"].map(by_row["org_unit_id"]).map(unit_codes),
        month=pd.to_datetime(warnings["row"].map(by_row["month"])).dt.strftime("%Y-%m"),
    )
    # A missing row has no line in the file; its value is "KPI / unit / month".
    missing = located["code"] == "missing_row"
    parts = located.loc[missing, "value"].str.split(" / ", expand=True, n=2)
    if not parts.empty:
        located.loc[missing, ["kpi_code", "org_code", "month"]] = parts.to_numpy()
    return located


def preview(rows: pd.DataFrame, *, lookups: Lookups) -> dict[str, object]:
    """What publishing these rows would do: counts by month, and restatements old → new."""
    months = months_of(rows)
    merged = compare_with_current(rows, published_values(months), extra=[])
    by_month = (
        merged.groupby("month")
        .agg(rows=("row", "size"), new=("is_new", "sum"), restated=("is_changed", "sum"))
        .reset_index()
    )
    # Labelled once per month rather than once per row.
    by_month.insert(0, "month_label", by_month.pop("month").dt.strftime("%Y-%m"))
    by_month["unchanged"] = by_month["rows"] - by_month["new"] - by_month["restated"]
    restated = merged[merged["is_changed"]].head(PREVIEW_RESTATEMENTS)
    restated = restated.assign(month_label=restated["month"].dt.strftime("%Y-%m"))
    kpi_codes = dict(zip(lookups.kpis["kpi_id"], lookups.kpis["kpi_code"], strict=True))
    unit_codes = dict(zip(lookups.units["org_unit_id"], lookups.units["org_code"], strict=True))
    # The KPI's unit, so the page writes old and new as every other page writes them.
    kpi_units = dict(zip(lookups.kpis["kpi_id"], lookups.kpis["unit"], strict=True))
    return {
        "rows": len(merged),
        "new": int(merged["is_new"].sum()),
        "restated": int(merged["is_changed"].sum()),
        "unchanged": int((~merged["is_new"] & ~merged["is_changed"]).sum()),
        "by_month": [
            {k: (int(v) if k != "month_label" else v) for k, v in r.items()}
            for r in by_month.to_dict("records")
        ],
        "restatements": [
            {
                "row": int(r["row"]),
                "kpi_code": kpi_codes.get(r["kpi_id"], ""),
                "org_code": unit_codes.get(r["org_unit_id"], ""),
                "month": r["month_label"],
                "old": float(r["value_old"]),
                "new": float(r["value"]),
                "unit": kpi_units.get(r["kpi_id"], ""),
            }
            for r in restated.to_dict("records")
        ],
    }
