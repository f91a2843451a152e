"""Reads for the Board's Integrated Performance Report: everything one month's IPR shows.

`ipr_content(month)` returns the report as an `IprContent` (`reviews.ipr.content`). The page and the PDF
board pack are both drawn from it, and publishing stores it (`IprContent.to_json`) as the report's snapshot,
so a published IPR shows exactly what the Board saw even after the figures behind it are restated.

It reads published data and the stored SPC charts in a fixed number of queries whatever the number of KPIs
and months (tests/reviews/test_ipr.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Max

from divisions.models import Level, OrgUnit
from divisions.selectors import default_trust
from kpis.charts import figure_data, xmr_spec
from kpis.charts_data import STORED_POINT_FIELDS, stored_result
from kpis.forecast import Forecast, fit_many, project
from kpis.models import (
    Commentary,
    Kpi,
    Measurement,
    Recalculation,
    SpcPoint,
    SpcSeries,
    Upload,
)
from kpis.narrative import variation_sentence
from kpis.selectors import Standings, catalogue
from kpis.selectors import standings as kpi_standings
from kpis.spc import SpcResult, analyse
from kpis.standing import ASSURANCE_COLUMNS, VARIATION_ROWS, KpiStanding, SpcSummary, with_chart
from pmf.periods import add_months

from ..models import IprReport
from .content import (
    ExecutiveSummary,
    IprCommentary,
    IprContent,
    IprForecast,
    IprForecastMonth,
    IprKpiRow,
    IprTrust,
    MatrixCell,
    MatrixRow,
    PreviousReport,
    ReportWords,
    Restatement,
)
from .divisions import divisional_breakdown, grid_counts
from .national import ipr_benchmarking, national_sources
from .rules import (
    ASSURANCE_LABELS,
    VARIATION_LABELS,
    improved,
    is_exception,
    is_off_plan,
    needs_commentary,
)

SPC_DIRECTIONS = {"higher_is_better": "increase", "lower_is_better": "decrease", "neutral": "neutral"}
# Values a forecast may not go beyond, by catalogue unit: nothing below zero, no percentage above 100.
FORECAST_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "percent": (0.0, 100.0),
    "count": (0.0, None),
    "minutes": (0.0, None),
    "seconds": (0.0, None),
    "rate_per_1000": (0.0, None),
    "ratio": (0.0, None),
}
HORIZON = 3
# Months of history a dashboard's sparkline shows.
RECENT_MONTHS = 13


@dataclass
class _Kpi:
    """What is known about one KPI while the content is assembled."""

    kpi: Kpi
    result: SpcResult | None
    months: list[date]
    values: list[float | None]
    trajectory: list[float | None]


def _stored_charts(trust: OrgUnit, month: date) -> dict[int, tuple[SpcSeries, list[Any]]]:
    """The trust's stored chart of each KPI with its points up to ``month`` (two queries).

    The points are named rows of the columns a result is rebuilt from, not model instances: a large trust
    has some 18,000 of them, and building a model instance for each was most of the page's time. They are
    asked for by their series' ids, which the points' (series, month) index finds: joined to the series by
    unit instead, PostgreSQL scanned every unit's points, so each division's scorecard cost more as the
    trust grew.
    """
    series = {s.pk: s for s in SpcSeries.objects.filter(org_unit=trust)}
    points: dict[int, list[Any]] = {}
    for point in (
        SpcPoint.objects.filter(series_id__in=list(series), month__lte=month)
        .order_by("series_id", "month")
        .values_list("series_id", "month", *STORED_POINT_FIELDS, named=True)
    ):
        points.setdefault(point.series_id, []).append(point)
    return {s.kpi_id: (s, points[pk]) for pk, s in series.items() if points.get(pk)}


def _result_at(kpi: Kpi, stored: SpcSeries, chart: list[Any], month: date, target: float | None) -> SpcResult:
    """The stored result, or, when later months were published since, the chart re-run on the points up to
    ``month`` with the same recalculations: an IPR for an earlier month judges only what was known then."""
    if stored.latest_month <= month:
        return stored_result(stored, chart)
    starts = [i for i in range(1, len(chart)) if chart[i].segment != chart[i - 1].segment]
    return analyse(
        [p.value for p in chart],
        rule_set=stored.rule_set,
        direction=stored.direction,
        target=None if kpi.direction == "neutral" else target,
        recalculate_at=starts,
    )


def _forecast(result: Forecast | None) -> IprForecast | None:
    if result is None:
        return None
    return IprForecast(
        method=result.method,
        months=tuple(
            IprForecastMonth(
                step=m.step,
                most_likely=m.most_likely,
                best_case=m.best_case,
                worst_case=m.worst_case,
                low=m.low,
                high=m.high,
                plan=m.plan,
                probability=m.probability_of_meeting_plan,
                likely=m.likely_to_meet_plan,
            )
            for m in result.months
        ),
    )


def _restatements(
    trust: OrgUnit, month: date, names: dict[int, Kpi]
) -> tuple[PreviousReport | None, list[Restatement]]:
    """Figures restated since the last IPR published before ``month``: what the Board saw, and now."""
    previous = (
        IprReport.objects.filter(status=IprReport.Status.PUBLISHED, month__lt=month)
        .only("month", "published_at")  # not its snapshot: the whole trust's report, read for every division
        .order_by("-month")
        .first()
    )
    if previous is None or previous.published_at is None:
        return None, []
    rows = _restated(trust, since=previous.published_at, months_before=month, names=names)
    return PreviousReport(month=previous.month, published_at=previous.published_at), rows


def _restated(
    trust: OrgUnit, *, since: datetime, months_before: date, names: dict[int, Kpi]
) -> list[Restatement]:
    """The trust's figures for months before ``months_before`` restated after ``since``: was and now."""
    restated = list(
        Measurement.objects.filter(
            org_unit=trust,
            status=Measurement.Status.PUBLISHED,
            revision__gt=1,
            created_at__gt=since,
            month__lt=months_before,
        ).values_list("kpi_id", "month", "revision", "value")
    )
    old = {
        (kpi_id, m, revision): value
        for kpi_id, m, revision, value in Measurement.objects.filter(
            org_unit=trust,
            status=Measurement.Status.SUPERSEDED,
            kpi_id__in={r[0] for r in restated},
            month__in={r[1] for r in restated},
        ).values_list("kpi_id", "month", "revision", "value")
    }
    return [
        Restatement(
            code=names[kpi_id].code,
            name=names[kpi_id].name,
            unit=names[kpi_id].unit,
            month=m,
            was=old.get((kpi_id, m, revision - 1)),
            now=value,
        )
        for kpi_id, m, revision, value in sorted(restated, key=lambda r: (names[r[0]].code, r[1]))
        if kpi_id in names
    ]


