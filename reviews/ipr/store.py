"""Each month's draft IPR content, and each division's, service's and team's dashboard scorecard, stored, so
pages read them rather than build them.

Building a month's content (`reviews.ipr.selectors.ipr_content`) reads every KPI's stored chart, writes its
sentences and fits its forecast: seconds on a large trust. A published report reads its frozen snapshot; a
draft, and a unit's dashboard, read this store.

- `draft_ipr_content(month)` and `unit_content(month, unit)` (a division, a service or a team; also named
  `division_content`) return the stored content when it was built at the current version. It is stored as
  `IprContent.to_json()` with the exception charts kept apart, and read back with `IprContent.from_json`.
- `forget_ipr_content(unit=..., since=...)` raises the version and keeps current every stored copy the
  change cannot touch: a change to a unit's data touches the scorecards of its division and of every service
  and team in it (a roll-up or a plan reaches up and down the division), and the trust's report, from the
  change's month on, nothing else; a change with no unit or month (a new KPI, a ratings run)
  touches every copy. It runs whenever anything the content is built from changes: a model saved or deleted
  (`reviews.signals`), a publish, a refresh of the stored charts, a ratings run. A copy built while the data
  changed was built at the old version, so it is never taken for current.
- A copy out of date is still served, marked as updating (`is_updating`), while the new one is built in the
  background (`rebuild_ipr_content_task`), one builder at a time for each month and scope (a single-flight
  lock, `pmf.locks`): a crowd of readers never rebuilds it at once. Without workers (no broker: the
  embedded set-up and the tests) the first reader rebuilds it in its request, and the others are served the
  previous copy meanwhile. Only when there is no copy at all does a reader wait, for the one builder.
- `warm_latest_ipr_content()` builds the newest month's ahead of the first reader (after each ratings run,
  which follows every publish), and drops the version rows that are out of date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import ClassVar, TypedDict

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce

from divisions.models import Level, OrgUnit
from divisions.selectors import default_trust
from kpis.models import Commentary, Measurement, Recalculation, Target, Trajectory, Upload
from pmf.locks import lock_until_commit, try_hold
from pmf.services.jobs import send_task

from ..models import IprContentVersion, IprDraftContent
from .content import IprContent
from .selectors import ipr_content

TRUST = ""  # the scope of the trust's own report


def _current() -> Coalesce:
    """The current version as an expression: the newest version row's id, 0 before any change."""
    return Coalesce(Subquery(IprContentVersion.objects.order_by("-pk").values("pk")[:1]), Value(0))


def _version() -> int:
    return IprContentVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def forget_ipr_content(*, unit: OrgUnit | int | None = None, since: date | None = None) -> None:
    """The stored content built from what changed is out of date: the next read builds it again.

    ``unit`` is the unit whose data changed (its division's scorecard and the trust's report are out of date;
    None: every scope), ``since`` the first month whose content reads the change (None: every month). Every
    other copy current before the change stays current. Part of the writer's transaction, so readers
    elsewhere see the new version exactly when they see the change; two writers take their turn (a lock
    until commit), so neither keeps current a copy the other's change touches.
    """
    with transaction.atomic():
        lock_until_commit("ipr-content-version")
        previous = _version()
        current = IprContentVersion.objects.create().pk
        if unit is None and since is None:
            return
        touched = Q()
        if unit is not None and (scopes := _division_scopes(unit)) is not None:
            touched &= Q(scope__in=[TRUST, *scopes])
        if since is not None:
            touched &= Q(month__gte=since)
        if touched:
            IprDraftContent.objects.filter(version=previous).exclude(touched).update(version=current)


class Scope(TypedDict):
    """What a change touches: the unit whose data changed (None: every unit), its first month (None: all)."""

    unit: int | None
    since: date | None


