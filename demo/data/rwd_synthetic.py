"""United Lincolnshire Hospitals (RWD): synthetic quality, workforce and finance data.

No public data exists for these at ward or division level (most not even at trust
level), so they are generated for 2022-04 → 2025-07 with noise, winter pressure and a
few deliberate stories (steps and trends), so that SPC charts show signals and the
divisions differ. Ward bed days are anchored to the trust's published occupied beds,
staff in post to the published FTE.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import SYNTHETIC, Measurements, days_in, months, rng_for, winter
from .synthetic import (
    FinanceProfile,
    Shape,
    WorkforceProfile,
    agency_against_cap,
    apportion,
    binomial_pct,
    extend_total,
    finance,
    poisson,
    unit_profile,
    workforce,
)

TRUST = "RWD"
MONTHS = months("2022-04-01", "2025-07-01")

# Bed-holding wards: their share of the trust's occupied adult or paediatric G&A beds.
ADULT_WARDS = {
    "RWD-MED-GIM-LCH": 0.28,
    "RWD-MED-GIM-PHB": 0.24,
    "RWD-MED-GER-GDH": 0.10,
    "RWD-SUR-GS-LCH": 0.16,
    "RWD-SUR-GS-PHB": 0.13,
    "RWD-SUR-TO-GDH": 0.09,
}
PAEDIATRIC_WARDS = {"RWD-FH-PAE-LCH": 0.55, "RWD-FH-PAE-PHB": 0.45}
LENGTH_OF_STAY = {"MED": 6.5, "SUR": 3.8}  # days, to turn bed days into admissions
ED_TEAMS = {"RWD-MED-UEC-LCH": 1650, "RWD-MED-UEC-PHB": 1350}  # attenders aged 65+ a month
MATERNITY_TEAMS = {"RWD-FH-OBS-LCH": 230, "RWD-FH-OBS-PHB": 150}  # maternities a month

# --- the stories built into the data (described in the fixtures README) -------------------------

FALLS = {  # falls per 1,000 occupied bed days
    "RWD-MED-GIM-LCH": Shape(8.4, noise=0.5, season=0.3, steps=[("2023-11-01", -2.2)]),
    "RWD-MED-GIM-PHB": Shape(7.6, noise=0.5, season=0.3),
    "RWD-MED-GER-GDH": Shape(9.2, noise=0.7, season=0.3, trend=-0.02),
    "RWD-SUR-GS-LCH": Shape(4.4, noise=0.4),
    "RWD-SUR-GS-PHB": Shape(4.9, noise=0.4),
    "RWD-SUR-TO-GDH": Shape(5.2, noise=0.6),
    "RWD-FH-PAE-LCH": Shape(1.2, noise=0.2),
    "RWD-FH-PAE-PHB": Shape(1.4, noise=0.2),
}
PRESSURE_ULCERS = {  # category 2+ per 1,000 occupied bed days
    "RWD-MED-GIM-LCH": Shape(1.5, noise=0.15, season=0.1),
    "RWD-MED-GIM-PHB": Shape(1.6, noise=0.15, season=0.1),
    "RWD-MED-GER-GDH": Shape(2.0, noise=0.2, season=0.1),
    "RWD-SUR-GS-LCH": Shape(0.9, noise=0.1, trend=0.005, steps=[("2024-06-01", 0.6)]),
    "RWD-SUR-GS-PHB": Shape(1.0, noise=0.1, trend=0.005, steps=[("2024-06-01", 0.7)]),
    "RWD-SUR-TO-GDH": Shape(1.1, noise=0.15, steps=[("2024-06-01", 0.5)]),
    "RWD-FH-PAE-LCH": Shape(0.05, noise=0.02),
    "RWD-FH-PAE-PHB": Shape(0.05, noise=0.02),
}
INFECTIONS = {  # cases per 10,000 occupied bed days, by division
    "CDIFF": {"MED": 2.4, "SUR": 1.6, "FH": 0.3},
    "ECOLI": {"MED": 1.2, "SUR": 1.0, "FH": 0.2},
    "MRSA": {"MED": 0.04, "SUR": 0.03, "FH": 0.0},
}
MSA = {"MED": 0.35, "SUR": 0.08}  # breaches a month per ward
VTE = {  # per cent of admitted adults risk-assessed
    "RWD-MED-GIM-LCH": Shape(95.5, noise=0.8, ar=0.4),
    "RWD-MED-GIM-PHB": Shape(94.8, noise=0.8, ar=0.4),
    "RWD-MED-GER-GDH": Shape(96.2, noise=0.8, ar=0.4),
    "RWD-SUR-GS-LCH": Shape(96.0, noise=0.7, steps=[("2024-09-01", -5.0), ("2025-03-01", 3.5)]),
    "RWD-SUR-GS-PHB": Shape(95.4, noise=0.7, steps=[("2024-09-01", -5.5), ("2025-03-01", 3.0)]),
    "RWD-SUR-TO-GDH": Shape(97.5, noise=0.6, steps=[("2024-09-01", -3.0), ("2025-03-01", 2.5)]),
}
IV_TO_ORAL = {"MED": Shape(52, noise=4, trend=-0.45), "SUR": Shape(48, noise=4, trend=-0.1)}  # % still on IV
FRAILTY = {  # % of attenders aged 65+ assessed
    "RWD-MED-UEC-LCH": Shape(12, noise=1.5, steps=[("2023-04-01", 8), ("2023-10-01", 9), ("2024-06-01", 5)]),
    "RWD-MED-UEC-PHB": Shape(10, noise=1.5, steps=[("2023-04-01", 6), ("2024-01-01", 6), ("2025-01-01", 4)]),
}
SMOKING = {
    "RWD-FH-OBS-LCH": Shape(10.5, noise=1.0, trend=-0.06),
    "RWD-FH-OBS-PHB": Shape(13.0, noise=1.3, trend=-0.05),
}
FFT = {  # (% positive, responses a month)
    "RWD-MED-UEC-LCH": (Shape(81, noise=1.5, season=-1.5), 520),
    "RWD-MED-UEC-PHB": (Shape(80, noise=1.5, season=-1.5, steps=[("2024-11-01", -6.0)]), 430),
    "RWD-MED-GIM-LCH": (Shape(93, noise=1.0), 210),
    "RWD-MED-GIM-PHB": (Shape(92, noise=1.0), 180),
    "RWD-MED-GER-GDH": (Shape(95, noise=1.0), 90),
    "RWD-SUR-GS-LCH": (Shape(94, noise=1.0), 200),
    "RWD-SUR-GS-PHB": (Shape(93, noise=1.0), 170),
    "RWD-SUR-TO-GDH": (Shape(96.5, noise=0.8), 120),
    "RWD-FH-PAE-LCH": (Shape(95.5, noise=1.0), 110),
    "RWD-FH-PAE-PHB": (Shape(95, noise=1.0), 90),
    "RWD-FH-OBS-LCH": (Shape(95, noise=1.0), 140),
    "RWD-FH-OBS-PHB": (Shape(94.5, noise=1.0), 100),
    "RWD-CSS-IMG-LCH": (Shape(97, noise=0.6), 320),
    "RWD-CSS-IMG-PHB": (Shape(96.5, noise=0.6), 260),
}
COMPLAINTS = {  # a month
    "RWD-MED-UEC-LCH": Shape(6.0, season=1.0),
    "RWD-MED-UEC-PHB": Shape(5.5, season=1.0),
    "RWD-MED-GIM-LCH": Shape(4.0),
    "RWD-MED-GIM-PHB": Shape(4.5),
    "RWD-MED-GER-GDH": Shape(1.6),
    "RWD-SUR-GS-LCH": Shape(3.2, trend=0.03),
    "RWD-SUR-GS-PHB": Shape(3.0, trend=0.03),
    "RWD-SUR-TO-GDH": Shape(1.5),
    "RWD-FH-PAE-LCH": Shape(0.8),
    "RWD-FH-PAE-PHB": Shape(0.7),
    "RWD-FH-OBS-LCH": Shape(1.8),
    "RWD-FH-OBS-PHB": Shape(1.5),
    "RWD-CSS-IMG-LCH": Shape(1.0),
    "RWD-CSS-IMG-PHB": Shape(0.8),
}

# Staff in post: each service's weight within the trust's clinical workforce (about FTE).
STAFF_WEIGHTS = {
    "RWD-MED-UEC": 520,
    "RWD-MED-GIM": 630,
    "RWD-MED-CAR": 230,
    "RWD-MED-RES": 200,
    "RWD-MED-GAS": 180,
    "RWD-MED-DER": 70,
    "RWD-MED-NEU": 90,
    "RWD-MED-RHE": 60,
    "RWD-MED-GER": 360,
    "RWD-MED-ONC": 260,
    "RWD-MED-OMS": 150,
    "RWD-SUR-GS": 440,
    "RWD-SUR-URO": 150,
    "RWD-SUR-TO": 340,
    "RWD-SUR-ENT": 130,
    "RWD-SUR-OPH": 160,
    "RWD-SUR-OS": 70,
    "RWD-SUR-TCC": 860,
    "RWD-FH-GYN": 160,
    "RWD-FH-OBS": 520,
    "RWD-FH-PAE": 420,
    "RWD-CSS-IMG": 420,
    "RWD-CSS-PHM": 110,
    "RWD-CSS-END": 90,
    "RWD-CSS-PAT": 380,
    "RWD-CSS-PHA": 230,
    "RWD-CSS-THE": 370,
}
STAFF_GROWTH = 0.035  # a year, to back-cast staff in post before the first published month
DIVISION_WORKFORCE = {
    "MED": WorkforceProfile(sick=5.5, turn=10.5, vac=9.5, appr=85, mand=89.5, ig=93.5, agency_per_fte=0.55),
    "SUR": WorkforceProfile(sick=5.1, turn=11.2, vac=8.5, appr=80, mand=86, ig=92.5, agency_per_fte=0.40),
    "FH": WorkforceProfile(sick=4.2, turn=8.0, vac=5.0, appr=93, mand=94, ig=96.5, agency_per_fte=0.12),
    "CSS": WorkforceProfile(sick=4.4, turn=9.0, vac=10.5, appr=92.5, mand=93, ig=95.5, agency_per_fte=0.22),
}
SERVICE_SHAPES = {  # service-specific stories on top of the division's levels
    "RWD-MED-UEC": {"WF-SICK": Shape(6.3, noise=0.35, season=1.0)},
    "RWD-CSS-IMG": {"WF-VAC": Shape(14.5, noise=0.6, ar=0.8, steps=[("2024-10-01", -4.0)])},
    "RWD-SUR-TCC": {"WF-VAC": Shape(11.5, noise=0.6, ar=0.8)},
    "RWD-SUR-GS": {
        "WF-MAND": Shape(87, noise=0.8, ar=0.5, steps=[("2023-07-01", -7.0), ("2024-04-01", 4.5)])
    },
    "RWD-SUR-TO": {
        "WF-MAND": Shape(86, noise=0.8, ar=0.5, steps=[("2023-07-01", -6.0), ("2024-04-01", 4.0)])
    },
    "RWD-FH-OBS": {"WF-MAND": Shape(91, noise=0.7, ar=0.5, trend=0.12)},
}
# Agency use falls from autumn 2023 under the national agency rules.
AGENCY_FACTOR = {
    mo: 1.0 if mo < "2023-10-01" else max(0.55, 1.0 - 0.021 * (MONTHS.index(mo) - 18)) for mo in MONTHS
}
AGENCY_CAP = {"2022/23": 1.05, "2023/24": 0.95, "2024/25": 0.72, "2025/26": 0.85}
CAP_TIGHTNESS = {"RWD-MED": 0.9, "RWD-SUR": 0.92, "RWD-FH": 1.15, "RWD-CSS": 1.08}

DIVISION_FINANCE = {
    "RWD-MED": FinanceProfile(
        ie_variance=Shape(-180, noise=110, steps=[("2024-10-01", 240)]),
        cip_plan=9000,
        cip_delivery=Shape(0.86, noise=0.07, steps=[("2024-10-01", 0.17)]),
        capital_plan=3000,
        pay_variance=Shape(-160, noise=110, steps=[("2024-10-01", 100)]),
    ),
    "RWD-SUR": FinanceProfile(
        ie_variance=Shape(-200, noise=120, steps=[("2024-04-01", -260)]),
        cip_plan=7500,
        cip_delivery=Shape(0.72, noise=0.09, trend=-0.002),
        capital_plan=4500,
        pay_variance=Shape(-120, noise=100, steps=[("2024-04-01", -90)]),
    ),
    "RWD-FH": FinanceProfile(
        ie_variance=Shape(75, noise=40),
        cip_plan=3000,
        cip_delivery=Shape(1.09, noise=0.05),
        capital_plan=1500,
        pay_variance=Shape(45, noise=35),
    ),
    "RWD-CSS": FinanceProfile(
        ie_variance=Shape(30, noise=70),
        cip_plan=4500,
        cip_delivery=Shape(1.05, noise=0.05),
        capital_plan=6000,
        pay_variance=Shape(-20, noise=60),
    ),
}


def _division(code: str) -> str:
    return code.split("-")[1]


# --- anchors ------------------------------------------------------------------------------------


def ward_bed_days(occupied: pd.DataFrame) -> pd.DataFrame:
    """Occupied bed days per ward: the trust's occupied adult and paediatric beds × days in the month,
    split by fixed ward shares so that each group adds up exactly to the trust figure."""
    occupied = occupied.loc[MONTHS]
    days = np.array([days_in(mo) for mo in MONTHS])
    parts = []
    for column, wards in (("adult", ADULT_WARDS), ("paediatric", PAEDIATRIC_WARDS)):
        total = np.round(occupied[column].to_numpy() * days)
        split = np.floor(total[:, None] * np.array(list(wards.values())))
        split[:, 0] += total - split.sum(axis=1)
        parts.append(pd.DataFrame(split, index=MONTHS, columns=list(wards)))
    return pd.concat(parts, axis=1)


def staff_in_post(published: pd.Series) -> tuple[pd.DataFrame, int]:
    """Staff in post (FTE) per service, adding up each month to the trust's clinical FTE."""
    total, published_months = extend_total(published, MONTHS, STAFF_GROWTH)
    return apportion(total, STAFF_WEIGHTS, TRUST), published_months


