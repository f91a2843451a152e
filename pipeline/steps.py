"""The publish pipeline, defined here and nowhere else.

A publish (an upload, ``import_measurements --publish``, the national import, the demo loader) writes the
measurements and their roll-up in one transaction. Everything that reads published data and stores what it
makes of it follows, in this order, each step reading what the step before it stored:

1. ``spc``: the stored SPC charts of the KPIs that changed (every KPI for a recalculation of all).
2. ``ratings``: every division's rating from the earliest month that changed.
3. ``schedules``: each division's PRMs re-planned where its review frequency changed.
4. ``escalations``: cases opened, updated or de-escalated on the latest month's charts and ratings.
5. ``ipr``: the newest month's draft IPR content and division scorecards, built ahead of their readers.

A recalculation of a chart's limits starts at ``spc`` for its KPI; the ``compute_ratings`` command starts at
``ratings``. Runs owed together are merged (``merge``), so a burst of publishes is followed by one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from divisions.words import trust_words
from escalation.services.evaluation import evaluate_escalations
from kpis.selectors.published import latest_published_month
from kpis.services.spc import refresh_spc
from reviews.ipr.store import warm_latest_ipr_content
from reviews.models import Criterion
from reviews.ratings import CRITERIA_COUNT
from reviews.services.meetings import sync_schedules
from reviews.services.ratings import compute_ratings, months_to_rate


@dataclass(frozen=True)
class Plan:
    """What one pass of the pipeline does: from which step, for which KPIs' charts, from which month."""

    start: str = "spc"
    kpi_ids: tuple[int, ...] | None = None  # None: every KPI
    first_month: date | None = None  # None: every published month


@dataclass(frozen=True)
class Step:
    name: str
    # With the levels as placeholders ("{division} ratings"): a page writes it in the trust's words.
    title: str
    run: Callable[[Plan], dict[str, Any]]


def _spc(plan: Plan) -> dict[str, Any]:
    result = refresh_spc(kpi_ids=plan.kpi_ids)
    return {"series": result.series, "points": result.points}


def missing_setup(sender: Any = None, **kwargs: Any) -> list[str]:
    """What the steps need set up before an upload is published (``kpis.signals.publish_requested``), in
    sentences that say what to do: the ratings step rates every division on exactly four criteria."""
    codes = list(Criterion.objects.values_list("code", flat=True))
    if len(codes) == CRITERIA_COUNT:
        return []
    have = f"{len(codes)} {'is' if len(codes) == 1 else 'are'} set up" + (
        f" ({', '.join(codes)})" if codes else ""
    )
    division = trust_words().division.lower()
    return [
        f"the {division} ratings that follow a publish need exactly {CRITERIA_COUNT} rating criteria"
        f" (FIN, QUAL, PERF and POL by default), and {have}. Set them up in the admin"
        " (Reviews › Criteria), each with the domain of KPIs it selects, then publish again."
    ]


def _ratings(plan: Plan) -> dict[str, Any]:
    if not Criterion.objects.exists():  # a new trust before its rating criteria are set up
        division = trust_words().division.lower()
        return {"skipped": f"no rating criteria are set up yet, so no {division} is rated"}
    return compute_ratings(months=months_to_rate(plan.first_month)).as_dict()


def _schedules(plan: Plan) -> dict[str, Any]:
    return {"planned": len(sync_schedules())}


def _escalations(plan: Plan) -> dict[str, Any]:
    month = latest_published_month()
    return {"month": None} if month is None else evaluate_escalations(month=month).as_dict()


def _ipr(plan: Plan) -> dict[str, Any]:
    month = warm_latest_ipr_content()
    return {"month": month.isoformat() if month else None}


STEPS: tuple[Step, ...] = (
    Step("spc", "SPC charts", _spc),
    Step("ratings", "{division} ratings", _ratings),
    Step("schedules", "PRM schedules", _schedules),
    Step("escalations", "escalations", _escalations),
    Step("ipr", "IPR content", _ipr),
)
STEP_NAMES = tuple(step.name for step in STEPS)


def steps_from(start: str) -> tuple[Step, ...]:
    """The steps a pass starting at ``start`` runs, in order."""
    return STEPS[STEP_NAMES.index(start) :]


def merge(plans: Iterable[Plan]) -> Plan:
    """One plan that does all of ``plans``: the earliest start; the charts of every KPI the plans that start
    with the charts name (all if one of them says all; a plan that starts later names none); and the
    earliest first month (all if one says all)."""
    plans = list(plans)
    if not plans:
        raise ValueError("nothing to merge")
    start = min((p.start for p in plans), key=STEP_NAMES.index)
    charting = [p for p in plans if p.start == STEP_NAMES[0]]
    kpi_ids: tuple[int, ...] | None = None
    if all(p.kpi_ids is not None for p in charting):
        kpi_ids = tuple(sorted({k for p in charting for k in p.kpi_ids or ()}))
    first_month = None
    if all(p.first_month is not None for p in plans):
        first_month = min(p.first_month for p in plans if p.first_month is not None)
    return Plan(start=start, kpi_ids=kpi_ids, first_month=first_month)