def restated_since_published(report: IprReport) -> list[Restatement]:
    """Figures a published IPR showed (its month and every month before) restated since it was published.

    The same reading the next IPR's data notes make, for a note on the published report itself. Four
    queries: the trust, the catalogue, the restated values and the values they replaced.
    """
    trust = default_trust()
    if trust is None or report.published_at is None:
        return []
    names = {k.pk: k for k in catalogue()}
    return _restated(trust, since=report.published_at, months_before=add_months(report.month, 1), names=names)


def _figure(entry: _Kpi, trust: OrgUnit, recalculations: dict[int, list[Recalculation]]) -> dict[str, Any]:
    assert entry.result is not None
    index = {m: i for i, m in enumerate(entry.months)}
    notes = [(index[r.month], r.reason) for r in recalculations.get(entry.kpi.pk, []) if r.month in index]
    figure = xmr_spec(
        entry.result,
        months=entry.months,
        title=f"{entry.kpi.name} — {trust.name}",
        unit=entry.kpi.unit,
        trajectory=entry.trajectory if any(v is not None for v in entry.trajectory) else None,
        recalculations=notes,
    )
    return figure_data(figure)


def _standing(standings: Standings, kpi_id: int, unit: OrgUnit, month: date) -> KpiStanding:
    found = standings.at(kpi_id, unit.pk, month)
    assert found is not None  # every KPI × month asked for is there
    return found


def _charts(trust: OrgUnit, month: date, kpis: list[Kpi], standings: Standings) -> dict[int, _Kpi]:
    """Each KPI's stored chart at ``trust`` as it stood in ``month`` (two queries); its trajectory comes
    with the standings."""
    stored = _stored_charts(trust, month)
    charts: dict[int, _Kpi] = {}
    for kpi in kpis:
        if kpi.pk not in stored:
            continue
        series, chart = stored[kpi.pk]
        charts[kpi.pk] = _Kpi(
            kpi=kpi,
            result=_result_at(
                kpi, series, chart, month, _standing(standings, kpi.pk, trust, month).plan.target
            ),
            months=[p.month for p in chart],
            values=[p.value for p in chart],
            trajectory=[standings.trajectories.get((kpi.pk, trust.pk, p.month)) for p in chart],
        )
    return charts


