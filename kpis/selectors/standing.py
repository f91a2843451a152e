"""Reads that span the catalogue, targets and measurements: a KPI's standing above all."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from django.db.models import Max, Q, QuerySet

from divisions.models import LEVEL_DEPTH, Level, OrgUnit

from ..assessment import Assessment, assess
from ..models import Kitemark, Kpi, Measurement, Recalculation, SpcPoint, SpcSeries, Target, Trajectory
from ..plans import REQUEST_COLUMNS, TARGET_COLUMNS, TRAJECTORY_COLUMNS, resolve_plans
from ..standing import (
    NO_CHART,
    NO_PLAN,
    Key,
    KpiStanding,
    Plan,
    Reading,
    SpcSummary,
    applies,
    chosen_readings,
    kitemark_summary,
    latest_keys,
    stand,
)


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
class Standings:
    """Standings by (KPI id, unit id, month), with the units' stored trajectories for any month (read with
    the plans, so a chart can draw its trajectory without a further query)."""

    by_key: dict[Key, KpiStanding]
    trajectories: dict[Key, float]

    def at(self, kpi_id: int, unit_id: int, month: date) -> KpiStanding | None:
        return self.by_key.get((kpi_id, unit_id, month))

    def __iter__(self) -> Iterator[KpiStanding]:
        return iter(self.by_key.values())

    def __len__(self) -> int:
        return len(self.by_key)


READING_FIELDS = (
    "kpi_id",
    "org_unit_id",
    "month",
    "value",
    "is_rollup",
    "is_synthetic",
    "revision",
    "children_contributing",
    "children_expected",
)


def standings(
    units: Iterable[int],
    months: Iterable[date] | None,
    *,
    kpis: Iterable[Kpi],
    with_spc: bool = False,
    with_kitemarks: bool = False,
) -> Standings:
    """Each KPI's standing (``kpis.standing``) for these units in these months.

    1. Read the published values of these KPIs for these units (and months) and keep one per KPI, unit and
       month: the submitted one where a roll-up was published too.
    2. The standings asked for: every KPI × unit × month when ``months`` are given, with or without a value
       (no value is "no data" where there is a plan); with ``months=None``, each KPI's latest month with a
       value at each unit, found by the database (``_latest_months``) so that only those months are read.
    3. Resolve their plans (targets and trajectories).
    4. With ``with_spc``, the stored charts' point types for those months, and their icons for the month
       each chart was last computed on; with ``with_kitemarks``, each KPI's kitemark.
    5. Stand each one (``kpis.standing.stand``).

    Three queries (values, targets, trajectories), one more for the charts and one for the kitemarks,
    whatever the number of KPIs, units or months.
    """
    unit_ids = sorted(set(units))
    by_id = {k.pk: k for k in kpis}
    wanted = None if months is None else sorted(set(months))
    query = Measurement.objects.filter(
        status=Measurement.Status.PUBLISHED, org_unit_id__in=unit_ids, kpi_id__in=list(by_id)
    )
    if wanted is not None:
        query = query.filter(month__in=wanted)
    else:
        query = query.filter(month__in=_latest_months(query))
    readings = chosen_readings(
        Reading(kpi, unit, month, value, rollup, synthetic, revision, contributing, expected)
        for kpi, unit, month, value, rollup, synthetic, revision, contributing, expected in query.order_by()
        .values_list(*READING_FIELDS)
        .iterator()
    )
    if wanted is None:
        keys = sorted(latest_keys(readings.values()))
    else:
        keys = [(k, u, m) for k in by_id for u in unit_ids for m in wanted]

    targets, trajectories = plan_tables(by_id, unit_ids)
    plan_at: dict[Key, Plan] = {}
    if keys:
        resolved = resolve_plans(pd.DataFrame(keys, columns=REQUEST_COLUMNS), targets, trajectories)
        for key, (plan, tolerance, target, trajectory) in zip(
            keys,
            resolved[["plan", "tolerance", "target", "trajectory"]].itertuples(index=False, name=None),
            strict=True,
        ):
            plan_at[key] = Plan(_number(plan), float(tolerance), _number(target), _number(trajectory))
    spc = _spc_summaries(by_id, unit_ids, wanted) if with_spc else {}
    ratings = kitemark_ratings(list(by_id)) if with_kitemarks else {}
    dimensions = len(Kitemark.Dimension)
    return Standings(
        by_key={
            key: stand(
                kpi_id=key[0],
                unit_id=key[1],
                month=key[2],
                direction=by_id[key[0]].direction,
                reading=readings.get(key),
                plan=plan_at.get(key, NO_PLAN),
                value_unit=by_id[key[0]].unit,
                spc=spc.get(key, NO_CHART),
                kitemark=kitemark_summary(ratings.get(key[0], {}), dimensions=dimensions)
                if with_kitemarks
                else None,
            )
            for key in keys
        },
        trajectories={
            (int(k), int(u), m): float(v)
            for k, u, m, v in trajectories[TRAJECTORY_COLUMNS].itertuples(index=False, name=None)
        },
    )


def applies_at(kpi: Kpi, unit: OrgUnit, month: date) -> bool:
    """Whether the catalogue expects ``kpi`` at ``unit`` in ``month`` (``kpis.standing.applies``), from the
    KPI's and unit's own fields: no query. Outside the KPI's or the unit's active months it applies
    nowhere."""
    if month < kpi.active_from or (kpi.active_to is not None and month > kpi.active_to):
        return False
    if month < unit.active_from or (unit.active_to is not None and month > unit.active_to):
        return False
    return applies(
        reporting_depth=LEVEL_DEPTH[Level(kpi.reporting_level)] if kpi.reporting_level else None,
        rolls_up=kpi.aggregation != Kpi.Aggregation.NONE,
        unit_depth=LEVEL_DEPTH[Level(unit.level)],
    )


def _latest_months(published: QuerySet[Measurement]) -> QuerySet[Any, Any]:
    """Each KPI's latest month with a value at each unit, as a subquery (``GROUP BY`` KPI and unit): a read of
    latest values fetches the rows of those months only, so it reads as many rows with ten years of history
    as with one month (more only where KPIs' latest months differ)."""
    return published.order_by().values("kpi_id", "org_unit_id").annotate(latest=Max("month")).values("latest")


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type, call-overload]