# --- quality ------------------------------------------------------------------------------------


def harm_free_care(m: Measurements, bed_days: pd.DataFrame) -> None:
    """Falls (rate and harm) and pressure ulcers on the bed-holding wards."""
    for ward in bed_days.columns:
        days = bed_days[ward].to_numpy()
        rng = rng_for(TRUST, "FALLS", ward)
        falls = poisson(rng, FALLS[ward].draw(rng, MONTHS) * days / 1000)
        harm = rng.binomial(falls, 0.025)
        rng = rng_for(TRUST, "PU-CAT2", ward)
        ulcers = poisson(rng, PRESSURE_ULCERS[ward].draw(rng, MONTHS) * days / 1000)
        for i, month in enumerate(MONTHS):
            m.ratio("FALLS", ward, month, falls[i], days[i], SYNTHETIC, True)
            m.count("FALLS-HARM", ward, month, harm[i], SYNTHETIC, True)
            m.count("PU-CAT2", ward, month, ulcers[i], SYNTHETIC, True)


def infections(m: Measurements, bed_days: pd.DataFrame) -> None:
    """C. difficile, E. coli and MRSA cases, attributed to the bed-holding wards."""
    for kpi, rates in INFECTIONS.items():
        for ward in bed_days.columns:
            rate = rates[_division(ward)]
            cases = poisson(rng_for(TRUST, kpi, ward), rate * bed_days[ward].to_numpy() / 10000)
            for i, month in enumerate(MONTHS):
                m.count(kpi, ward, month, cases[i], SYNTHETIC, True)