def _forecasts(
    charts: dict[int, _Kpi], standings: Standings, trust: OrgUnit, future: list[date]
) -> dict[int, Forecast | None]:
    """Each directed KPI's forecast for the ``future`` months against their plans (no queries)."""
    forecastable = [e for e in charts.values() if e.kpi.direction != "neutral"]
    fits = fit_many([e.values for e in forecastable]) if forecastable else []
    forecasts: dict[int, Forecast | None] = {}
    for entry, fit in zip(forecastable, fits, strict=True):
        forecasts[entry.kpi.pk] = (
            None
            if fit is None
            else project(
                fit,
                direction=entry.kpi.direction,
                plans=[_standing(standings, entry.kpi.pk, trust, m).plan.plan for m in future],
                horizon=HORIZON,
                bounds=FORECAST_BOUNDS.get(entry.kpi.unit, (None, None)),
                n_values=sum(v is not None for v in entry.values),
            )
        )
    return forecasts


def _kpi_row(
    kpi: Kpi,
    *,
    month: date,
    found: _Kpi | None,
    standing: KpiStanding,
    before: KpiStanding,
    note: Commentary | None,
    division_notes: list[Commentary],
    forecast: Forecast | None,
) -> IprKpiRow | None:
    """One KPI's line: its value against plan, the icons and matrix cell of its chart as it stood in
    ``month``, the kitemark, the owner's commentary and the chart's sentence; None when nothing is published
    for it at this level."""
    result = found.result if found else None
    # The standing judged by the chart as it stood in ``month`` (re-run when later months came since).
    standing = with_chart(
        standing,
        SpcSummary(
            variation_icon=result.variation_icon if result else None,
            assurance=result.assurance if result else None,
            has_limits=bool(result and not result.too_few_points),
        ),
    )
    current = standing.reading
    if current is None and found is None:
        return None
    outcome = str(standing.outcome)
    variation_icon, assurance, placement = standing.variation_icon, standing.assurance, standing.placement
    sentence = (
        variation_sentence(
            result,
            kpi_name=kpi.name,
            unit=kpi.unit,
            latest_value=standing.value,
            plan=standing.plan.plan,
            month=month,
        )
        if result is not None
        else ""
    )
    return IprKpiRow(
        code=kpi.code,
        name=kpi.name,
        domain=kpi.domain.name,
        objective=kpi.objective.name if kpi.objective else "No strategic objective",
        unit=kpi.unit,
        direction=kpi.direction,
        is_key=kpi.is_key,
        owner=kpi.owner,
        value=standing.value,
        plan=standing.plan.plan,
        outcome=outcome,
        previous_value=before.value,
        previous_outcome=str(before.outcome),
        is_synthetic=bool(current and current.is_synthetic) or kpi.data_is_synthetic,
        is_restated=bool(current and current.is_restated),
        is_incomplete=bool(current and not current.is_complete),
        variation_icon=variation_icon,
        assurance=assurance,
        cell=(placement.variation, placement.assurance),
        cell_note=placement.note,
        sort_key=tuple(placement.sort_key),
        has_chart=found is not None,
        is_exception=is_exception(variation_icon, assurance),
        sentence=sentence,
        commentary=_commentary(note) if note is not None else None,
        division_commentary=tuple(_commentary(n, unit=n.org_unit.name) for n in division_notes),
        needs_commentary=needs_commentary(
            is_key=kpi.is_key, outcome=outcome, has_commentary=note is not None or bool(division_notes)
        ),
        improved=improved(
            variation_icon=variation_icon, outcome=outcome, previous_outcome=str(before.outcome)
        ),
        kitemark=standing.kitemark,
        forecast=_forecast(forecast),
    )


