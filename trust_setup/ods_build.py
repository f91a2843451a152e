"""Build the NHS trust reference (``fixtures/ods/nhs_trusts.csv``) from published ODS and NHS England files.

Pure: file paths in, rows out; no Django. ``build_ods_reference`` (the command) writes the rows.

How each trust is read, in steps:

1. The ODS trust file (``ref_ods_nhs_trusts.csv``) holds two snapshots; a trust's **latest** row wins (its
   name, region, ICB, open and close dates). A trust listed in an earlier snapshot and not in the latest is
   kept, with ``listed_in`` saying which snapshot last listed it, so the reader can say it is no longer open.
2. The ICB's name comes from the 2025 ICB list; a code not in it (an older STP code, Wales) gets none.
3. The name is written in title case as the NHS writes it ("NHS Foundation Trust", "and", "of", "King's").
4. The trust type is decided by the first of these rules that applies, and ``type_basis`` says which:
   ``selected``: the peer set names it; ``ambulance_name``: "AMBULANCE" in the name; ``staff_survey``: the
   NHS Staff Survey 2024 benchmarking group; ``ae_type1``: the trust reported type 1 (major) A&E
   attendances in the national A&E files, which only acute trusts run; ``name``: words in the name
   (mental health, partnership → mental health; community → community; a specialist hospital's words →
   specialist); ``successor``: the trust opened the day after another trust of the same ICB closed (a
   merger), and takes that trust's type; ``default``: none of these, so acute, the commonest kind (a handful
   of closed trusts, and Wales's, which PMF does not serve).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

COLUMNS = (
    "org_code",
    "org_name",
    "trust_type",
    "region_code",
    "region_name",
    "icb_code",
    "icb_name",
    "open_date",
    "close_date",
    "type_basis",
    "listed_in",
)

# The Staff Survey's benchmarking groups, as the survey names them, and the trust type each means.
SURVEY_GROUP_TYPES = {
    "Acute and Acute & Community Trusts": "acute",
    "Acute Specialist Trusts": "specialist",
    "Ambulance Trusts": "ambulance",
    "Community Trusts": "community",
    "Mental Health & Learning Disability and Mental Health, Learning Disability & Community Trusts": (
        "mental_health"
    ),
}
# The peer set's own words for a trust's type; the Isle of Wight runs acute, ambulance, community and mental
# health services under one trust, and its performance framework is an acute hospital's.
SELECTED_TYPES = {"acute": "acute", "ambulance": "ambulance", "integrated (acute+ambulance)": "acute"}
NAME_WORD_TYPES = (
    (("MENTAL HEALTH", "PARTNERSHIP"), "mental_health"),
    (("COMMUNITY",), "community"),
    (("CHILDREN'S", "WOMEN'S", "ORTHOPAEDIC", "HEART", "CANCER", "BROMPTON", "EYE HOSPITAL"), "specialist"),
)
# Wales's region in ODS; the region file leaves its name blank.
REGION_NAMES = {"W00": "Wales"}

_LOWER_WORDS = {"and", "of", "the", "for", "upon", "on", "in"}
_UPPER_WORDS = {"NHS"}


@dataclass(frozen=True)
class Sources:
    """The published files the reference is built from, all in one folder."""

    folder: Path

    def rows(self, name: str) -> list[dict[str, str]]:
        with (self.folder / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


def title_case(upper_name: str) -> str:
    """``THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST`` → ``The Queen Elizabeth
    Hospital, King's Lynn, NHS Foundation Trust``: small joining words lower case except first, NHS as is."""
    words = upper_name.split()
    out = []
    for index, word in enumerate(words):
        bare = word.strip(",")
        if bare in _UPPER_WORDS:
            out.append(word)
        elif index > 0 and bare.lower() in _LOWER_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(out)


def _type_from_name(upper_name: str) -> str | None:
    for words, trust_type in NAME_WORD_TYPES:
        if any(word in upper_name for word in words):
            return trust_type
    return None


