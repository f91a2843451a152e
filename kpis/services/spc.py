"""Materialising SPC charts after a publish, so pages read them instead of recomputing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction

from pmf.locks import lock_until_commit
from pmf.models import User
from pmf.services.audit import record_audit

from ..models import Kpi, Measurement, Recalculation, SpcPoint, SpcSeries
from ..plans import REQUEST_COLUMNS
from ..selectors import plans
from ..signals import data_published, stored_data_changed
from ..spc import SpcOptions, analyse_frame

DIRECTIONS = {"higher_is_better": "increase", "lower_is_better": "decrease", "neutral": "neutral"}
BY = ["kpi_id", "unit_id"]
SPC_LOCK = "pmf:stored-spc"


@dataclass(frozen=True)
class SpcRefreshResult:
    series: int
    points: int


def series_frame(kpi_ids: list[int] | None) -> pd.DataFrame:
    """Every published series as (kpi_id, unit_id, month, value), with missing months as NaN.

    A month with no value between a series' first and last month is a gap: it breaks
    runs and never creates or hides a signal, so it must be present as a missing value.
    """
    rows = Measurement.objects.filter(status=Measurement.Status.PUBLISHED)
    if kpi_ids is not None:
        rows = rows.filter(kpi_id__in=kpi_ids)
    data = pd.DataFrame(
        list(rows.values_list("kpi_id", "org_unit_id", "month", "value")), columns=[*BY, "month", "value"]
    )
    if data.empty:
        return data
    data["month"] = pd.to_datetime(data["month"])
    span = data.groupby(BY)["month"].agg(["min", "max"]).reset_index()
    months = pd.DataFrame({"month": pd.date_range(data["month"].min(), data["month"].max(), freq="MS")})
    grid = span.merge(months, how="cross")
    grid = grid[(grid["month"] >= grid["min"]) & (grid["month"] <= grid["max"])][[*BY, "month"]]
    return grid.merge(data, on=[*BY, "month"], how="left").sort_values([*BY, "month"], ignore_index=True)


def series_options(frame: pd.DataFrame, kpis: dict[int, Kpi]) -> dict[tuple[int, int], SpcOptions]:
    """Each series' rule set, direction, target (at its latest month) and recalculation points."""
    latest = frame.groupby(BY)["month"].max().reset_index()
    lengths = frame.groupby(BY).size()
    targets = plans(latest[REQUEST_COLUMNS]).set_index(BY)["target"]
    first = frame.groupby(BY)["month"].min()
    recalculations: dict[tuple[int, int], list[int]] = {}
    for kpi_id, unit_id, month in Recalculation.objects.filter(kpi_id__in=list(kpis)).values_list(
        "kpi_id", "org_unit_id", "month"
    ):
        if (kpi_id, unit_id) in first.index:
            start = first.loc[(kpi_id, unit_id)]
            recalculations.setdefault((kpi_id, unit_id), []).append(
                (month.year - start.year) * 12 + month.month - start.month
            )
    options = {}
    for kpi_id, unit_id in latest[BY].itertuples(index=False):
        kpi, n = kpis[kpi_id], int(lengths.loc[(kpi_id, unit_id)])
        target = targets.get((kpi_id, unit_id))
        options[(kpi_id, unit_id)] = SpcOptions(
            rule_set=kpi.spc_rule_set,  # type: ignore[arg-type]
            direction=DIRECTIONS[kpi.direction],  # type: ignore[arg-type]
            target=None if target is None or pd.isna(target) or kpi.direction == "neutral" else float(target),
            recalculate_at=tuple(sorted(i for i in recalculations.get((kpi_id, unit_id), []) if 0 < i < n)),
        )
    return options


@transaction.atomic
def refresh_spc(*, kpi_ids: Iterable[int] | None = None) -> SpcRefreshResult:
    """Recompute and store the charts of every series of the given KPIs (all KPIs by default).

    Steps:
    1. Read the published series, filling gaps with missing months.
    2. Work out each series' options: rule set, direction, target, recalculations.
    3. Chart them all at once with the vectorised engine.
    4. Replace the stored series and points of those KPIs in one transaction, and say so
       (`kpis.signals.stored_data_changed`).

    Two refreshes never interleave: each holds the charts' lock until it commits, so the later one reads
    what the earlier one left and replaces it whole (delete-then-insert would otherwise collide).
    """
    lock_until_commit(SPC_LOCK)
    ids = None if kpi_ids is None else list(kpi_ids)
    kpis = {k.pk: k for k in (Kpi.objects.all() if ids is None else Kpi.objects.filter(pk__in=ids))}
    frame = series_frame(ids)
    SpcSeries.objects.filter(kpi_id__in=list(kpis)).delete()
    stored_data_changed.send(sender=SpcSeries)
    if frame.empty:
        return SpcRefreshResult(series=0, points=0)
    result = analyse_frame(frame, by=BY, options_by_series=series_options(frame, kpis))

    span = frame.groupby(BY)["month"].agg(first_month="min", latest_month="max")
    series_rows = result.series.set_index(BY).join(span)
    created = SpcSeries.objects.bulk_create(
        [
            SpcSeries(
                kpi_id=row["kpi_id"],
                org_unit_id=row["unit_id"],
                rule_set=row["rule_set"],
                direction=row["direction"],
                target=_float(row["target"]),
                first_month=row["first_month"].date(),
                latest_month=row["latest_month"].date(),
                n_points=int(row["n"]),
                variation_icon=row["variation_icon"] or "",
                assurance=row["assurance"] or "",
                mean=_float(row["mean"]),
                lpl=_float(row["lpl"]),
                upl=_float(row["upl"]),
            )
            for row in series_rows.reset_index().to_dict("records")
        ],
        batch_size=2000,
    )
    series_ids = {(s.kpi_id, s.org_unit_id): s.pk for s in created}
    if None in series_ids.values():  # a backend that does not return ids from a bulk insert
        series_ids = {
            (k, u): pk
            for k, u, pk in SpcSeries.objects.filter(kpi_id__in=list(kpis)).values_list(
                "kpi_id", "org_unit_id", "pk"
            )
        }
    points = result.points.join(frame[["month"]])
    keys = list(zip(points["kpi_id"], points["unit_id"], strict=True))
    SpcPoint.objects.bulk_create(
        [
            SpcPoint(
                series_id=series_ids[key],
                month=month.date(),
                value=_float(value),
                segment=int(segment),
                mean=_float(mean),
                lpl=_float(lpl),
                upl=_float(upl),
                near_lpl=_float(near_lpl),
                near_upl=_float(near_upl),
                rule=rule or "",
                point_type=point_type,
            )
            for key, month, value, segment, mean, lpl, upl, near_lpl, near_upl, rule, point_type in zip(
                keys,
                points["month"],
                points["value"],
                points["segment"],
                points["mean"],
                points["lpl"],
                points["upl"],
                points["near_lpl"],
                points["near_upl"],
                points["rule"],
                points["point_type"],
                strict=True,
            )
        ],
        batch_size=5000,
    )
    return SpcRefreshResult(series=len(created), points=len(points))


def _float(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


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
