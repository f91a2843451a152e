"""Yorkshire Ambulance Service (RX8): directorates and service lines, the published
AmbSYS series, and synthetic quality, workforce and finance data.

The AmbSYS figures are trust-wide and are submitted, unsplit, at the A&E Operations
directorate's "Emergency operations (trust-wide)" service line. The other service lines
are structural and carry only synthetic data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import SYNTHETIC, Measurements, months, org_row, rng_for
from .synthetic import (
    FinanceProfile,
    Shape,
    WorkforceProfile,
    apportion,
    binomial_pct,
    extend_total,
    finance,
    poisson,
    published_staff_in_post,
    unit_profile,
    workforce,
)

TRUST = "RX8"
TRUST_NAME = "Yorkshire Ambulance Service NHS Trust"
LEVEL_LABELS = {"trust": "Trust", "division": "Directorate", "service": "Service line", "team": "Team"}
AMBSYS = "NHS England AmbSYS"
REAL_FIRST, REAL_LAST = "2017-09-01", "2025-08-01"
MONTHS = months("2022-04-01", REAL_LAST)
TRUST_WIDE = "RX8-AEO-TW"

DIRECTORATES = {
    "RX8-AEO": "A&E Operations",
    "RX8-IUC": "Integrated Urgent Care (NHS 111)",
    "RX8-PTS": "Patient Transport Service",
    "RX8-CLN": "Clinical",
    "RX8-FIN": "Finance",
    "RX8-PPL": "People",
}
# code: (name, synthetic, staff weight ≈ FTE; 0 = no staff of its own)
SERVICE_LINES = {
    TRUST_WIDE: ("Emergency operations (trust-wide)", 0, 0),
    "RX8-AEO-EOC": ("Emergency operations centre", 1, 520),
    "RX8-AEO-WST": ("A&E operations West", 1, 1150),
    "RX8-AEO-NE": ("A&E operations North and East", 1, 1150),
    "RX8-AEO-STH": ("A&E operations South", 1, 950),
    "RX8-IUC-111": ("NHS 111 call handling", 1, 560),
    "RX8-IUC-CAS": ("Clinical assessment service", 1, 180),
    "RX8-PTS-OPS": ("PTS operations", 1, 700),
    "RX8-PTS-PBC": ("PTS planning and booking", 1, 90),
    "RX8-CLN-QPS": ("Quality, governance and patient safety", 1, 90),
    "RX8-CLN-PCD": ("Paramedic practice and clinical development", 1, 70),
    "RX8-FIN-FIN": ("Financial services", 1, 60),
    "RX8-FIN-FLE": ("Fleet and estates", 1, 380),
    "RX8-PPL-HRS": ("Human resources", 1, 90),
    "RX8-PPL-ACA": ("Academy (education and training)", 1, 120),
}

# AmbSYS tidy measure → KPI, for values submitted as they are (seconds or counts).
TIMES = {
    "AMB-C1-MEAN": "c1_mean_response_seconds",
    "AMB-C1-90": "c1_90th_centile_response_seconds",
    "AMB-C2-MEAN": "c2_mean_response_seconds",
    "AMB-C2-90": "c2_90th_centile_response_seconds",
    "AMB-C3-90": "c3_90th_centile_response_seconds",
    "AMB-C4-90": "c4_90th_centile_response_seconds",
    "AMB-CALL-MEAN": "call_answer_mean_seconds",
}
COUNTS = {"AMB-INC": "incidents_all", "AMB-HO60": "handovers_over_60_min"}
SHARES = {"AMB-HT": "incidents_hear_and_treat", "AMB-CONV-ED": "incidents_conveyed_to_ed"}

STAFF_GROWTH = 0.03
WORKFORCE = {  # by directorate
    "AEO": WorkforceProfile(sick=7.2, turn=8.5, vac=6.0, appr=78, mand=86, ig=93.5),
    "IUC": WorkforceProfile(sick=6.2, turn=21.0, vac=14.0, appr=80, mand=88, ig=94.5),
    "PTS": WorkforceProfile(sick=6.6, turn=10.0, vac=7.0, appr=84, mand=90, ig=95.0),
    "CLN": WorkforceProfile(sick=3.6, turn=8.0, vac=6.0, appr=90, mand=94, ig=97.0),
    "FIN": WorkforceProfile(sick=4.6, turn=9.0, vac=7.5, appr=88, mand=92, ig=96.0),
    "PPL": WorkforceProfile(sick=3.9, turn=10.0, vac=6.0, appr=91, mand=95, ig=97.5),
}
SERVICE_SHAPES = {
    "RX8-AEO-EOC": {
        "WF-SICK": Shape(8.0, noise=0.4, season=1.2),
        "WF-TURN": Shape(15.0, noise=0.6, ar=0.85, steps=[("2024-01-01", -4.0)]),
    },
    "RX8-IUC-111": {"WF-TURN": Shape(26.0, noise=0.8, ar=0.85, trend=-0.12)},
}
FINANCE = {
    "RX8-AEO": FinanceProfile(
        ie_variance=Shape(-120, noise=170, steps=[("2024-04-01", 110)]),
        cip_plan=6000,
        cip_delivery=Shape(0.84, noise=0.08),
        capital_plan=9000,
    ),
    "RX8-IUC": FinanceProfile(
        ie_variance=Shape(-45, noise=60), cip_plan=1200, cip_delivery=Shape(0.9, noise=0.07), capital_plan=500
    ),
    "RX8-PTS": FinanceProfile(
        ie_variance=Shape(25, noise=45), cip_plan=900, cip_delivery=Shape(1.02, noise=0.06), capital_plan=1500
    ),
    "RX8-CLN": FinanceProfile(
        ie_variance=Shape(10, noise=20), cip_plan=300, cip_delivery=Shape(1.05, noise=0.05), capital_plan=200
    ),
    "RX8-FIN": FinanceProfile(
        ie_variance=Shape(30, noise=60),
        cip_plan=1000,
        cip_delivery=Shape(0.95, noise=0.06),
        capital_plan=4000,
    ),
    "RX8-PPL": FinanceProfile(
        ie_variance=Shape(15, noise=25), cip_plan=400, cip_delivery=Shape(1.0, noise=0.05), capital_plan=300
    ),
}
COMPLAINTS = {
    "RX8-AEO-EOC": Shape(6),
    "RX8-AEO-WST": Shape(9, season=1.5),
    "RX8-AEO-NE": Shape(9, season=1.5),
    "RX8-AEO-STH": Shape(7, season=1.0),
    "RX8-IUC-111": Shape(14, season=2.0, trend=-0.08),
    "RX8-PTS-OPS": Shape(10, steps=[("2023-10-01", 4)]),
}
SAFETY_INCIDENTS = {  # moderate or greater harm, a month
    "RX8-AEO-EOC": Shape(1.4, season=0.8),
    "RX8-AEO-WST": Shape(2.0, season=0.8),
    "RX8-AEO-NE": Shape(2.2, season=0.8),
    "RX8-AEO-STH": Shape(1.6, season=0.6),
    "RX8-IUC-111": Shape(1.0),
}
FFT = {  # (% positive, responses a month)
    "RX8-AEO-WST": (Shape(91, noise=1.5), 160),
    "RX8-AEO-NE": (Shape(90, noise=1.5), 150),
    "RX8-AEO-STH": (Shape(92, noise=1.5), 130),
    "RX8-IUC-111": (Shape(86, noise=1.5, trend=0.08), 520),
    "RX8-PTS-OPS": (Shape(94, noise=1.0, steps=[("2023-10-01", -5.0), ("2024-07-01", 3.5)]), 320),
}


def org_rows() -> list[dict[str, str]]:
    rows = [org_row(TRUST, TRUST_NAME, "trust", "", 0)]
    rows += [org_row(code, name, "division", TRUST, 0) for code, name in DIRECTORATES.items()]
    rows += [
        org_row(code, name, "service", code.rsplit("-", 1)[0], synthetic)
        for code, (name, synthetic, _) in SERVICE_LINES.items()
    ]
    return rows


def ambulance_response(src: Path, m: Measurements) -> list[str]:
    """AmbSYS response times, call answering, hear and treat, conveyance, incidents, handovers."""
    aqi = pd.read_csv(src / "ambulance_aqi_long_2017_2025.csv")
    aqi = aqi[(aqi.org_code == TRUST) & (aqi.period >= REAL_FIRST) & (aqi.period <= REAL_LAST)]
    wide = aqi.pivot_table(index="period", columns="measure", values="value", aggfunc="first")
    skipped = 0
    for period, row in wide.iterrows():
        for kpi, measure in TIMES.items():
            if pd.notna(row[measure]) and row[measure] > 0:
                for unit in (TRUST_WIDE, "RX8-AEO", TRUST):  # never rolled up, so given at every level
                    m.value(kpi, unit, period, row[measure], AMBSYS)
            else:
                skipped += 1
        for kpi, measure in COUNTS.items():
            if pd.notna(row[measure]):
                m.count(kpi, TRUST_WIDE, period, row[measure], AMBSYS)
        for kpi, measure in SHARES.items():
            m.ratio(kpi, TRUST_WIDE, period, row[measure], row["incidents_all"], AMBSYS)
    computed = (100 * wide.incidents_hear_and_treat / wide.incidents_all).round(2)
    agree = int((computed == wide.pct_hear_and_treat.round(2)).sum())
    handovers_from = wide.handovers_over_60_min.first_valid_index()[:7]
    last = wide.iloc[-1]
    return [
        f"AmbSYS: {len(wide)} months {wide.index.min()[:7]} → {wide.index.max()[:7]} at {TRUST_WIDE} "
        f"(response and call-answer times, never rolled up, repeated at RX8-AEO and RX8); "
        f"{skipped} empty or zero times left out; handovers from {handovers_from}.",
        f"AmbSYS: hear-and-treat % from counts equals the published derived % in {agree}/{len(wide)} months.",
        f"AmbSYS August 2025: C1 mean {last.c1_mean_response_seconds:.0f} s, "
        f"C2 mean {last.c2_mean_response_seconds:.0f} s, "
        f"C2 90th {last.c2_90th_centile_response_seconds:.0f} s.",
    ]


def staff_in_post(src: Path) -> tuple[pd.DataFrame, int]:
    """Staff in post per service line, adding up to the trust's published total FTE."""
    published = published_staff_in_post(src, TRUST, less_infrastructure=False)
    total, published_months = extend_total(published, MONTHS, STAFF_GROWTH)
    weights = {code: weight for code, (_, _, weight) in SERVICE_LINES.items() if weight}
    return apportion(total, weights, TRUST), published_months


