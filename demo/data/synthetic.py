"""Generic building blocks for synthetic series: levels with noise, steps, trends and
winter pressure; staff in post apportioned from a published total; and the workforce
and finance KPI families shared by both demo trusts.

Every random draw comes from a generator keyed by (trust, KPI, unit), so each series
is reproducible on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .common import SYNTHETIC, Measurements, days_in, financial_year, month_of_year, rng_for, winter


@dataclass(frozen=True)
class Shape:
    """How a synthetic level moves over time.

    ``base`` at the first month; ``trend`` added per month; ``season`` × winter pressure
    (+1 in January); ``steps`` add a delta from a month onwards; ``noise`` is the
    month-to-month standard deviation, ``ar`` its persistence (0 = independent months).
    """

    base: float
    noise: float = 0.0
    trend: float = 0.0
    season: float = 0.0
    steps: Sequence[tuple[str, float]] = ()
    ar: float = 0.0

    def draw(self, rng: np.random.Generator, months: Sequence[str]) -> np.ndarray:
        n = len(months)
        level = self.base + self.trend * np.arange(n) + self.season * np.array([winter(m) for m in months])
        for start, delta in self.steps:
            level = level + delta * (np.array(months) >= start)
        shocks = rng.normal(0.0, self.noise, n)
        if self.ar:
            for i in range(1, n):
                shocks[i] += self.ar * shocks[i - 1]
            shocks *= np.sqrt(1 - self.ar**2)
        return level + shocks


def binomial_pct(rng: np.random.Generator, trials: np.ndarray, pct: np.ndarray) -> np.ndarray:
    """Successes out of ``trials`` at ``pct`` per cent (clipped to 0–100)."""
    return rng.binomial(trials.astype(int), np.clip(pct, 0, 100) / 100)


def poisson(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    return rng.poisson(np.clip(mean, 0, None))


# --- staff in post ------------------------------------------------------------------------------


def published_staff_in_post(src: Path, org: str, *, less_infrastructure: bool) -> pd.Series:
    """Published FTE per month for an organisation (optionally less NHS infrastructure support)."""
    fte = pd.read_csv(src / "workforce_hchs_fte_by_staff_group_monthly_2024_2025.csv")
    fte = fte[fte["Organisation code"] == org].set_index("period").sort_index()
    total = fte["Total"]
    if less_infrastructure:
        total = total - fte["NHS infrastructure support"]
    return total.round(2)


def extend_total(published: pd.Series, months: Sequence[str], growth: float) -> tuple[pd.Series, int]:
    """A monthly total over ``months`` from published months: back-cast at ``growth`` a year
    before the first published month, held at the last published value after it.

    Returns the series and how many months are published figures.
    """
    first, last = published.index.min(), published.index.max()
    values = {}
    for i, month in enumerate(months):
        if month in published.index:
            values[month] = float(published[month])
        elif month < first:
            gap = months.index(first) - i
            values[month] = float(published[first]) / (1 + growth) ** (gap / 12)
        else:
            values[month] = float(published[last])
    return pd.Series(values).round(2), sum(m in published.index for m in months)


def apportion(total: pd.Series, weights: Mapping[str, float], key: str) -> pd.DataFrame:
    """Split a monthly total across units by weights that drift slowly; rows add up exactly (2 dp)."""
    rng = rng_for(key, "apportion")
    units = list(weights)
    base = np.array([weights[u] for u in units], dtype=float)
    drift = np.cumsum(rng.normal(0, 0.004, (len(total), len(units))), axis=0)
    shares = base * np.exp(drift)
    shares /= shares.sum(axis=1, keepdims=True)
    cents = np.round(total.to_numpy()[:, None] * shares * 100)
    largest = int(np.argmax(base))
    cents[:, largest] += np.round(total.to_numpy() * 100) - cents.sum(axis=1)
    return pd.DataFrame(cents / 100, index=total.index, columns=units)


# --- workforce ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkforceProfile:
    """Levels (per cent) for one unit; shapes override the plain levels where given."""

    sick: float
    turn: float
    vac: float
    appr: float
    mand: float
    ig: float
    agency_per_fte: float = 0.0  # £000s per FTE per month
    shapes: dict[str, Shape] = field(default_factory=dict)


def unit_profile(base: WorkforceProfile, trust: str, unit: str, shapes: dict[str, Shape]) -> WorkforceProfile:
    """A unit's own levels: its division's (or directorate's) levels with a small, stable offset."""
    rng = rng_for(trust, "workforce-offsets", unit)
    jitter = rng.normal(0, 1, 6)
    return WorkforceProfile(
        sick=base.sick + 0.4 * jitter[0],
        turn=base.turn + 0.8 * jitter[1],
        vac=max(2.0, base.vac + 1.2 * jitter[2]),
        appr=base.appr + 1.5 * jitter[3],
        mand=base.mand + 1.0 * jitter[4],
        ig=min(98.5, base.ig + 0.8 * jitter[5]),
        agency_per_fte=base.agency_per_fte * float(np.exp(0.25 * rng.normal())),
        shapes=shapes,
    )


def workforce(
    m: Measurements,
    trust: str,
    fte: pd.DataFrame,
    profiles: dict[str, WorkforceProfile],
    agency_factor: dict[str, float] | None = None,
) -> pd.DataFrame:
    """All workforce KPIs per unit from its staff in post; returns agency spend (£000s) per unit."""
    months = list(fte.index)
    agency = {}
    for unit, p in profiles.items():
        staff = fte[unit].to_numpy()
        headcount = np.round(staff * 1.12)

        def shape(kpi: str, default: Shape, unit: str = unit, p: WorkforceProfile = p) -> np.ndarray:
            return p.shapes.get(kpi, default).draw(rng_for(trust, kpi, unit), months)

        sick = shape("WF-SICK", Shape(p.sick, noise=0.3, season=0.7))
        turn = shape("WF-TURN", Shape(p.turn, noise=0.5, ar=0.85))
        vac = np.clip(shape("WF-VAC", Shape(p.vac, noise=0.7, ar=0.8)), 0.5, 40)
        rng = rng_for(trust, "workforce-binomial", unit)
        appr = binomial_pct(
            rng, np.round(headcount * 0.93), shape("WF-APPR", Shape(p.appr, noise=1.2, ar=0.5))
        )
        mand = binomial_pct(rng, headcount, shape("WF-MAND", Shape(p.mand, noise=0.8, ar=0.5)))
        ig = binomial_pct(rng, headcount, shape("WF-IG", Shape(p.ig, noise=0.7, ar=0.5)))
        spend = []
        for i, month in enumerate(months):
            available = staff[i] * days_in(month)
            m.ratio(
                "WF-SICK",
                unit,
                month,
                round(available * sick[i] / 100, 2),
                round(available, 2),
                SYNTHETIC,
                True,
            )
            m.ratio("WF-TURN", unit, month, round(staff[i] * turn[i] / 100, 2), staff[i], SYNTHETIC, True)
            establishment = round(staff[i] / (1 - vac[i] / 100), 2)
            m.ratio("WF-VAC", unit, month, round(establishment - staff[i], 2), establishment, SYNTHETIC, True)
            m.ratio("WF-APPR", unit, month, appr[i], round(headcount[i] * 0.93), SYNTHETIC, True)
            m.ratio("WF-MAND", unit, month, mand[i], headcount[i], SYNTHETIC, True)
            m.ratio("WF-IG", unit, month, ig[i], headcount[i], SYNTHETIC, True)
            if p.agency_per_fte:
                factor = (agency_factor or {}).get(month, 1.0)
                noise = rng_for(trust, "WF-AGENCY", unit, month).lognormal(0, 0.12)
                spend.append(max(0, round(staff[i] * p.agency_per_fte * factor * noise)))
                m.count("WF-AGENCY", unit, month, spend[-1], SYNTHETIC, True)
        if spend:
            agency[unit] = spend
    return pd.DataFrame(agency, index=months)


# --- finance ------------------------------------------------------------------------------------

# Share of an annual plan falling in each month of the financial year (April first): back-loaded.
PHASING = np.array([6, 7, 7, 8, 8, 8, 8, 9, 9, 10, 10, 10], dtype=float) / 100
# Capital spend against plan by quarter: slow start, catch-up in the last quarter.
CAPITAL_PACE = {1: 0.62, 2: 0.82, 3: 0.95, 4: 1.22}


def fy_month_index(month: str) -> int:
    """0 for April … 11 for March."""
    return (month_of_year(month) - 4) % 12


@dataclass(frozen=True)
class FinanceProfile:
    ie_variance: Shape  # £000s a month
    cip_plan: float  # £000s a year
    cip_delivery: Shape  # delivered ÷ planned
    capital_plan: float  # £000s a year
    pay_variance: Shape | None = None  # £000s a month


def finance(m: Measurements, trust: str, months: Sequence[str], profiles: dict[str, FinanceProfile]) -> None:
    """I&E and pay variance, CIP delivery and capital spend per unit (usually a division)."""
    for unit, p in profiles.items():
        ie = p.ie_variance.draw(rng_for(trust, "FIN-IE-VAR", unit), months)
        cip = np.clip(p.cip_delivery.draw(rng_for(trust, "FIN-CIP", unit), months), 0.2, 1.6)
        pay = p.pay_variance.draw(rng_for(trust, "FIN-PAY-VAR", unit), months) if p.pay_variance else None
        capital_noise = rng_for(trust, "FIN-CAPEX", unit).lognormal(0, 0.18, len(months))
        for i, month in enumerate(months):
            phase = PHASING[fy_month_index(month)]
            m.count("FIN-IE-VAR", unit, month, round(ie[i]), SYNTHETIC, True)
            if pay is not None:
                m.count("FIN-PAY-VAR", unit, month, round(pay[i]), SYNTHETIC, True)
            planned = round(p.cip_plan * phase)
            m.ratio("FIN-CIP", unit, month, round(planned * cip[i]), planned, SYNTHETIC, True)
            capital_plan = round(p.capital_plan / 12)
            pace = CAPITAL_PACE[fy_month_index(month) // 3 + 1] * capital_noise[i]
            m.ratio("FIN-CAPEX", unit, month, round(capital_plan * pace), capital_plan, SYNTHETIC, True)


def agency_against_cap(
    m: Measurements,
    spend_by_division: pd.DataFrame,
    cap_factor: dict[str, float],
    tightness: dict[str, float],
) -> None:
    """Agency spend against a monthly cap, set each year from the previous year's average spend
    × the year's factor × how tightly the division's cap was drawn."""
    months = list(spend_by_division.index)
    years = sorted({financial_year(x) for x in months})
    for division in spend_by_division.columns:
        spend = spend_by_division[division]
        by_year = spend.groupby([financial_year(x) for x in months]).mean()
        for month in months:
            year = financial_year(month)
            previous = years[max(0, years.index(year) - 1)]
            cap = round(by_year[previous] * cap_factor[year] * tightness[division])
            m.ratio("FIN-AGY-CAP", division, month, spend[month], cap, SYNTHETIC, True)
