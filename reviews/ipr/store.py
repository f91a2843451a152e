"""Each month's draft IPR content, and each division's dashboard scorecard, stored, so pages read them rather
than build them.

Building a month's content (`reviews.ipr.selectors.ipr_content`) reads every KPI's stored chart, writes its
sentences and fits its forecast: seconds on a large trust. A published report reads its frozen snapshot; a
draft, and a division's dashboard, read this store.

- `draft_ipr_content(month)` and `division_content(month, division)` return the stored content when it was
  built at the current version, and otherwise build it, store it and return it. It is stored as
  `IprContent.to_json()` with the exception charts kept apart, and read back with `IprContent.from_json`.
- `forget_ipr_content()` raises the version, so every stored copy is out of date. It runs whenever anything
  the content is built from changes: a model saved or deleted (`reviews.signals`), a publish, a refresh of
  the stored charts, a ratings run. A copy built while the data changed was built at the old version, so it
  is never served.
- `warm_latest_ipr_content()` builds the newest month's ahead of the first reader (after each ratings run,
  which follows every publish), and drops the version rows and copies that are out of date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Subquery, Value
from django.db.models.functions import Coalesce

from divisions.models import Level, OrgUnit
from divisions.selectors import default_trust
from kpis.models import Measurement

from ..models import IprContentVersion, IprDraftContent
from .content import IprContent
from .selectors import ipr_content

TRUST = ""  # the scope of the trust's own report


def _current() -> Coalesce:
    """The current version as an expression: the newest version row's id, 0 before any change."""
    return Coalesce(Subquery(IprContentVersion.objects.order_by("-pk").values("pk")[:1]), Value(0))


def _version() -> int:
    return IprContentVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def forget_ipr_content() -> None:
    """Every stored content is out of date: the next read builds it again. Part of the writer's
    transaction, so readers elsewhere see the new version exactly when they see the change."""
    IprContentVersion.objects.create()


def _prune() -> None:
    """Drop the version rows before the newest, and the copies built at older versions: none can be served."""
    current = _version()
    IprContentVersion.objects.filter(pk__lt=current).delete()
    IprDraftContent.objects.filter(version__lt=current).delete()


def _stored(month: date, scope: str, *, with_figures: bool) -> IprContent | None:
    """The content stored at the current version, in one query; None if there is none."""
    fields = ["content", "figures"] if with_figures else ["content"]
    row = IprDraftContent.objects.filter(month=month, scope=scope, version=_current()).values(*fields).first()
    if row is None:
        return None
    content = IprContent.from_json(row["content"])
    if with_figures:
        figures = row["figures"]
        content = content.with_rows([replace(k, figure=figures.get(k.code)) for k in content.kpis])
    return content


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


def draft_ipr_content(month: date, *, with_figures: bool = False) -> IprContent:
    """The live content of ``month``'s IPR (forecasts always; exception charts with ``with_figures``)."""
    content = _stored(month, TRUST, with_figures=with_figures)
    if content is None:
        content = _build(month, TRUST, lambda: _trust_content(month))
        if not with_figures:
            content = _without_figures(content)
    return content


def division_content(month: date, division: OrgUnit) -> IprContent:
    """The division's KPIs in ``month`` as the IPR reads them, with their recent values for a sparkline
    (no forecasts, no charts): its dashboard's scorecard."""
    content = _stored(month, division.code, with_figures=False)
    if content is None:
        content = _build(
            month,
            division.code,
            lambda: ipr_content(month, unit=division, with_forecasts=False, with_recent=True),
        )
    return content


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
    if _stored(month, TRUST, with_figures=False) is None:
        _build(month, TRUST, lambda: _trust_content(month))
    for division in OrgUnit.objects.filter(parent=trust, level=Level.DIVISION):
        division_content(month, division)
    return month