def safe_care_processes(m: Measurements, bed_days: pd.DataFrame) -> None:
    """VTE risk assessment, mixed-sex accommodation and the IV-to-oral CQUIN on adult wards."""
    for ward in ADULT_WARDS:
        division = _division(ward)
        rng = rng_for(TRUST, "VTE-RA", ward)
        admissions = np.round(
            bed_days[ward].to_numpy() / LENGTH_OF_STAY[division] * rng.lognormal(0, 0.04, len(MONTHS))
        )
        assessed = binomial_pct(rng, admissions, VTE[ward].draw(rng, MONTHS))
        breaches = poisson(rng_for(TRUST, "MSA", ward), np.full(len(MONTHS), MSA[division]))
        rng = rng_for(TRUST, "CQ-IV-ORAL", ward)
        audited = rng.integers(22, 41, len(MONTHS))
        still_iv = binomial_pct(rng, audited, IV_TO_ORAL[division].draw(rng, MONTHS))
        for i, month in enumerate(MONTHS):
            m.ratio("VTE-RA", ward, month, assessed[i], admissions[i], SYNTHETIC, True)
            m.count("MSA", ward, month, breaches[i], SYNTHETIC, True)
            m.ratio("CQ-IV-ORAL", ward, month, still_iv[i], audited[i], SYNTHETIC, True)


