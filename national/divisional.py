"""A division's figures of the national KPIs NHS England publishes with a split (RTT by treatment function,
cancer waiting times by tumour type, DM01 by diagnostic test), beside the trust's whole figure and its peers'
figures for the same splits: the national page of a division's PRM data pack.

The specialty → division map (``divisions.SpecialtyDivision``) names the splits that are the division's.

1. For each such KPI, the latest month up to the pack's month in which the trust published those splits.
2. The division's figure sums the trust's rows for its splits as the import does (100 × Σ numerators ÷ Σ
   denominators for a rate, Σ values for a count), so it is the figure the division's scorecard shows.
3. Where it is comparable — a rate, and at least one other organisation of the peer group publishes every
   one of the same splits that month — each such peer's figure for the same splits is worked out the same
   way and the division is ranked among them (``national.ranking.kpi_standing``): rank, n, median and
   quartiles. A count grows with the size of the service, so it is not compared.

Five queries whatever the number of peers, splits and KPIs: the map, the trust's profile (two), the latest
months and the peer values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, Q

from divisions.models import OrgUnit, SpecialtyDivision

from .catalogue import NationalKpi, national_kpis
from .models import PeerValue
from .ranking import KpiStanding, kpi_standing
from .selectors import PeerSet, Source, standard_peer_sets, this_trust

SPLIT_NAMES = {
    "treatment_function": "treatment functions",
    "cancer_type": "tumour types",
    "diagnostic_test": "diagnostic tests",
}
NOT_MAPPED = (
    "No treatment function, tumour type or diagnostic test is mapped to {division}, so no national figure "
    "is split to it."
)
NO_PROFILE = (
    "The trust has no national profile (its ODS code and type), so its national figures cannot be read."
)
# org code, KPI code, month, split kind, split code, split name, numerator, denominator, value, publication,
# source file, published on
SplitRow = tuple[str, str, date, str, str, str, float | None, float | None, float, str, str, date | None]


@dataclass(frozen=True)
class SplitFigure:
    """One national KPI for a division: its figure, the trust's, and the peers' for the same splits."""

    kpi: NationalKpi
    month: date
    split_kind: str
    splits: tuple[str, ...]  # the names of the division's splits the trust published that month
    division_value: float
    trust_value: float | None
    peers: KpiStanding | None  # the division ranked among peers' figures for the same splits
    not_compared: str  # why there is no peer comparison, when there is none
    sources: tuple[Source, ...]

    def to_json(self) -> dict[str, Any]:
        peers = self.peers
        return {
            "code": self.kpi.code,
            "name": self.kpi.name,
            "unit": self.kpi.unit,
            "higher_is_better": self.kpi.higher_is_better,
            "month": self.month.isoformat(),
            "split_kind": SPLIT_NAMES.get(self.split_kind, self.split_kind),
            "splits": list(self.splits),
            "division_value": self.division_value,
            "trust_value": self.trust_value,
            "peers": None
            if peers is None
            else {
                "rank": peers.rank,
                "n": peers.n,
                "quartile": peers.quartile,
                "median": peers.median,
                "lower_quartile": peers.lower_quartile,
                "upper_quartile": peers.upper_quartile,
            },
            "not_compared": self.not_compared,
            "sources": [
                {
                    "publication": s.publication,
                    "source_file": s.source_file,
                    "published_on": s.published_on.isoformat() if s.published_on else None,
                }
                for s in self.sources
            ],
        }


@dataclass(frozen=True)
class DivisionSplits:
    """The national page of a division's pack: its split KPIs, or ``note`` saying why there are none."""

    peer_group: str
    figures: tuple[SplitFigure, ...]
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "peer_group": self.peer_group,
            "figures": [f.to_json() for f in self.figures],
            "note": self.note,
        }


def split_value(kpi: NationalKpi, rows: list[SplitRow]) -> float | None:
    """The figure of ``rows`` (one organisation's splits) by the KPI's definition; None if it has none."""
    if kpi.aggregation == "sum":
        return sum(r[8] for r in rows)
    numerator = sum(r[6] or 0.0 for r in rows)
    denominator = sum(r[7] or 0.0 for r in rows)
    return kpi.scale * numerator / denominator if denominator else None


