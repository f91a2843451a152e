"""Reads for ratings: everything one rating run needs, in a fixed number of queries, and the pages' reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from divisions.models import Level, OrgUnit
from divisions.review_frequencies import DEFAULT_BY_POSITION, Frequency, by_position
from kpis.assessment import Assessment
from kpis.models import Kpi, KpiSuiteEntry, Measurement
from kpis.selectors import Standings, standings
from kpis.standing import KpiStanding
from pmf.periods import financial_year_label

from ..models import AccountabilityReview, Criterion, DivisionRating, Freedom, PolicyBreach, SpecialMeasures
from .prm_slot import review_frequency_table


def published_months(since: date | None = None) -> list[date]:
    """Every month with published data, or ``since`` and every such month after it, in order (one query:
    from ``since``, it reads the rows of those months only, not the whole history)."""
    published = Measurement.objects.filter(status=Measurement.Status.PUBLISHED)
    if since is not None:
        published = published.filter(month__gte=since)
    return sorted(published.values_list("month", flat=True).distinct().order_by())


@dataclass(frozen=True)
class KpiFacts:
    """One KPI as a rating sees it in one month: key flag as agreed for the year, and its standing."""

    kpi: Kpi
    is_key: bool
    standing: KpiStanding
    expected: bool

    @property
    def value(self) -> float | None:
        return self.standing.value

    @property
    def plan(self) -> float | None:
        return self.standing.plan.plan

    @property
    def tolerance(self) -> float:
        return self.standing.plan.tolerance

    @property
    def assessment(self) -> Assessment:
        return self.standing.assessment


@dataclass
class RatingInputs:
    """Everything a rating run reads, loaded once for all its divisions and months."""

    divisions: list[OrgUnit]
    months: list[date]
    criteria: list[Criterion]
    kpis_by_criterion: dict[str, list[Kpi]]
    standings: Standings  # every selected KPI × division × month
    # (financial year, kpi_id) → is_key for the KPIs in that year's suite; years with no suite are absent
    suites: dict[str, dict[int, bool]]
    reported: set[tuple[int, date]]
    division_reports: set[tuple[int, int]]
    breaches: set[tuple[int, date]]
    special_measures: dict[int, list[tuple[date, date | None]]]
    reviews: dict[int, list[AccountabilityReview]]
    stored: dict[tuple[int, date], DivisionRating] = field(default_factory=dict)
    # how often each position is reviewed: the trust's table (``TrustProfile.review_frequencies``)
    review_frequencies: dict[int, Frequency] = field(default_factory=lambda: dict(DEFAULT_BY_POSITION))

    def facts(self, kpi: Kpi, division: OrgUnit, month: date) -> KpiFacts | None:
        """The KPI for the division and month, or None when it is not in force or not the division's."""
        if kpi.active_from > month or (kpi.active_to is not None and kpi.active_to < month):
            return None
        suite = self.suites.get(financial_year_label(month))
        if suite is not None and kpi.pk not in suite:
            return None
        if (kpi.pk, division.pk) not in self.division_reports:
            return None
        standing = self.standings.at(kpi.pk, division.pk, month)
        if standing is None:
            return None  # a month outside the run
        return KpiFacts(
            kpi=kpi,
            is_key=suite[kpi.pk] if suite is not None else kpi.is_key,
            standing=standing,
            expected=(kpi.pk, month) in self.reported,
        )

    def in_special_measures(self, division: OrgUnit, month: date) -> bool:
        return any(
            start <= month and (end is None or end >= month)
            for start, end in self.special_measures.get(division.pk, [])
        )


def selects(criterion: Criterion, kpi: Kpi, tag_ids: set[int]) -> bool:
    """A criterion selects a KPI in its domain (if set), with its tag (if set), key only if asked."""
    return (
        (criterion.domain_id is None or kpi.domain_id == criterion.domain_id)
        and (criterion.tag_id is None or criterion.tag_id in tag_ids)
        and (not criterion.key_only or kpi.is_key)
    )