def _ae_type1_reporters(sources: Sources) -> set[str]:
    codes = {
        r["org_code"]
        for r in sources.rows("ae_nhsrdatasets_ae_attendances_2016_2019.csv")
        if r["type"] == "1"
    }
    codes |= {
        r["org_code"]
        for r in sources.rows("ae_trust_monthly_long_all_sources.csv")
        if r["measure"] == "ae_attendances_type1" and r["value"] and float(r["value"]) > 0
    }
    return codes


def trust_type(
    *, code: str, upper_name: str, selected: dict[str, str], survey: dict[str, str], ae_type1: set[str]
) -> tuple[str, str]:
    """The trust's type and the rule that decided it (steps in the module docstring)."""
    if code in selected:
        return SELECTED_TYPES[selected[code]], "selected"
    if "AMBULANCE" in upper_name:
        return "ambulance", "ambulance_name"
    if survey.get(code) in SURVEY_GROUP_TYPES:
        return SURVEY_GROUP_TYPES[survey[code]], "staff_survey"
    if code in ae_type1:
        return "acute", "ae_type1"
    by_name = _type_from_name(upper_name)
    if by_name is not None:
        return by_name, "name"
    return "acute", "default"


def _iso(yyyymmdd: str) -> str:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}" if yyyymmdd else ""


def _predecessor(ods: dict[str, str], others: Iterable[dict[str, str]]) -> dict[str, str] | None:
    """A trust of the same ICB that closed the day before ``ods`` opened, if exactly one did."""
    opened = _iso(ods["open_date"])
    found = [
        other
        for other in others
        if other["icb_code"] == ods["icb_code"]
        and other["close_date"]
        and date.fromisoformat(_iso(other["close_date"])) + timedelta(days=1) == date.fromisoformat(opened)
    ]
    return found[0] if len(found) == 1 else None


def build_rows(sources: Sources) -> list[dict[str, str]]:
    """One row per trust, sorted by code (steps in the module docstring)."""
    latest: dict[str, dict[str, str]] = {}
    for row in sources.rows("ref_ods_nhs_trusts.csv"):
        known = latest.get(row["org_code"])
        if known is None or row["snapshot"] > known["snapshot"]:
            latest[row["org_code"]] = row
    icb_names = {r["icb_code"]: r["icb_name"] for r in sources.rows("ref_icb_names_2025.csv")}
    selected = {r["org_code"]: r["trust_type"] for r in sources.rows("ref_selected_trusts.csv")}
    survey = {
        r["org_code"]: r["benchmarking_group"]
        for r in sources.rows("workforce_nhs_staff_survey_2024_org_scores.csv")
    }
    ae_type1 = _ae_type1_reporters(sources)
    types = {
        code: trust_type(
            code=code, upper_name=ods["org_name"], selected=selected, survey=survey, ae_type1=ae_type1
        )
        for code, ods in latest.items()
    }
    for code, ods in latest.items():
        predecessor = _predecessor(ods, latest.values())
        if types[code][1] == "default" and predecessor is not None:
            types[code] = (types[predecessor["org_code"]][0], "successor")
    rows = []
    for code in sorted(latest):
        ods = latest[code]
        kind, basis = types[code]
        rows.append(
            {
                "org_code": code,
                "org_name": title_case(ods["org_name"]),
                "trust_type": kind,
                "region_code": ods["nhse_region_code"],
                "region_name": ods["nhse_region_name"] or REGION_NAMES.get(ods["nhse_region_code"], ""),
                "icb_code": ods["icb_code"],
                "icb_name": icb_names.get(ods["icb_code"], ""),
                "open_date": _iso(ods["open_date"]),
                "close_date": _iso(ods["close_date"]),
                "type_basis": basis,
                "listed_in": ods["snapshot"],
            }
        )
    return rows


def write_rows(rows: Iterable[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
