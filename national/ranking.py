"""A trust's standing among its peers, in the NHS Oversight Framework's terms (DESIGN §8).

Pure: values in, typed results out; no Django. Every rule below is what ``docs/benchmarking.md`` explains
with a worked example.

Per KPI and month, among the organisations of a peer group that have a value:

1. **Rank**: 1 is the best value, respecting the KPI's direction (the highest for ``higher_is_better``,
   the lowest for ``lower_is_better``). Tied values share the average of the ranks they span, so two
   organisations tied for second both rank 2.5.
2. **n**: how many organisations were ranked (the trust included).
3. **Quartile**: ``1 + ⌊4 × (rank − 1) ÷ n⌋``, at most 4. Quartile 1 is the best quarter.
4. **Score**: ``1 + 3 × (rank − 1) ÷ (n − 1)``, from 1.00 (best) to 4.00 (worst). With n = 1 there is
   nobody to compare with: the lone organisation is rank 1, quartile 1, score 1.00, and the overall
   standing leaves such a KPI out (``MIN_PEERS_TO_SCORE``), so a KPI nobody else reports cannot flatter.
5. **Median and upper quartile** of the peers' values (the trust's own included), by linear interpolation
   between the closest ranks: Hyndman and Fan's definition 7, which is what a spreadsheet's MEDIAN and
   QUARTILE.INC and pandas' ``quantile`` give. The *upper* quartile is the boundary of the best quarter,
   so it is the 75th percentile of a higher-is-better KPI and the 25th percentile of a lower-is-better one.
6. **Distance to the next quartile**: the quartile is set by rank, so the way into the next better one is
   to pass peers. The trust must take the place of the peer that is now the worst-placed one still
   inside that quartile (``next_quartile_value``); the distance is how far its value must move to draw
   level with that peer, always ≥ 0 and in the KPI's unit. Drawing level ties; any move beyond it is
   enough. In quartile 1 there is no next quartile and both are ``None``.

Overall (per month): each organisation's average score over the *scored* KPIs it was ranked on (n ≥ 2),
its segment, 1 to 4, by the quartile formula applied to the rank of that average among the peers (a lower
average is better), and its league position: 1 + how many peers have a strictly lower average (tied
averages share a position).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

Direction = Literal["higher_is_better", "lower_is_better"]
HIGHER_IS_BETTER: Final = "higher_is_better"
LOWER_IS_BETTER: Final = "lower_is_better"
DIRECTIONS: Final = (HIGHER_IS_BETTER, LOWER_IS_BETTER)

BEST_SCORE: Final = 1.0
WORST_SCORE: Final = 4.0
# A KPI ranked among fewer organisations than this is not counted in the overall average score.
MIN_PEERS_TO_SCORE: Final = 2
QUANTILE_DEFINITION: Final = "linear interpolation between closest ranks (Hyndman and Fan type 7)"


@dataclass(frozen=True)
class Placed:
    """One organisation's place on one KPI in one month."""

    org_code: str
    value: float
    rank: float
    quartile: int
    score: float


@dataclass(frozen=True)
class KpiStanding:
    """One organisation's standing on one KPI in one month among its peers, with the peers' places."""

    org_code: str
    direction: Direction
    value: float
    rank: float
    n: int
    quartile: int
    score: float
    median: float
    upper_quartile: float
    lower_quartile: float
    next_quartile_value: float | None
    distance_to_next_quartile: float | None
    peers: tuple[Placed, ...]  # best first; the organisation itself is among them

    @property
    def is_scored(self) -> bool:
        """Whether the ranking compares anyone (n ≥ 2), so counts in the overall score."""
        return self.n >= MIN_PEERS_TO_SCORE


@dataclass(frozen=True)
class OverallStanding:
    """One organisation's overall standing in a month: average score, segment and league position."""

    org_code: str
    average_score: float
    segment: int
    league_position: int
    n: int  # organisations with an average score
    kpis_scored: tuple[str, ...]  # the scored KPIs this organisation's average is over
    league: tuple[tuple[str, float], ...]  # (org_code, average score), best first


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")


