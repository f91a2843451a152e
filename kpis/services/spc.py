"""Materialising SPC charts after a publish, so pages read them instead of recomputing."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet

from pmf.locks import lock_until_commit
from pmf.models import User
from pmf.services.audit import record_audit

from ..models import Kpi, Measurement, Recalculation, SpcSeries
from ..plans import REQUEST_COLUMNS
from ..selectors import plans
from ..signals import data_published, stored_data_changed
from ..spc import SpcOptions, analyse_frame
from .spc_store import remove_charts, store_charts

DIRECTIONS = {"higher_is_better": "increase", "lower_is_better": "decrease", "neutral": "neutral"}
BY = ["kpi_id", "unit_id"]
SPC_LOCK = "pmf:stored-spc"
# Part of every chart's input digest: change it whenever the engine's answers change, so that the next
# refresh computes every stored chart again.
ENGINE_VERSION = "1"


@dataclass(frozen=True)
class SpcRefreshResult:
    """What a refresh wrote: ``series`` charts of ``points`` points; ``unchanged`` charts were left as they
    were, and ``removed`` charts went with the last published value of their series."""

    series: int
    points: int
    unchanged: int = 0
    removed: int = 0


def series_frame(kpi_ids: list[int] | None) -> pd.DataFrame:
    """Every published series as (kpi_id, unit_id, month, value), with missing months as NaN.

    A month with no value between a series' first and last month is a gap: it breaks
    runs and never creates or hides a signal, so it must be present as a missing value.
    """
    rows = Measurement.objects.filter(status=Measurement.Status.PUBLISHED)
    if kpi_ids is not None:
        rows = rows.filter(kpi_id__in=kpi_ids)
    data = _read(rows.order_by().values_list("kpi_id", "org_unit_id", "month", "value"))
    if data.empty:
        return data
    span = data.groupby(BY)["month"].agg(["min", "max"]).reset_index()
    months = pd.DataFrame({"month": pd.date_range(data["month"].min(), data["month"].max(), freq="MS")})
    grid = span.merge(months, how="cross")
    grid = grid[(grid["month"] >= grid["min"]) & (grid["month"] <= grid["max"])][[*BY, "month"]]
    return grid.merge(data, on=[*BY, "month"], how="left").sort_values([*BY, "month"], ignore_index=True)


def _read(rows: QuerySet[Measurement, tuple[int, int, date, float | None]]) -> pd.DataFrame:
    """The rows as (kpi_id, unit_id, month, value). On PostgreSQL they come out by ``COPY`` as CSV, parsed in
    bulk with every number read back exactly, not as a Python tuple per row."""
    columns = [*BY, "month", "value"]
    if connection.vendor != "postgresql":
        data = pd.DataFrame(list(rows), columns=columns)
        data["month"] = pd.to_datetime(data["month"])
        return data
    sql, params = rows.query.sql_with_params()
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    data = pd.read_csv(
        buffer,
        names=columns,
        dtype={"kpi_id": "int64", "unit_id": "int64", "month": "str", "value": "float64"},
        float_precision="round_trip",
    )
    data["month"] = pd.to_datetime(data["month"], format="%Y-%m-%d")
    return data


def series_options(frame: pd.DataFrame, kpis: dict[int, Kpi]) -> dict[tuple[int, int], SpcOptions]:
    """Each series' rule set, direction, target (at its latest month) and recalculation points."""
    span = frame.groupby(BY)["month"].agg(["min", "max", "size"])
    latest = span["max"].rename("month").reset_index()
    targets = plans(latest[REQUEST_COLUMNS]).set_index(BY)["target"].to_dict()
    first, lengths = span["min"].to_dict(), span["size"].to_dict()
    recalculations: dict[tuple[int, int], list[int]] = {}
    for kpi_id, unit_id, month in Recalculation.objects.filter(kpi_id__in=list(kpis)).values_list(
        "kpi_id", "org_unit_id", "month"
    ):
        if (start := first.get((kpi_id, unit_id))) is not None:
            recalculations.setdefault((kpi_id, unit_id), []).append(
                (month.year - start.year) * 12 + month.month - start.month
            )
    options = {}
    for key in lengths:
        kpi, n = kpis[key[0]], int(lengths[key])
        target = targets.get(key)
        options[key] = SpcOptions(
            rule_set=kpi.spc_rule_set,  # type: ignore[arg-type]
            direction=DIRECTIONS[kpi.direction],  # type: ignore[arg-type]
            target=None if target is None or pd.isna(target) or kpi.direction == "neutral" else float(target),
            recalculate_at=tuple(sorted(i for i in recalculations.get(key, []) if 0 < i < n)),
        )
    return options