def changed_scope(instance: object) -> Scope:
    """The ``forget_ipr_content`` arguments for a saved or deleted ``instance``: the unit and first month a
    commentary, measurement, trajectory, recalculation or target touches, the first month an upload
    covers; everything for the rest (a kitemark, a KPI, the organisation: every month reads them)."""
    month = getattr(instance, "month", None)
    if isinstance(instance, Target):
        year_start = date(int(instance.financial_year[:4]), 4, 1)
        return {"unit": instance.org_unit_id, "since": min(year_start, instance.effective_from)}
    if isinstance(instance, (Commentary, Measurement, Trajectory, Recalculation)):
        return {"unit": instance.org_unit_id, "since": month}
    if isinstance(instance, Upload):
        covered = sorted(date.fromisoformat(m) for m in instance.months or [])
        return {"unit": None, "since": covered[0] if covered else None}
    return {"unit": None, "since": None}


def _division_scopes(unit: OrgUnit | int) -> list[str] | None:
    """The codes of the division ``unit`` is in (itself if a division) and of every unit under that division;
    None for the trust or above."""
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    while unit_id is not None:
        level, pk, unit_id = OrgUnit.objects.filter(pk=unit_id).values_list("level", "pk", "parent_id").get()
        if level == Level.DIVISION:
            within = Q(pk=pk) | Q(parent_id=pk) | Q(parent__parent_id=pk)
            return list(OrgUnit.objects.filter(within).values_list("code", flat=True))
    return None


def _prune() -> None:
    """Drop the version rows before the newest: only the newest is read. Copies stay, current or not: one
    out of date is served, marked as updating, while its new one builds."""
    IprContentVersion.objects.filter(pk__lt=_version()).delete()


@dataclass(frozen=True)
class UpdatingIprContent(IprContent):
    """A stored copy built before the latest change, served while its new one builds."""

    is_updating: ClassVar[bool] = True


def _updating(content: IprContent) -> UpdatingIprContent:
    return UpdatingIprContent(**{f.name: getattr(content, f.name) for f in fields(content)})


def _stored(month: date, scope: str, *, with_figures: bool) -> tuple[Callable[[], IprContent], bool] | None:
    """How to read the stored content, and whether it is current, in one query; None if there is none. The
    content is read only when asked for: a copy out of date that its reader rebuilds is never parsed."""
    fields_read = ["content", "figures", "current"] if with_figures else ["content", "current"]
    row = (
        IprDraftContent.objects.filter(month=month, scope=scope)
        .annotate(current=ExpressionWrapper(Q(version__gte=_current()), output_field=BooleanField()))
        .values(*fields_read)
        .first()
    )
    if row is None:
        return None

    def content() -> IprContent:
        read = IprContent.from_json(row["content"])
        if with_figures:
            figures = row["figures"]
            read = read.with_rows([replace(k, figure=figures.get(k.code)) for k in read.kpis])
        return read

    return content, bool(row["current"])


def _without_figures(content: IprContent) -> IprContent:
    return content.with_rows([replace(k, figure=None) for k in content.kpis])


def _build(month: date, scope: str, build: Callable[[], IprContent]) -> IprContent:
    """Build the content and store it at the version read before building, the charts kept apart."""
    version = _version()
    content = build()
    figures = {k.code: k.figure for k in content.kpis if k.figure}
    try:
        with transaction.atomic():
            IprDraftContent.objects.update_or_create(
                month=month,
                scope=scope,
                defaults={
                    "version": version,
                    "content": _without_figures(content).to_json(),
                    "figures": figures,
                },
            )
    except IntegrityError:
        pass  # another reader stored the same content at the same moment
    return content


def _trust_content(month: date) -> IprContent:
    return ipr_content(month, with_figures=True)


def _unit_scorecard(month: date, unit: OrgUnit) -> IprContent:
    return ipr_content(month, unit=unit, with_forecasts=False, with_recent=True)