def average_ranks(values: Sequence[float], direction: Direction) -> list[float]:
    """The rank of each value (1 = best in ``direction``), ties taking the average rank they span."""
    _check_direction(direction)
    sign = -1.0 if direction == HIGHER_IS_BETTER else 1.0
    order = sorted(range(len(values)), key=lambda i: sign * values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1  # positions start..end are ranks start+1..end+1
        for position in range(start, end + 1):
            ranks[order[position]] = shared
        start = end + 1
    return ranks


def quartile_of(rank: float, n: int) -> int:
    """``1 + ⌊4 × (rank − 1) ÷ n⌋``, at most 4."""
    if n < 1 or not 1 <= rank <= n:
        raise ValueError(f"rank {rank} is not between 1 and n = {n}")
    return min(4, 1 + math.floor(4 * (rank - 1) / n))


def score_of(rank: float, n: int) -> float:
    """``1 + 3 × (rank − 1) ÷ (n − 1)``; 1.00 when n = 1 (see the module's rule 4)."""
    if n < 1 or not 1 <= rank <= n:
        raise ValueError(f"rank {rank} is not between 1 and n = {n}")
    if n == 1:
        return BEST_SCORE
    return BEST_SCORE + (WORST_SCORE - BEST_SCORE) * (rank - 1) / (n - 1)


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks (type 7)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def worst_rank_in_quartile(quartile: int, n: int) -> int:
    """The largest whole rank whose quartile is ``quartile`` or better: ⌈quartile × n ÷ 4⌉, at least 1."""
    return max(1, math.ceil(quartile * n / 4))


def _finite_values(values: Mapping[str, float | None]) -> dict[str, float]:
    return {org: float(v) for org, v in values.items() if v is not None and math.isfinite(v)}


def place_all(values: Mapping[str, float | None], direction: Direction) -> list[Placed]:
    """Every organisation with a value, placed best first (ties in org code order)."""
    usable = _finite_values(values)
    orgs = sorted(usable)
    ranks = average_ranks([usable[o] for o in orgs], direction)
    n = len(orgs)
    placed = [
        Placed(org, usable[org], rank, quartile_of(rank, n), score_of(rank, n))
        for org, rank in zip(orgs, ranks, strict=True)
    ]
    return sorted(placed, key=lambda p: (p.rank, p.org_code))


def kpi_standing(
    values: Mapping[str, float | None], direction: Direction, org_code: str
) -> KpiStanding | None:
    """``org_code``'s standing on one KPI in one month among ``values`` (org code → value).

    Organisations without a finite value are left out of the ranking; ``None`` when ``org_code`` has none.

    1. Place every organisation with a value (``place_all``).
    2. Take the peers' median and quartiles of the same values.
    3. Outside quartile 1, find the peer to pass: among the *other* organisations, best first, the one at
       the worst rank still inside the next better quartile; its value is the target, the distance is
       how far the trust's value is from it.
    """
    peers = place_all(values, direction)
    mine = next((p for p in peers if p.org_code == org_code), None)
    if mine is None:
        return None
    n = len(peers)
    numbers = [p.value for p in peers]
    low, high = quantile(numbers, 0.25), quantile(numbers, 0.75)
    target: float | None = None
    distance: float | None = None
    if mine.quartile > 1:
        others = [p for p in peers if p.org_code != org_code]  # already best first
        target = others[worst_rank_in_quartile(mine.quartile - 1, n) - 1].value
        distance = abs(target - mine.value)
    return KpiStanding(
        org_code=org_code,
        direction=direction,
        value=mine.value,
        rank=mine.rank,
        n=n,
        quartile=mine.quartile,
        score=mine.score,
        median=quantile(numbers, 0.5),
        upper_quartile=high if direction == HIGHER_IS_BETTER else low,
        lower_quartile=low if direction == HIGHER_IS_BETTER else high,
        next_quartile_value=target,
        distance_to_next_quartile=distance,
        peers=tuple(peers),
    )


def overall_standing(
    by_kpi: Mapping[str, Mapping[str, float | None]],
    directions: Mapping[str, Direction],
    org_code: str,
    *,
    scored: Iterable[str] | None = None,
) -> OverallStanding | None:
    """``org_code``'s overall standing in one month from every KPI's values (kpi → org → value).

    1. Score every organisation on each scored KPI ranked among at least ``MIN_PEERS_TO_SCORE``.
    2. Average each organisation's scores over the KPIs it was scored on.
    3. Rank the averages (lower is better): the segment is the quartile of that rank, the league position
       is 1 + the number of strictly lower averages.
    ``None`` when ``org_code`` was scored on no KPI.
    """
    counted = set(by_kpi) if scored is None else set(scored) & set(by_kpi)
    totals: dict[str, list[float]] = {}
    kpis_of: dict[str, list[str]] = {}
    for kpi in sorted(counted):
        placed = place_all(by_kpi[kpi], directions[kpi])
        if len(placed) < MIN_PEERS_TO_SCORE:
            continue
        for p in placed:
            totals.setdefault(p.org_code, []).append(p.score)
            kpis_of.setdefault(p.org_code, []).append(kpi)
    if org_code not in totals:
        return None
    averages = {org: sum(scores) / len(scores) for org, scores in totals.items()}
    orgs = sorted(averages)
    ranks = dict(zip(orgs, average_ranks([averages[o] for o in orgs], LOWER_IS_BETTER), strict=True))
    mine = averages[org_code]
    return OverallStanding(
        org_code=org_code,
        average_score=mine,
        segment=quartile_of(ranks[org_code], len(orgs)),
        league_position=1 + sum(1 for v in averages.values() if v < mine),
        n=len(orgs),
        kpis_scored=tuple(kpis_of[org_code]),
        league=tuple(sorted(averages.items(), key=lambda item: (item[1], item[0]))),
    )


def rank_frame(frame: pd.DataFrame, directions: Mapping[str, Direction]) -> pd.DataFrame:
    """Every ranking at once: ``frame`` (columns group, kpi_code, month, org_code, value) gains rank, n,
    quartile and score per (group, kpi_code, month), by the same rules as ``place_all``.

    Rows without a finite value are dropped first. For a benchmark or a bulk report; pages use
    ``kpi_standing``, which also gives the median, quartiles and distance.
    """
    unknown = set(frame["kpi_code"]) - set(directions)
    if unknown:
        raise ValueError(f"no direction for KPI {', '.join(sorted(unknown))}")
    values = pd.to_numeric(frame["value"], errors="coerce")
    ranked = frame.loc[values.notna() & values.abs().ne(math.inf)].copy()
    better_high = ranked["kpi_code"].map({k: d == HIGHER_IS_BETTER for k, d in directions.items()})
    # Negating the higher-is-better values makes "ascending" mean "best first" for every KPI.
    ranked["_key"] = ranked["value"].astype(float).where(~better_high.astype(bool), -ranked["value"])
    keys = ["group", "kpi_code", "month"]
    grouped = ranked.groupby(keys, sort=False)["_key"]
    ranked["rank"] = grouped.rank(method="average", ascending=True)
    ranked["n"] = grouped.transform("size").astype(int)
    n = ranked["n"]
    ranked["quartile"] = (1 + (4 * (ranked["rank"] - 1) // n)).clip(upper=4).astype(int)
    spread = (n - 1).where(n > 1, 1)
    ranked["score"] = BEST_SCORE + (WORST_SCORE - BEST_SCORE) * (ranked["rank"] - 1) / spread
    return ranked.drop(columns="_key")