def ipr_content(
    month: date,
    *,
    with_figures: bool = False,
    unit: OrgUnit | None = None,
    with_forecasts: bool = True,
    with_recent: bool = False,
) -> IprContent:
    """The IPR for ``month`` at trust level (see the module docstring).

    1. Read the catalogue and one set of standings: the months shown (this month, the month before and the
       three months ahead, for forecasts), for the unit and, in the trust's report, its divisions.
    2. Read the unit's stored charts up to ``month`` (`_charts`), the month's commentary and the stored
       recalculations.
    3. Fit the forecasts (`_forecasts`) unless ``with_forecasts`` is False.
    4. One row per KPI (`_kpi_row`); ``with_figures`` gives each exception its chart as plotly data (for the
       exception pages and the board pack), ``with_recent`` each row its last ``RECENT_MONTHS`` charted
       values (for a sparkline).
    5. Arrange the sections: executive summary, matrix, restatements since the last published IPR, data as
       at, the divisional breakdown, the trust among its national peers (`reviews.ipr.national`), and the
       national sources for the data notes.

    ``unit`` reads another unit than the trust (a division, for its PRM data pack and its dashboard); the
    divisional breakdown is the trust's report only.
    """
    trust = unit or default_trust()
    if trust is None:
        return IprContent(month=month)
    kpis = list(catalogue())
    previous_month = add_months(month, -1)
    future = [add_months(month, h) for h in range(1, HORIZON + 1)]
    divisions = (
        list(OrgUnit.objects.filter(parent=trust, level=Level.DIVISION).order_by("name"))
        if unit is None
        else []
    )
    standings = kpi_standings(
        [trust.pk, *(d.pk for d in divisions)],
        [previous_month, month, *future],
        kpis=kpis,
        with_kitemarks=True,
    )
    charts = _charts(trust, month, kpis, standings)
    commentary, division_commentary = _month_commentary(trust, divisions, month)
    recalculations: dict[int, list[Recalculation]] = {}
    for r in Recalculation.objects.filter(org_unit=trust):
        recalculations.setdefault(r.kpi_id, []).append(r)
    forecasts = _forecasts(charts, standings, trust, future) if with_forecasts else {}

    rows: list[IprKpiRow] = []
    for kpi in kpis:
        found = charts.get(kpi.pk)
        row = _kpi_row(
            kpi,
            month=month,
            found=found,
            standing=_standing(standings, kpi.pk, trust, month),
            before=_standing(standings, kpi.pk, trust, previous_month),
            note=commentary.get(kpi.pk),
            division_notes=division_commentary.get(kpi.pk, []),
            forecast=forecasts.get(kpi.pk),
        )
        if row is None:
            continue
        if with_figures and found is not None and row.is_exception:
            row = replace(row, figure=_figure(found, trust, recalculations))
        if with_recent:
            row = replace(row, recent=tuple(found.values[-RECENT_MONTHS:]) if found else ())
        rows.append(row)

    previous_report, restatements = _restatements(trust, month, {k.pk: k for k in kpis})
    sources, source_notes = national_sources(trust, month) if unit is None else ((), ())
    published_at = Upload.objects.filter(measurements__month=month, published_at__isnull=False).aggregate(
        latest=Max("published_at")
    )["latest"]
    return IprContent(
        month=month,
        trust=IprTrust(code=trust.code, name=trust.name),
        forecast_months=tuple(future),
        published_at=published_at,
        kpis=tuple(rows),
        matrix=_matrix(rows),
        summary=_summary(rows),
        previous_report=previous_report,
        restatements=tuple(restatements),
        divisional=divisional_breakdown(divisions, month, kpis, standings) if unit is None else None,
        benchmarking=ipr_benchmarking(month) if unit is None else None,
        national_sources=sources,
        source_notes=source_notes,
    )


def _month_commentary(
    unit: OrgUnit, divisions: list[OrgUnit], month: date
) -> tuple[dict[int, Commentary], dict[int, list[Commentary]]]:
    """The month's commentary by KPI (one query): the unit's own, and its divisions' in the order of
    ``divisions`` (by name), which the trust's report shows under each KPI's line (docs/ipr.md)."""
    order = {d.pk: i for i, d in enumerate(divisions)}
    own: dict[int, Commentary] = {}
    theirs: dict[int, list[Commentary]] = {}
    for note in sorted(
        Commentary.objects.filter(org_unit__in=[unit, *divisions], month=month).select_related(
            "author", "org_unit"
        ),
        key=lambda c: order.get(c.org_unit_id, -1),
    ):
        if note.org_unit_id == unit.pk:
            own[note.kpi_id] = note
        else:
            theirs.setdefault(note.kpi_id, []).append(note)
    return own, theirs


def _commentary(note: Commentary, *, unit: str = "") -> IprCommentary:
    return IprCommentary(
        unit=unit,
        author=str(note.author),
        what_the_chart_tells_us=note.what_the_chart_tells_us,
        issues=note.issues,
        actions=note.actions,
        mitigations=note.mitigations,
        recovery_date=note.recovery_date,
        updated_at=note.updated_at,
    )


def _matrix(rows: list[IprKpiRow]) -> tuple[MatrixRow, ...]:
    """The 3 × 3 matrix: a row per variation class, a cell per assurance class, each listing its KPI codes."""
    return tuple(
        MatrixRow(
            variation=variation,
            label=VARIATION_LABELS[variation],
            cells=tuple(
                MatrixCell(
                    assurance=assurance,
                    label=ASSURANCE_LABELS[assurance],
                    codes=tuple(r.code for r in rows if r.cell == (variation, assurance)),
                )
                for assurance in ASSURANCE_COLUMNS
            ),
        )
        for variation in VARIATION_ROWS
    )


