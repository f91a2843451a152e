"""Reading peer values: a trust's peer groups, and its standing among them on each national KPI.

``benchmark_for`` gives one KPI and month (the ``benchmark`` command, the IPR); ``benchmarking_for`` gives
every KPI of a month with each KPI's series and the overall standing (the benchmarking page). Both read the
peer values in one query and rank them with ``national.ranking``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from divisions import ods
from divisions.models import TrustProfile
from pmf.periods import add_months

from .catalogue import NationalKpi, national_kpis
from .models import PeerGroup, PeerValue
from .ranking import Direction, KpiStanding, OverallStanding, kpi_standing, overall_standing

# org code, org name, KPI code, month, value, publication, source file, published on
PeerRow = tuple[str, str, str, date, float, str, str, date | None]
SERIES_MONTHS = 24


@dataclass(frozen=True)
class Trust:
    """The trust being benchmarked, as the ODS reference (or its profile) knows it."""

    code: str
    name: str
    trust_type: str
    region_code: str
    region_name: str
    icb_code: str
    icb_name: str


@dataclass(frozen=True)
class PeerSet:
    """A peer group resolved to its members' ODS codes (the trust always among them)."""

    key: str  # "type", "region", "icb", or "group-<id>" for a stored group
    name: str
    kind: str
    criterion: str
    members: frozenset[str]


@dataclass(frozen=True)
class Source:
    """Where peer figures came from: the publication, the file, and its publication date if it gives one."""

    publication: str
    source_file: str
    published_on: date | None


@dataclass(frozen=True)
class Benchmark:
    """The trust's standing on one national KPI in one month among a peer set, with the figures' sources."""

    kpi: NationalKpi
    month: date
    peer_set: PeerSet
    standing: KpiStanding
    names: Mapping[str, str]  # org code → name, for every peer ranked
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SeriesPoint:
    month: date
    value: float
    median: float
    upper_quartile: float
    lower_quartile: float
    rank: float
    n: int


@dataclass(frozen=True)
class Benchmarking:
    """Everything the benchmarking page shows for a month and a peer set."""

    trust: Trust
    month: date
    peer_set: PeerSet
    benchmarks: tuple[Benchmark, ...]  # the KPIs the trust has a value for that month, in catalogue order
    series: Mapping[str, tuple[SeriesPoint, ...]]  # by KPI code, oldest first
    overall: OverallStanding | None
    scored_kpis: tuple[NationalKpi, ...]  # the KPIs the catalogue scores


def trust_for(code: str) -> Trust | None:
    """The trust with this ODS code: its profile if it has one here, else the ODS reference, else None."""
    profile = TrustProfile.objects.select_related("trust").filter(ods_code=code.strip().upper()).first()
    if profile is not None:
        return Trust(
            code=profile.ods_code,
            name=profile.trust.name,
            trust_type=profile.trust_type,
            region_code=profile.region_code,
            region_name=profile.region_name,
            icb_code=profile.icb_code,
            icb_name=profile.icb_name,
        )
    found = ods.find(code)
    if found is None:
        return None
    return Trust(
        code=found.code,
        name=found.name,
        trust_type=found.trust_type,
        region_code=found.region_code,
        region_name=found.region_name,
        icb_code=found.icb_code,
        icb_name=found.icb_name,
    )


def this_trust() -> Trust | None:
    """The trust this deployment serves (its profile), or None before it is set up."""
    profile = TrustProfile.objects.only("ods_code").first()
    return None if profile is None else trust_for(profile.ods_code)


def _members(kind: str, criterion: str, listed: list[str], trust: Trust) -> frozenset[str]:
    """ODS codes in the group: English trusts matching the criterion (open or since closed, so that a
    month long past is ranked among the trusts of its day), or the listed ones; the trust always."""
    if kind == PeerGroup.Kind.HAND_PICKED:
        codes = {code.strip().upper() for code in listed}
    else:
        field = {"trust_type": "trust_type", "region": "region_code", "icb": "icb_code"}[kind]
        codes = {t.code for t in ods.all_trusts() if t.in_england and getattr(t, field) == criterion}
    return frozenset(codes | {trust.code})


def _type_label(trust_type: str) -> str:
    return trust_type.replace("_", " ")


def standard_peer_sets(trust: Trust) -> list[PeerSet]:
    """Same trust type in England (the default), the trust's NHS England region, and its ICB."""
    kinds = [
        (
            "type",
            "trust_type",
            trust.trust_type,
            f"{_type_label(trust.trust_type).capitalize()} trusts in England",
        ),
        (
            "region",
            "region",
            trust.region_code,
            f"{trust.region_name or trust.region_code} region, every type",
        ),
        ("icb", "icb", trust.icb_code, f"{trust.icb_name or trust.icb_code} ICB, every type"),
    ]
    return [
        PeerSet(key, name, kind, criterion, _members(kind, criterion, [], trust))
        for key, kind, criterion, name in kinds
        if criterion
    ]