def _spc_summaries(
    kpi_ids: Iterable[int], unit_ids: list[int], months: list[date] | None
) -> dict[Key, SpcSummary]:
    """The stored charts' points for these months (all months when None), as summaries (one query)."""
    points = SpcPoint.objects.filter(series__kpi_id__in=list(kpi_ids), series__org_unit_id__in=unit_ids)
    if months is not None:
        points = points.filter(month__in=months)
    summaries = {}
    for kpi_id, unit_id, month, point_type, latest, icon, assurance, lpl, upl in (
        points.order_by()
        .values_list(
            "series__kpi_id",
            "series__org_unit_id",
            "month",
            "point_type",
            "series__latest_month",
            "series__variation_icon",
            "series__assurance",
            "series__lpl",
            "series__upl",
        )
        .iterator()
    ):
        is_latest = month == latest
        summaries[(kpi_id, unit_id, month)] = SpcSummary(
            point_type=point_type,
            variation_icon=(icon or None) if is_latest else None,
            assurance=(assurance or None) if is_latest else None,
            # The stored chart has limits when its latest segment has both: under either rule set, too few
            # points (or too few values in the segment) leave them empty.
            has_limits=is_latest and lpl is not None and upl is not None,
        )
    return summaries


@dataclass(frozen=True)
class LatestValue:
    """A KPI with its latest standing at a unit (None when the unit has published nothing for it)."""

    kpi: Kpi
    standing: KpiStanding | None

    @property
    def measurement(self) -> Reading | None:
        return self.standing.reading if self.standing else None

    @property
    def plan(self) -> float | None:
        return self.standing.plan.plan if self.standing else None

    @property
    def assessment(self) -> Assessment:
        return self.standing.assessment if self.standing else assess(None, None, self.kpi.direction)


def latest_values(unit: OrgUnit) -> list[LatestValue]:
    """Every KPI with the unit's latest published value and how it stands against plan.

    Four queries whatever the number of KPIs or months: the catalogue, then ``standings``.
    """
    kpis = list(catalogue())
    latest = {s.kpi_id: s for s in standings([unit.pk], None, kpis=kpis)}
    return [LatestValue(kpi=kpi, standing=latest.get(kpi.pk)) for kpi in kpis]


@dataclass(frozen=True)
class ChartData:
    """Everything the KPI page needs to draw one stored chart and explain it.

    ``latest`` is the chart's latest month with a value; ``standing`` is the KPI's standing at the unit in
    that month, read through ``standings`` like every other page, so the value and plan shown beside the
    chart are the ones the dashboard, ratings and reports use (the submitted value where a roll-up was
    published too). ``source`` names the file the submitted value came from.
    """

    kpi: Kpi
    unit: OrgUnit
    series: SpcSeries | None
    points: list[SpcPoint]
    months: list[date]
    trajectory: list[float | None]
    recalculations: list[tuple[int, Recalculation]]
    latest: SpcPoint | None
    standing: KpiStanding | None
    source: str | None

    @property
    def reading(self) -> Reading | None:
        return self.standing.reading if self.standing else None

    @property
    def latest_value(self) -> float | None:
        """The published value of the latest month; the chart's own while nothing is published for it."""
        if self.reading is not None:
            return self.reading.value
        return self.latest.value if self.latest else None

    @property
    def plan(self) -> float | None:
        return self.standing.plan.plan if self.standing else None


def chart_for(kpi: Kpi, unit: OrgUnit) -> ChartData:
    """The stored chart of ``kpi`` for ``unit`` with its latest standing, trajectory and recalculations.

    1. The stored series, its points and its recalculations.
    2. The standing in the chart's latest month with a value (``standings``: the submitted value wins over
       a roll-up), with the unit's trajectory for every month of the chart read alongside.
    3. The name of the file the latest value was uploaded in.

    Seven queries whatever the number of months (two when there is no chart).
    """
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
    standing, source = None, None
    trajectory: list[float | None] = [None] * len(months)
    if points:
        found = standings([unit.pk], [latest.month] if latest else [], kpis=[kpi])
        trajectory = [found.trajectories.get((kpi.pk, unit.pk, m)) for m in months]
        standing = found.at(kpi.pk, unit.pk, latest.month) if latest else None
    if standing is not None and standing.reading is not None:
        source = (
            Measurement.objects.filter(
                kpi=kpi,
                org_unit=unit,
                month=standing.month,
                status=Measurement.Status.PUBLISHED,
                is_rollup=standing.reading.is_rollup,
            )
            .values_list("upload__original_name", flat=True)
            .first()
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
        standing=standing,
        source=source,
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
