"""United Lincolnshire Hospitals (RWD): the published series, one function per KPI family.

A&E four hours and 12-hour waits, RTT 18 weeks and the waiting list, cancer and diagnostics come through the
national import (``national_files``) at the trust. A&E's four hours and 12-hour waits are also given here at
Urgent and emergency care, which the trust's whole A&E return is (so Medicine has them too). RTT is still
worked out by service here, for the 52-week count and its targets; the 18-week and waiting-list rows are left
out of measurements.csv (``build.write_trust``).

Each function adds measurement rows at the lowest level the data exists at and returns
the check lines it printed about itself (totals against the published trust figures).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import Measurements, days_in
from .rwd_org import (
    AE_SERVICE,
    RTT_RESIDUAL_SERVICE,
    RTT_SPECIALTY_SERVICE,
    TRUST,
)

AE_SOURCES = {
    "nhsr": "NHS England A&E monthly (NHSRdatasets)",
    "healthyr": "NHS England A&E monthly (healthyr)",
    "nhse_csv": "NHS England A&E monthly CSV",
}
RTT = "NHS England RTT waiting times"
RTT_RESIDUAL = "NHS England RTT waiting times (trust total less itemised specialties)"
BEDS = "NHS England G&A beds sitrep (healthyr)"
NCTR = "NHS England discharge sitrep (healthyr)"

LAST_MONTH = "2025-07-01"


def _read(src: Path, name: str, **kw: object) -> pd.DataFrame:
    return pd.read_csv(src / name, **kw)  # type: ignore[call-overload]


def _official_ae(src: Path) -> pd.DataFrame:
    """RWD rows of the official monthly A&E CSVs, with all-type totals added."""
    df = _read(src, "ae_nhse_monthly_provider_2024_2025.csv")
    df = df[df["Org Code"] == TRUST].set_index("period")
    att = [c for c in df.columns if c.startswith("A&E attendances")]
    over = [c for c in df.columns if c.startswith("Attendances over 4hrs")]
    return df.assign(
        attendances=df[att].sum(axis=1),
        over_4h=df[over].sum(axis=1),
        dta_4_12h=df["Patients who have waited 4-12 hs from DTA to admission"],
        dta_12h=df["Patients who have waited 12+ hrs from DTA to admission"],
    )


def ae_four_hour(src: Path, m: Measurements) -> list[str]:
    """A&E four-hour performance, attendances and emergency admissions (2016-04 → 2025-07) at Urgent and
    emergency care, and the check of the months where the official CSVs and the healthyr copies disagree."""
    tidy = _read(src, "ae_trust_monthly_long_all_sources.csv")
    tidy = tidy[(tidy.org_code == TRUST) & (tidy.period <= LAST_MONTH)]
    wide = tidy.pivot_table(index="period", columns="measure", values="value", aggfunc="first")
    source = tidy[tidy.measure == "ae_attendances_all_types"].set_index("period")["source"]
    for period, row in wide.iterrows():
        label = AE_SOURCES[source[period]]
        att, over = row["ae_attendances_all_types"], row["ae_over_4h_all_types"]
        m.ratio("AE-4H", AE_SERVICE, period, att - over, att, label)
        m.count("AE-ATT", AE_SERVICE, period, att, label)
        if pd.notna(row.get("ae_emergency_admissions_total")):
            m.count("EM-ADM", AE_SERVICE, period, row["ae_emergency_admissions_total"], label)

    official = _official_ae(src)
    healthyr = _read(src, "ae_healthyr_trust_monthly_2021_2025.csv")
    healthyr = healthyr[healthyr.org_code == TRUST].set_index("period")
    lines = [
        f"A&E: {len(wide)} months {wide.index.min()[:7]} → {wide.index.max()[:7]}, "
        f"gap 2019-04 → 2021-03 left empty; submitted at {AE_SERVICE} (the whole trust's A&E)."
    ]
    for month in ("2025-02-01", "2025-03-01"):
        ours = wide.loc[month]
        off = official.loc[month]
        hy = healthyr.loc[month]
        same = (
            ours["ae_attendances_all_types"] == off.attendances
            and ours["ae_over_4h_all_types"] == off.over_4h
        )
        lines.append(
            f"A&E {month[:7]}: used official CSV {int(off.attendances):,} attendances / "
            f"{int(off.over_4h):,} over 4h ({'matches' if same else 'DIFFERS'}); "
            f"healthyr has {int(hy.total_attendances):,} / "
            f"{int(hy.attendances_over_4hours):,} (not used)."
        )
    return lines


def ae_decision_to_admit(src: Path, m: Measurements) -> list[str]:
    """Waits from decision to admit: over 4 hours (2021-04 →) and over 12 hours (2024-06 →)."""
    healthyr = _read(src, "ae_healthyr_trust_monthly_2021_2025.csv")
    healthyr = healthyr[healthyr.org_code == TRUST].set_index("period")
    official = _official_ae(src)
    official = official[official.index <= LAST_MONTH]
    first_official = official.index.min()
    for period, row in healthyr[healthyr.index < first_official].iterrows():
        m.count(
            "AE-DTA-4H", AE_SERVICE, period, row["emergency_admissions_over_4hours"], AE_SOURCES["healthyr"]
        )
    for period, row in official.iterrows():
        m.count("AE-DTA-4H", AE_SERVICE, period, row.dta_4_12h + row.dta_12h, AE_SOURCES["nhse_csv"])
        m.count("AE-DTA-12H", AE_SERVICE, period, row.dta_12h, AE_SOURCES["nhse_csv"])

    overlap = [p for p in official.index if p in healthyr.index and p < "2025-02-01"]
    agree = sum(
        healthyr.loc[p, "emergency_admissions_over_4hours"]
        == official.loc[p, "dta_4_12h"] + official.loc[p, "dta_12h"]
        for p in overlap
    )
    return [
        f"A&E decision-to-admit waits over 4h: healthyr equals official 4–12h + 12h+ in "
        f"{agree}/{len(overlap)} overlapping months (2024-06 → 2025-01); "
        f"official used from {first_official[:7]}."
    ]


def rtt(src: Path, m: Measurements) -> list[str]:
    """RTT incomplete pathways by specialty → service, plus the un-itemised remainder."""
    tidy = _read(src, "rtt_trust_monthly_long_2024_2025.csv")
    tidy = tidy[tidy.org_code == TRUST]
    measures = {
        "rtt_incomplete_pathways": "waiting",
        "rtt_within_18_weeks": "within",
        "rtt_52_plus_weeks": "over52",
    }
    wide = (
        tidy[tidy.measure.isin(measures)]
        .pivot_table(index=["period", "specialty"], columns="measure", values="value", aggfunc="first")
        .rename(columns=measures)
    )
    published_pct = tidy[(tidy.specialty == "ALL") & (tidy.measure == "rtt_percent_within_18_weeks")]
    published_pct = published_pct.set_index("period")["value"]
    unmapped = set(wide.index.get_level_values("specialty")) - set(RTT_SPECIALTY_SERVICE) - {"ALL"}
    if unmapped:
        raise ValueError(f"RTT specialties with no service: {sorted(unmapped)}")

    coverage, residuals, pct_match = [], [], 0
    for period, block in wide.groupby(level="period"):
        block = block.droplevel("period")
        total = block.loc["ALL"]
        itemised = block.drop(index="ALL")
        by_service = itemised.groupby(itemised.index.map(RTT_SPECIALTY_SERVICE)).sum()
        residual = total - itemised.sum()
        if (residual < 0).any() or residual.within > residual.waiting:
            raise ValueError(f"RTT {period}: the itemised specialties exceed the trust total")
        by_service.loc[RTT_RESIDUAL_SERVICE] = residual
        for service, row in by_service.iterrows():
            if row.waiting <= 0:
                continue
            label = RTT_RESIDUAL if service == RTT_RESIDUAL_SERVICE else RTT
            m.ratio("RTT-18W", service, period, row.within, row.waiting, label)
            m.count("RTT-52W", service, period, row.over52, label)
            m.count("RTT-WL", service, period, row.waiting, label)
        rolled = by_service.sum()
        if not (rolled == total).all():
            raise ValueError(f"RTT {period}: services do not add up to the trust total")
        coverage.append(itemised.waiting.sum() / total.waiting)
        residuals.append(residual.waiting)
        pct_match += round(100 * rolled.within / rolled.waiting, 2) == round(published_pct[period], 2)

    periods = sorted(wide.index.get_level_values("period").unique())
    first, last = (
        wide.xs(periods[0], level="period").loc["ALL"],
        wide.xs(periods[-1], level="period").loc["ALL"],
    )
    return [
        f"RTT: {len(periods)} months {periods[0][:7]} → {periods[-1][:7]}; "
        f"the 20 itemised specialties sum to {min(coverage):.1%}–{max(coverage):.1%} "
        f"of the trust's incomplete pathways, NOT the trust total.",
        f"RTT: the remainder ({min(residuals):,.0f}–{max(residuals):,.0f} pathways a month) is submitted at "
        f"{RTT_RESIDUAL_SERVICE}, so services sum exactly to the trust total "
        f"({first.waiting:,.0f} in {periods[0][:7]}, {last.waiting:,.0f} in {periods[-1][:7]}).",
        f"RTT: rolled-up % within 18 weeks equals the published trust percentage (2 dp) in "
        f"{pct_match}/{len(periods)} months "
        f"({100 * first.within / first.waiting:.2f}% → {100 * last.within / last.waiting:.2f}%).",
        *_other_surgery_evidence(src, wide),
    ]


def _other_surgery_evidence(src: Path, wide: pd.DataFrame) -> list[str]:
    """Why ``other_surgery`` sits in Medicine: its waits only fit 'Other - Medical Services'."""
    hy = _read(src, "rtt_healthyr_waits_over_18_52_weeks_2019_2025_indicative.csv")
    hy = hy[hy.org_code == TRUST].pivot_table(
        index="period", columns="treatment", values="waits_over_18_weeks"
    )
    months = [p for p in hy.index if p in wide.index.get_level_values("period")]
    over18 = {
        p: wide.loc[(p, "other_surgery"), "waiting"] - wide.loc[(p, "other_surgery"), "within"]
        for p in months
    }
    above_surgical = sum(over18[p] > hy.loc[p, "Other - Surgical Services"] for p in months)
    within_medical = sum(over18[p] <= hy.loc[p, "Other - Medical Services"] for p in months)
    return [
        f"RTT: 'other_surgery' waits over 18 weeks exceed the all-parts 'Other - Surgical Services' "
        f"figure in {above_surgical}/{len(months)} overlapping months and fit within "
        f"'Other - Medical Services' in "
        f"{within_medical}/{len(months)}: mapped to Medicine as Other medical services."
    ]


def bed_occupancy(src: Path, m: Measurements) -> tuple[pd.DataFrame, list[str]]:
    """G&A bed occupancy at trust level; also returns occupied adult and paediatric beds per month."""
    beds = _read(src, "beds_ga_critical_care_trust_monthly_2022_2025.csv")
    beds = beds[(beds.org_code == TRUST) & (beds.period <= LAST_MONTH)].set_index("period")
    for period, row in beds.iterrows():
        m.ratio(
            "BED-OCC", TRUST, period, row.general_acute_beds_occupied, row.general_acute_beds_available, BEDS
        )
    anchor = beds[["adult_general_acute_beds_occupied", "paediatric_general_acute_beds_occupied"]]
    anchor = anchor.rename(
        columns={
            "adult_general_acute_beds_occupied": "adult",
            "paediatric_general_acute_beds_occupied": "paediatric",
        }
    )
    return anchor, [
        f"Beds: G&A occupancy {len(beds)} months at trust level; adult and paediatric occupied beds "
        f"anchor the wards' synthetic bed days."
    ]


def criteria_to_reside(src: Path, m: Measurements) -> list[str]:
    """Daily average of patients not meeting the criteria to reside, from complete months only."""
    daily = _read(src, "flow_nctr_discharges_daily_RWD_2022_2025.csv")
    daily = daily.assign(month=daily.date.str[:7] + "-01")
    daily = daily[daily.month <= LAST_MONTH]
    value = daily.do_not_meet_criteria_to_reside
    daily = daily.assign(valid=value.notna() & (value > 0))
    kept, dropped = 0, []
    for month, block in daily.groupby("month"):
        if block.valid.sum() < 0.9 * days_in(month):
            dropped.append(month[:7])
            continue
        m.value("NCTR", TRUST, month, block.loc[block.valid, "do_not_meet_criteria_to_reside"].mean(), NCTR)
        kept += 1
    return [
        f"Criteria to reside: {kept} months kept; {len(dropped)} months with under 90% of days reported "
        f"left empty ({', '.join(dropped)}); zero days treated as not reported."
    ]