def input_digests(
    frame: pd.DataFrame, options: dict[tuple[int, int], SpcOptions]
) -> dict[tuple[int, int], str]:
    """Each series' digest of everything its chart is computed from: the engine's version, its options (rule
    set, direction, target, recalculations) and its months and values, gaps included (``frame`` as
    ``series_frame`` gives it, sorted by series and month). Equal digests, equal charts."""
    if frame.empty:
        return {}
    months = frame["month"].to_numpy(dtype="datetime64[D]").view(np.int64)
    values = frame["value"].to_numpy(dtype="float64", na_value=np.nan)
    values = np.where(np.isnan(values), np.nan, values)  # one NaN, whatever bits a missing value came with
    kpi, unit = frame["kpi_id"].to_numpy(dtype=np.int64), frame["unit_id"].to_numpy(dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, (kpi[1:] != kpi[:-1]) | (unit[1:] != unit[:-1])])
    ends = np.r_[starts[1:], len(frame)]
    digests = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        key = (int(kpi[start]), int(unit[start]))
        digest = hashlib.sha256(f"{ENGINE_VERSION}|{options[key]!r}|".encode())
        digest.update(months[start:end].tobytes())
        digest.update(values[start:end].tobytes())
        digests[key] = digest.hexdigest()
    return digests


@transaction.atomic
def refresh_spc(*, kpi_ids: Iterable[int] | None = None, everything: bool = False) -> SpcRefreshResult:
    """Bring the stored charts of the given KPIs (all KPIs by default) in line with their inputs, rewriting
    only the charts whose inputs changed (every one of them with ``everything``).

    Steps:
    1. Read the published series, filling gaps with missing months.
    2. Work out each series' options (rule set, direction, target, recalculations) and the digest of its
       inputs (``input_digests``), and compare it with the digest stored with its chart.
    3. Remove the charts whose digest differs and those whose series has no published value any more.
    4. Chart the changed series at once with the vectorised engine and write them (``spc_store``: binary
       ``COPY`` on PostgreSQL), then say so (``kpis.signals.stored_data_changed``) if anything changed.

    Two refreshes never interleave: each holds the charts' lock until it commits, so the later one reads
    what the earlier one left and compares against it.
    """
    lock_until_commit(SPC_LOCK)
    ids = None if kpi_ids is None else list(kpi_ids)
    kpis = {k.pk: k for k in (Kpi.objects.all() if ids is None else Kpi.objects.filter(pk__in=ids))}
    frame = series_frame(ids)
    options = series_options(frame, kpis) if not frame.empty else {}
    digests = input_digests(frame, options)
    stored = {
        (k, u): (pk, inputs)
        for k, u, pk, inputs in SpcSeries.objects.filter(kpi_id__in=list(kpis)).values_list(
            "kpi_id", "org_unit_id", "pk", "inputs"
        )
    }
    changed = [key for key, digest in digests.items() if everything or stored.get(key, (0, ""))[1] != digest]
    replaced = {key for key in changed if key in stored}
    removed = [pk for key, (pk, _) in stored.items() if key not in digests or key in replaced]
    remove_charts(removed)
    points = 0
    if changed:
        wanted = frame.set_index(BY).index.isin(pd.MultiIndex.from_tuples(changed, names=BY))
        points = _chart_and_store(frame[wanted].reset_index(drop=True), options, digests)
    if removed or changed:
        stored_data_changed.send(sender=SpcSeries)
    return SpcRefreshResult(
        series=len(changed),
        points=points,
        unchanged=len(digests) - len(changed),
        removed=len(removed) - len(replaced),
    )


def _chart_and_store(
    frame: pd.DataFrame, options: dict[tuple[int, int], SpcOptions], digests: dict[tuple[int, int], str]
) -> int:
    """Chart the series of ``frame`` and write them; the number of points written."""
    result = analyse_frame(frame, by=BY, options_by_series=options)
    span = frame.groupby(BY)["month"].agg(first_month="min", latest_month="max")
    series = result.series.set_index(BY).join(span).reset_index()
    series["inputs"] = [digests[key] for key in zip(series["kpi_id"], series["unit_id"], strict=True)]
    series[["variation_icon", "assurance"]] = series[["variation_icon", "assurance"]].fillna("")
    points = result.points.join(frame[["month"]])
    points["rule"] = points["rule"].fillna("")
    store_charts(series, points)
    return len(points)


@transaction.atomic
def record_recalculation(
    *, actor: User, kpi: Kpi, org_unit_id: int, month: date, reason: str
) -> Recalculation:
    """The performance team recalculates a chart's limits from ``month``; never automatic."""
    if not reason.strip():
        raise ValidationError("Say why the limits are recalculated: the reason is shown on the chart.")
    if month.day != 1:
        raise ValidationError("A recalculation starts at the first of a month.")
    recalculation = Recalculation.objects.create(
        kpi=kpi, org_unit_id=org_unit_id, month=month, reason=reason.strip(), recorded_by=actor
    )
    record_audit(
        actor=actor,
        verb="recalculated",
        object_type=Recalculation._meta.label,
        object_id=recalculation.pk,
        after={
            "kpi": kpi.code,
            "org_unit_id": org_unit_id,
            "month": month.isoformat(),
            "reason": reason.strip(),
        },
    )
    # The chart, and what reads it (ratings, escalations, the IPR), follow through the publish pipeline.
    data_published.send(
        sender=Recalculation, kpi_ids=[kpi.pk], first_month=month, reason=f"{kpi.code} recalculated"
    )
    return recalculation