def _latest_months(trust_code: str, splits: Q, up_to: date) -> dict[str, date]:
    """The latest month up to ``up_to`` in which the trust published each KPI's mapped splits (one query)."""
    found = (
        PeerValue.objects.filter(splits, org_code=trust_code, month__lte=up_to)
        .values("kpi_code")
        .annotate(latest=Max("month"))
        .values_list("kpi_code", "latest")
    )
    return dict(found)


def _rows(trust_code: str, peer_set: PeerSet, splits: Q, months: dict[str, date]) -> list[SplitRow]:
    """The peer set's rows of the mapped splits, and the trust's whole rows, of each KPI in its month (one
    query)."""
    when = Q()
    for code, month in months.items():
        when |= Q(kpi_code=code, month=month)
    return list(
        PeerValue.objects.filter(when)
        .filter((splits & Q(org_code__in=sorted(peer_set.members))) | Q(org_code=trust_code, split_kind=""))
        .values_list(
            "org_code",
            "kpi_code",
            "month",
            "split_kind",
            "split_code",
            "split_name",
            "numerator",
            "denominator",
            "value",
            "publication",
            "source_file",
            "published_on",
        )
    )


def _figure(
    kpi: NationalKpi,
    month: date,
    trust_code: str,
    rows: list[SplitRow],
    trust_value: float | None,
    peer_group: str,
) -> SplitFigure | None:
    """The division's figure of one KPI in one month from the month's split rows of every organisation."""
    by_org: dict[str, list[SplitRow]] = defaultdict(list)
    for row in rows:
        by_org[row[0]].append(row)
    own = by_org.pop(trust_code, [])
    division_value = split_value(kpi, own)
    if division_value is None:
        return None
    codes = {r[4] for r in own}
    values = {trust_code: division_value}
    for org, theirs in by_org.items():
        if codes <= {r[4] for r in theirs}:
            value = split_value(kpi, [r for r in theirs if r[4] in codes])
            if value is not None:
                values[org] = value
    kind = own[0][3]
    peers, why = None, ""
    if kpi.aggregation != "ratio":
        why = "A count grows with the size of the service, so it is not compared with other trusts."
    elif len(values) < 2:
        why = f"No other organisation in {peer_group} publishes all of these {SPLIT_NAMES.get(kind, kind)}."
    else:
        peers = kpi_standing(
            values, "higher_is_better" if kpi.higher_is_better else "lower_is_better", trust_code
        )
    return SplitFigure(
        kpi=kpi,
        month=month,
        split_kind=kind,
        splits=tuple(sorted({r[5] or r[4] for r in own})),
        division_value=division_value,
        trust_value=trust_value,
        peers=peers,
        not_compared=why,
        sources=tuple(sorted({Source(r[9], r[10], r[11]) for r in own}, key=lambda s: s.source_file)),
    )


def division_splits(division: OrgUnit, up_to: date) -> DivisionSplits:
    """The national page of ``division``'s pack for the month ``up_to`` (see the module docstring)."""
    mapped: dict[str, set[str]] = defaultdict(set)
    for kind, code in SpecialtyDivision.objects.filter(division=division).values_list("kind", "code"):
        mapped[kind].add(code)
    if not mapped:
        return DivisionSplits("", (), NOT_MAPPED.format(division=division.name))
    trust = this_trust()
    if trust is None:
        return DivisionSplits("", (), NO_PROFILE)
    peer_set = standard_peer_sets(trust)[0]
    splits = Q()
    for kind, codes in mapped.items():
        splits |= Q(split_kind=kind, split_code__in=sorted(codes))
    months = _latest_months(trust.code, splits, up_to)
    by_kpi: dict[str, list[SplitRow]] = defaultdict(list)
    whole: dict[str, float] = {}
    for row in _rows(trust.code, peer_set, splits, months) if months else []:
        if row[3]:
            by_kpi[row[1]].append(row)
        else:
            whole[row[1]] = row[8]
    figures = []
    for code, kpi in national_kpis().items():
        if code in months:
            figure = _figure(kpi, months[code], trust.code, by_kpi[code], whole.get(code), peer_set.name)
            if figure is not None:
                figures.append(figure)
    note = "" if figures else f"No national figures split to {division.name} are loaded up to this month."
    return DivisionSplits(peer_set.name, tuple(figures), note)