def people(m: Measurements, fte: pd.DataFrame) -> None:
    """Workforce KPIs per service line (no agency spend: the trust's agency use is negligible)."""
    profiles = {
        line: unit_profile(WORKFORCE[line.split("-")[1]], TRUST, line, SERVICE_SHAPES.get(line, {}))
        for line in fte.columns
    }
    workforce(m, TRUST, fte, profiles)


def quality(m: Measurements) -> None:
    """Complaints, patient safety incidents with harm, and Friends and Family Test."""
    for kpi, shapes in (("COMPLAINTS", COMPLAINTS), ("PSI-HARM", SAFETY_INCIDENTS)):
        for line, shape in shapes.items():
            rng = rng_for(TRUST, kpi, line)
            counts = poisson(rng, shape.draw(rng, MONTHS))
            for i, month in enumerate(MONTHS):
                m.count(kpi, line, month, counts[i], SYNTHETIC, True)
    for line, (shape, responses) in FFT.items():
        rng = rng_for(TRUST, "FFT-POS", line)
        answered = rng.poisson(responses, len(MONTHS))
        positive = binomial_pct(rng, answered, shape.draw(rng, MONTHS))
        for i, month in enumerate(MONTHS):
            m.ratio("FFT-POS", line, month, positive[i], answered[i], SYNTHETIC, True)


def money(m: Measurements) -> None:
    finance(m, TRUST, MONTHS, FINANCE)