def emergency_department(m: Measurements) -> None:
    """The frailty CQUIN in the two emergency departments."""
    for team, attenders in ED_TEAMS.items():
        rng = rng_for(TRUST, "CQ-FRAILTY", team)
        pressure = 1 + 0.08 * np.array([winter(mo) for mo in MONTHS])
        seen = np.round(attenders * pressure * rng.lognormal(0, 0.04, len(MONTHS)))
        assessed = binomial_pct(rng, seen, FRAILTY[team].draw(rng, MONTHS))
        for i, month in enumerate(MONTHS):
            m.ratio("CQ-FRAILTY", team, month, assessed[i], seen[i], SYNTHETIC, True)


def maternity(m: Measurements) -> None:
    """Smoking at time of delivery in the two maternity units."""
    for team, births in MATERNITY_TEAMS.items():
        rng = rng_for(TRUST, "MAT-SATOD", team)
        maternities = rng.poisson(births, len(MONTHS))
        smokers = binomial_pct(rng, maternities, SMOKING[team].draw(rng, MONTHS))
        for i, month in enumerate(MONTHS):
            m.ratio("MAT-SATOD", team, month, smokers[i], maternities[i], SYNTHETIC, True)


def patient_experience(m: Measurements) -> None:
    """Friends and Family Test and complaints in every ward and department."""
    for team, (shape, responses) in FFT.items():
        rng = rng_for(TRUST, "FFT-POS", team)
        answered = rng.poisson(responses, len(MONTHS))
        positive = binomial_pct(rng, answered, shape.draw(rng, MONTHS))
        for i, month in enumerate(MONTHS):
            m.ratio("FFT-POS", team, month, positive[i], answered[i], SYNTHETIC, True)
    for team, shape in COMPLAINTS.items():
        rng = rng_for(TRUST, "COMPLAINTS", team)
        received = poisson(rng, shape.draw(rng, MONTHS))
        for i, month in enumerate(MONTHS):
            m.count("COMPLAINTS", team, month, received[i], SYNTHETIC, True)


# --- workforce and finance ----------------------------------------------------------------------


def people(m: Measurements, fte: pd.DataFrame) -> pd.DataFrame:
    """Workforce KPIs per service; returns agency spend per division (£000s a month)."""
    profiles = {
        service: unit_profile(
            DIVISION_WORKFORCE[_division(service)], TRUST, service, SERVICE_SHAPES.get(service, {})
        )
        for service in fte.columns
    }
    agency = workforce(m, TRUST, fte, profiles, AGENCY_FACTOR)
    return agency.T.groupby(lambda s: s.rsplit("-", 1)[0]).sum().T


def money(m: Measurements, agency_by_division: pd.DataFrame) -> None:
    """Division-level finance: I&E and pay variance, CIP, capital, agency against cap."""
    finance(m, TRUST, MONTHS, DIVISION_FINANCE)
    agency_against_cap(m, agency_by_division, AGENCY_CAP, CAP_TIGHTNESS)