def rating_inputs(months: Iterable[date]) -> RatingInputs:
    """Load a rating run: 14 queries whatever the number of divisions, KPIs or months."""
    months = sorted(set(months))
    divisions = list(OrgUnit.objects.filter(level=Level.DIVISION).order_by("code"))
    division_ids = [d.pk for d in divisions]
    criteria = list(Criterion.objects.order_by("order", "code"))
    kpis = list(Kpi.objects.prefetch_related("tags").order_by("code"))
    by_criterion = {
        c.code: [k for k in kpis if selects(c, k, {t.pk for t in k.tags.all()})] for c in criteria
    }
    selected = sorted({k.pk for chosen in by_criterion.values() for k in chosen})

    kpi_standings = standings(division_ids, months, kpis=[k for k in kpis if k.pk in set(selected)])

    years = sorted({financial_year_label(m) for m in months})
    suites: dict[str, dict[int, bool]] = defaultdict(dict)
    for year, kpi_id, is_key in KpiSuiteEntry.objects.filter(suite__financial_year__in=years).values_list(
        "suite__financial_year", "kpi_id", "is_key"
    ):
        suites[year][kpi_id] = is_key

    reported = set(
        Measurement.objects.filter(status=Measurement.Status.PUBLISHED, month__in=months, kpi_id__in=selected)
        .values_list("kpi_id", "month")
        .distinct()
        .order_by()
    )
    division_reports = set(
        Measurement.objects.filter(
            status=Measurement.Status.PUBLISHED, org_unit_id__in=division_ids, kpi_id__in=selected
        )
        .values_list("kpi_id", "org_unit_id")
        .distinct()
        .order_by()
    )
    breaches = set(
        PolicyBreach.objects.filter(division_id__in=division_ids, month__in=months).values_list(
            "division_id", "month"
        )
    )
    special: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for division_id, start, end in SpecialMeasures.objects.filter(division_id__in=division_ids).values_list(
        "division_id", "from_month", "to_month"
    ):
        special[division_id].append((start, end))
    reviews: dict[int, list[AccountabilityReview]] = defaultdict(list)
    for review in AccountabilityReview.objects.filter(division_id__in=division_ids).order_by("held_on", "id"):
        reviews[review.division_id].append(review)
    return RatingInputs(
        divisions=divisions,
        months=months,
        criteria=criteria,
        kpis_by_criterion=by_criterion,
        standings=kpi_standings,
        suites=dict(suites),
        reported=reported,
        division_reports=division_reports,
        breaches=breaches,
        special_measures=dict(special),
        reviews=dict(reviews),
        review_frequencies=by_position(review_frequency_table()),
    )


def stored_ratings(
    division_ids: Iterable[int], months: Iterable[date] | None = None
) -> dict[tuple[int, date], DivisionRating]:
    """The stored ratings of these divisions in ``months`` (every month when None), by (division id, month)
    (one query)."""
    query = DivisionRating.objects.filter(division_id__in=list(division_ids))
    if months is not None:
        query = query.filter(month__in=sorted(set(months)))
    return {(r.division_id, r.month): r for r in query.select_related("division")}


def earlier_ratings(division_ids: Iterable[int], before: date) -> dict[int, list[DivisionRating]]:
    """Each division's stored ratings before ``before``, in month order, with their positions only (one
    query): what a rating run continues from (hysteresis, the weekly rule), without reading every earlier
    month's explanation, which holds a line for every KPI."""
    earlier: dict[int, list[DivisionRating]] = defaultdict(list)
    for rating in (
        DivisionRating.objects.filter(division_id__in=list(division_ids), month__lt=before)
        .only("division_id", "month", "computed_position", "effective_position")
        .order_by("division_id", "month")
    ):
        earlier[rating.division_id].append(rating)
    return dict(earlier)


def freedoms_for(position: int | None) -> list[Freedom]:
    """The freedoms a division at ``position`` holds: those of its position and of every worse one; none
    when it is not rated (``None``)."""
    if position is None:
        return []
    return list(Freedom.objects.filter(position__gte=position).order_by("position", "order", "name"))


def latest_review(division: OrgUnit) -> AccountabilityReview | None:
    return (
        AccountabilityReview.objects.filter(division=division)
        .select_related("decided_by")
        .order_by("-held_on", "-id")
        .first()
    )


def ratings_of(division_ids: Iterable[int], *, since: date | None = None) -> list[DivisionRating]:
    query = DivisionRating.objects.filter(division_id__in=list(division_ids))
    if since is not None:
        query = query.filter(Q(month__gte=since))
    return list(query.order_by("division_id", "month"))
