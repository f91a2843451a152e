"""Reads that span the catalogue, targets and measurements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db.models import Q, QuerySet

from divisions.models import LEVEL_DEPTH, Level, OrgUnit

from .assessment import Assessment, assess
from .models import Kitemark, Kpi, Measurement, Recalculation, SpcPoint, SpcSeries, Target, Trajectory
from .plans import REQUEST_COLUMNS, TARGET_COLUMNS, TRAJECTORY_COLUMNS, resolve_plans


def catalogue() -> QuerySet[Kpi]:
    return Kpi.objects.select_related("domain", "objective").order_by("domain__order", "code")


def plans(requests: pd.DataFrame, *, unit_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Plans for (kpi_id, unit_id, month) rows: two queries, whatever the number of rows."""
    kpi_ids = requests["kpi_id"].unique().tolist()
    units = list(unit_ids) if unit_ids is not None else requests["unit_id"].unique().tolist()
    return resolve_plans(requests, *plan_tables(kpi_ids, units))


def plan_tables(kpi_ids: Iterable[int], units: Iterable[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets (all-units ones too) and trajectories of these KPIs for these units, as
    ``kpis.plans.resolve_plans`` takes them: two queries."""
    kpi_ids, units = list(kpi_ids), list(units)
    targets = pd.DataFrame(
        Target.objects.filter(
            Q(org_unit_id__in=units) | Q(org_unit__isnull=True), kpi_id__in=kpi_ids
        ).values_list("kpi_id", "org_unit_id", "financial_year", "effective_from", "value", "tolerance"),
        columns=TARGET_COLUMNS,
    )
    trajectories = pd.DataFrame(
        Trajectory.objects.filter(kpi_id__in=kpi_ids, org_unit_id__in=units).values_list(
            "kpi_id", "org_unit_id", "month", "value"
        ),
        columns=TRAJECTORY_COLUMNS,
    )
    return targets.astype({"unit_id": "float"}), trajectories


@dataclass(frozen=True)
class LatestValue:
    kpi: Kpi
    measurement: Measurement | None
    plan: float | None
    assessment: Assessment


def latest_values(unit: OrgUnit) -> list[LatestValue]:
    """Every KPI with the unit's latest published value and how it stands against plan.

    Four queries whatever the number of KPIs or months.
    """
    kpis = list(catalogue())
    latest: dict[int, Measurement] = {}
    for measurement in Measurement.objects.filter(
        org_unit=unit, status=Measurement.Status.PUBLISHED
    ).order_by("kpi_id", "-month"):
        latest.setdefault(measurement.kpi_id, measurement)
    requests = pd.DataFrame([(m.kpi_id, unit.pk, m.month) for m in latest.values()], columns=REQUEST_COLUMNS)
    resolved = plans(requests, unit_ids=[unit.pk]).set_index("kpi_id") if len(requests) else None
    rows = []
    for kpi in kpis:
        m: Measurement | None = latest.get(kpi.pk)
        plan, tolerance = None, 0.0
        if m is not None and resolved is not None and pd.notna(resolved.at[kpi.pk, "plan"]):
            plan, tolerance = float(resolved.at[kpi.pk, "plan"]), float(resolved.at[kpi.pk, "tolerance"])
        rows.append(
            LatestValue(
                kpi=kpi,
                measurement=m,
                plan=plan,
                assessment=assess(m.value if m else None, plan, kpi.direction, tolerance),
            )
        )
    return rows


@dataclass(frozen=True)
class ChartData:
    """Everything the KPI page needs to draw one stored chart and explain it."""

    kpi: Kpi
    unit: OrgUnit
    series: SpcSeries | None
    points: list[SpcPoint]
    months: list[date]
    trajectory: list[float | None]
    recalculations: list[tuple[int, Recalculation]]
    latest: SpcPoint | None
    plan: float | None
    latest_measurement: Measurement | None


def chart_for(kpi: Kpi, unit: OrgUnit) -> ChartData:
    """The stored chart of ``kpi`` for ``unit`` with its plan, trajectory and recalculations (six queries)."""
    series = SpcSeries.objects.filter(kpi=kpi, org_unit=unit).first()
    points = list(series.points.order_by("month")) if series else []
    months = [p.month for p in points]
    index = {month: i for i, month in enumerate(months)}
    recalculations = [
        (index[r.month], r)
        for r in Recalculation.objects.filter(kpi=kpi, org_unit=unit).select_related("recorded_by")
        if r.month in index
    ]
    latest = next((p for p in reversed(points) if p.value is not None), None)
    plan = None
    trajectory: list[float | None] = [None] * len(months)
    if points:
        requests = pd.DataFrame([(kpi.pk, unit.pk, m) for m in months], columns=REQUEST_COLUMNS)
        resolved = plans(requests, unit_ids=[unit.pk])
        trajectory = [None if pd.isna(v) else float(v) for v in resolved["trajectory"]]
        if latest is not None:
            value = resolved.loc[index[latest.month], "plan"]
            plan = None if pd.isna(value) else float(value)
    latest_measurement = (
        Measurement.objects.filter(
            kpi=kpi, org_unit=unit, month=latest.month, status=Measurement.Status.PUBLISHED
        )
        .select_related("upload")
        .first()
        if latest
        else None
    )
    return ChartData(
        kpi=kpi,
        unit=unit,
        series=series,
        points=points,
        months=months,
        trajectory=trajectory,
        recalculations=recalculations,
        latest=latest,
        plan=plan,
        latest_measurement=latest_measurement,
    )


def units_with_chart(kpi: Kpi) -> list[OrgUnit]:
    """The units that have a stored chart for ``kpi``: the trust, then divisions, services, teams."""
    units = OrgUnit.objects.filter(spc_series__kpi=kpi)
    return sorted(units, key=lambda u: (LEVEL_DEPTH[Level(u.level)], u.name))


def kitemark_ratings(kpi_ids: list[int]) -> dict[int, dict[str, str]]:
    """The latest rating of each kitemark dimension, per KPI (one query)."""
    latest: dict[int, dict[str, str]] = {}
    for kpi_id, dimension, rating in (
        Kitemark.objects.filter(kpi_id__in=kpi_ids)
        .order_by("kpi_id", "dimension", "-assessed_on")
        .values_list("kpi_id", "dimension", "rating")
    ):
        latest.setdefault(kpi_id, {}).setdefault(dimension, rating)
    return latest


def kitemark_rows(kpi: Kpi) -> list[tuple[str, str]]:
    """(dimension, rating) for all six dimensions of ``kpi``'s kitemark; unrated ones are "Not assessed"."""
    ratings = kitemark_ratings([kpi.pk]).get(kpi.pk, {})
    labels = dict(Kitemark.Rating.choices)
    return [
        (label, labels[ratings.get(value, Kitemark.Rating.NOT_ASSESSED)])
        for value, label in Kitemark.Dimension.choices
    ]