def _builder(month: date, scope: str) -> Callable[[], IprContent]:
    if scope == TRUST:
        return lambda: _trust_content(month)
    unit = OrgUnit.objects.exclude(level=Level.TRUST).get(code=scope)
    return lambda: _unit_scorecard(month, unit)


def _lock(month: date, scope: str) -> str:
    return f"ipr-content:{month:%Y-%m}:{scope or 'trust'}"


def _in_background() -> bool:
    """Whether workers build in the background (a broker), rather than the serving process."""
    return not rebuild_ipr_content_task.app.conf.task_always_eager


def _read(month: date, scope: str, build: Callable[[], IprContent], *, with_figures: bool) -> IprContent:
    """The stored content; if out of date, the previous copy marked as updating while one builder rebuilds
    it; if there is none, built by one reader while the others wait for it."""
    stored = _stored(month, scope, with_figures=with_figures)
    if stored is not None:
        content, current = stored
        if current:
            return content()
        if _in_background():
            transaction.on_commit(lambda: send_task(rebuild_ipr_content_task, month.isoformat(), scope))
            return _updating(content())
        with try_hold(_lock(month, scope)) as taken:
            if not taken:  # another reader is rebuilding it
                return _updating(content())
            return _build(month, scope, build)
    with try_hold(_lock(month, scope)) as taken:
        if taken:
            return _build(month, scope, build)
    with transaction.atomic():  # another reader is building the first copy: wait for it, then read it
        lock_until_commit(_lock(month, scope))
    stored = _stored(month, scope, with_figures=with_figures)
    return stored[0]() if stored is not None else _build(month, scope, build)


def rebuild_ipr_content(month: date, scope: str) -> bool:
    """Build the content of ``month`` for ``scope`` again if it is out of date and no one else is building
    it; whether it was built."""
    with try_hold(_lock(month, scope)) as taken:
        stored = _stored(month, scope, with_figures=False) if taken else None
        if not taken or (stored is not None and stored[1]):
            return False
        _build(month, scope, _builder(month, scope))
        return True


@shared_task(acks_late=True)
def rebuild_ipr_content_task(month: str, scope: str) -> bool:
    """Rebuild one stored copy out of date (``rebuild_ipr_content``); safe to run twice."""
    return rebuild_ipr_content(date.fromisoformat(month), scope)


def draft_ipr_content(month: date, *, with_figures: bool = False) -> IprContent:
    """The live content of ``month``'s IPR (forecasts always; exception charts with ``with_figures``)."""
    content = _read(month, TRUST, lambda: _trust_content(month), with_figures=with_figures)
    return content if with_figures else _without_figures(content)


def unit_content(month: date, unit: OrgUnit) -> IprContent:
    """The KPIs of a division, service or team in ``month`` as the IPR reads them (a team's values as
    submitted, a service's as rolled up from its teams or as it submitted them), with their recent values
    for a sparkline (no forecasts, no charts): its dashboard's scorecard."""
    return _read(month, unit.code, lambda: _unit_scorecard(month, unit), with_figures=False)


division_content = unit_content  # a division's scorecard, as the reminders and the data packs read it


def warm_latest_ipr_content() -> date | None:
    """Build the newest month's trust content and division scorecards if not stored, after dropping what is
    out of date; return that month."""
    _prune()
    trust = default_trust()
    if trust is None:
        return None
    month = Measurement.objects.filter(org_unit=trust, status=Measurement.Status.PUBLISHED).aggregate(
        latest=Max("month")
    )["latest"]
    if month is None:
        return None
    stored = _stored(month, TRUST, with_figures=False)
    if stored is None or not stored[1]:
        _build(month, TRUST, lambda: _trust_content(month))
    for division in OrgUnit.objects.filter(parent=trust, level=Level.DIVISION):
        stored = _stored(month, division.code, with_figures=False)
        if stored is None or not stored[1]:
            _build(month, division.code, lambda: _unit_scorecard(month, division))  # noqa: B023
    return month