def peer_sets_for(trust: Trust) -> list[PeerSet]:
    """Every peer set offered for ``trust``: the standard three, then the stored groups by name."""
    stored = [
        PeerSet(f"group-{g.pk}", g.name, g.kind, g.criterion, _members(g.kind, g.criterion, g.members, trust))
        for g in PeerGroup.objects.all()
    ]
    return [*standard_peer_sets(trust), *stored]


def peer_set_for(trust: Trust, key: str | None) -> PeerSet | None:
    """The peer set with this key (or stored name); with no key, the default: same type in England."""
    sets = peer_sets_for(trust)
    if not key:
        return sets[0] if sets else None
    return next((s for s in sets if key in (s.key, s.name)), None)


def _peer_rows(peer_set: PeerSet, codes: list[str], first: date, last: date) -> list[PeerRow]:
    """Whole-organisation peer values of the set for ``codes`` from ``first`` to ``last``: one query."""
    return list(
        PeerValue.objects.filter(
            org_code__in=sorted(peer_set.members),
            kpi_code__in=codes,
            month__gte=first,
            month__lte=last,
            split_kind="",
        ).values_list(
            "org_code", "org_name", "kpi_code", "month", "value", "publication", "source_file", "published_on"
        )
    )


def _benchmark(
    kpi: NationalKpi,
    month: date,
    peer_set: PeerSet,
    trust_code: str,
    rows: list[PeerRow],
) -> Benchmark | None:
    """The trust's benchmark from the rows of one KPI and month."""
    values = {row[0]: row[4] for row in rows}
    standing = kpi_standing(values, _direction(kpi), trust_code)
    if standing is None:
        return None
    return Benchmark(
        kpi=kpi,
        month=month,
        peer_set=peer_set,
        standing=standing,
        names={row[0]: row[1] for row in rows},
        sources=tuple(sorted({Source(row[5], row[6], row[7]) for row in rows}, key=lambda s: s.source_file)),
    )


def _series(kpi: NationalKpi, trust_code: str, months: Mapping[date, list[PeerRow]]) -> list[SeriesPoint]:
    """The trust against the peers' median and quartiles, month by month, oldest first."""
    points = []
    for when in sorted(months):
        standing = kpi_standing({r[0]: r[4] for r in months[when]}, _direction(kpi), trust_code)
        if standing is not None:
            points.append(
                SeriesPoint(
                    month=when,
                    value=standing.value,
                    median=standing.median,
                    upper_quartile=standing.upper_quartile,
                    lower_quartile=standing.lower_quartile,
                    rank=standing.rank,
                    n=standing.n,
                )
            )
    return points


def _direction(kpi: NationalKpi) -> Direction:
    return "higher_is_better" if kpi.higher_is_better else "lower_is_better"


def benchmark_for(trust: Trust, kpi_code: str, month: date, peer_set: PeerSet) -> Benchmark | None:
    """The trust's standing on ``kpi_code`` in ``month`` among ``peer_set``; None when it has no value."""
    kpi = national_kpis()[kpi_code]
    return _benchmark(kpi, month, peer_set, trust.code, _peer_rows(peer_set, [kpi_code], month, month))


def benchmark_months(trust: Trust) -> list[date]:
    """The months with a published whole-trust value for the trust, newest first (one query)."""
    months = (
        PeerValue.objects.filter(org_code=trust.code, split_kind="")
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )
    return list(months)


def benchmarking_for(
    trust: Trust, month: date, peer_set: PeerSet, *, series_months: int = SERIES_MONTHS
) -> Benchmarking:
    """Every national KPI for ``month`` among ``peer_set``, each KPI's series over the ``series_months``
    up to ``month``, and the overall standing over the scored KPIs; one query for all the peer values.

    1. Read the set's whole-organisation values of every national KPI over the window.
    2. Group them by KPI and month; for each, place the trust (``kpi_standing``).
    3. The month's groups, of the scored KPIs, give the overall standing (``overall_standing``).
    """
    catalogue = national_kpis()
    rows = _peer_rows(peer_set, list(catalogue), add_months(month, 1 - series_months), month)
    by_kpi: dict[str, dict[date, list[PeerRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_kpi[row[2]][row[3]].append(row)
    benchmarks: list[Benchmark] = []
    series: dict[str, tuple[SeriesPoint, ...]] = {}
    for code, kpi in catalogue.items():
        months = by_kpi.get(code, {})
        current = _benchmark(kpi, month, peer_set, trust.code, months.get(month, []))
        if current is not None:
            benchmarks.append(current)
        series[code] = tuple(_series(kpi, trust.code, months))
    scored = tuple(kpi for kpi in catalogue.values() if kpi.scored)
    overall = overall_standing(
        {kpi.code: {r[0]: r[4] for r in by_kpi.get(kpi.code, {}).get(month, [])} for kpi in scored},
        {kpi.code: _direction(kpi) for kpi in scored},
        trust.code,
    )
    return Benchmarking(
        trust=trust,
        month=month,
        peer_set=peer_set,
        benchmarks=tuple(benchmarks),
        series=series,
        overall=overall,
        scored_kpis=scored,
    )