def _summary(rows: list[IprKpiRow]) -> ExecutiveSummary:
    """The counts the executive summary is written from."""
    ordered = sorted(rows, key=lambda r: (r.sort_key, r.code))
    return ExecutiveSummary(
        kpis=len(rows),
        met=sum(r.outcome == "met" for r in rows),
        off_plan=sum(is_off_plan(r.outcome) for r in rows),
        key_off_plan=sum(r.is_key and is_off_plan(r.outcome) for r in rows),
        concern=sum(r.cell[0] == "concern" for r in rows),
        improvement=sum(r.cell[0] == "improvement" for r in rows),
        failing_assurance=sum(r.cell[1] == "fail" for r in rows),
        exceptions=tuple(r.code for r in ordered if r.is_exception),
        not_achieved=tuple(r.code for r in ordered if is_off_plan(r.outcome)),
        improved=tuple(r.code for r in ordered if r.improved),
        missing_commentary=tuple(r.code for r in ordered if r.needs_commentary),
        likely_to_miss_next_month=tuple(r.code for r in ordered if r.likely_to_miss_next_month),
    )


GROUPINGS = {"domain": "Domain", "objective": "Strategic objective"}


def arranged(content: IprContent, *, group_by: str = "domain", report: Any = None) -> dict[str, Any]:
    """The content laid out for a template: codes resolved to rows, the scorecard grouped.

    No queries: it works the same on live content and on a published snapshot read back with
    `IprContent.from_json`. The exceptions are plain dicts because printing marks each with the name of its
    drawn chart (`kpis.printing.draw_report_charts`).
    """
    rows = content.kpis
    group_by = group_by if group_by in GROUPINGS else "domain"
    groups: dict[str, list[IprKpiRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, group_by), []).append(row)
    summary = content.summary
    # The words of a published report are in its snapshot; a draft's are on the report itself.
    words = content.report or ReportWords(
        executive_summary=getattr(report, "executive_summary", ""),
        lead_director=getattr(report, "lead_director", ""),
        recommendation=getattr(report, "recommendation", ""),
    )
    return {
        "content": content,
        "words": words,
        "month": content.month,
        "forecast_months": list(content.forecast_months),
        "published_at": content.published_at,
        "matrix": [
            {
                "variation": row.variation,
                "label": row.label,
                "cells": [
                    {
                        "assurance": c.assurance,
                        "label": c.label,
                        "codes": c.codes,
                        "kpis": content.rows(c.codes),
                    }
                    for c in row.cells
                ],
            }
            for row in content.matrix
        ],
        "summary": summary,
        "not_achieved": content.rows(summary.not_achieved),
        "improved": content.rows(summary.improved),
        "exceptions": [
            {**{f.name: getattr(r, f.name) for f in fields(r)}, "figure_json": r.figure_json}
            for r in content.rows(summary.exceptions)
        ],
        "missing_commentary": content.rows(summary.missing_commentary),
        "likely_to_miss": content.rows(summary.likely_to_miss_next_month),
        "forecasts": [r for r in rows if r.forecast],
        "group_by": group_by,
        "group_label": GROUPINGS[group_by],
        "groupings": GROUPINGS,
        "scorecard": list(groups.items()),
        "restatements": list(content.restatements),
        "previous_report_month": content.previous_report.month if content.previous_report else None,
        "divisional": _divisional(content.divisional),
        "has_synthetic": any(r.is_synthetic for r in rows),
        "provisional": [r for r in rows if r.kitemark and r.kitemark.status == "provisional"],
        "benchmarking": content.benchmarking,
        "national_sources": list(content.national_sources),
        "source_notes": list(content.source_notes),
    }


def _divisional(breakdown: dict[str, Any] | None) -> dict[str, Any] | None:
    """The divisional breakdown for a template: each division with its grid counts, the grid by domain."""
    if not breakdown or not breakdown.get("divisions"):
        return None
    domains: dict[str, list[dict[str, Any]]] = {}
    for row in breakdown["grid"]:
        domains.setdefault(row["domain"], []).append(row)
    divisions = [
        {**d, "counts": counts}
        for d, counts in zip(breakdown["divisions"], grid_counts(breakdown), strict=True)
    ]
    return {"divisions": divisions, "grid_by_domain": list(domains.items())}
