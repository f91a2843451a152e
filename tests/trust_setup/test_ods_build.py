"""The rules that build the NHS trust reference, and the committed file being what they build."""

import csv
from pathlib import Path
from typing import Any

import pytest

from trust_setup.ods_build import Sources, build_rows, title_case, trust_type

ROOT = Path(__file__).resolve().parents[2]
# Extracts of the published files the reference is built from (tests/data/ods/README.md).
SOURCES = Sources(ROOT / "tests" / "data" / "ods")
NO_EVIDENCE: dict[str, Any] = {"selected": {}, "survey": {}, "ae_type1": set()}


@pytest.mark.parametrize(
    ("upper", "title"),
    [
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        (
            "UNIVERSITY HOSPITALS OF MORECAMBE BAY NHS FOUNDATION TRUST",
            "University Hospitals of Morecambe Bay NHS Foundation Trust",
        ),
        (
            "ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST",
            "Royal Brompton & Harefield NHS Foundation Trust",
        ),
    ],
)
def test_title_case_writes_names_as_the_nhs_does(upper, title):
    assert title_case(upper) == title


def test_trust_type_rules_apply_in_order():
    survey = {"RAA": "Community Trusts", "RAB": "Acute Specialist Trusts"}
    assert trust_type(
        code="R1F",
        upper_name="ISLE OF WIGHT NHS TRUST",
        selected={"R1F": "integrated (acute+ambulance)"},
        survey={},
        ae_type1=set(),
    ) == ("acute", "selected")
    assert trust_type(code="RZZ", upper_name="X AMBULANCE SERVICE NHS TRUST", **NO_EVIDENCE) == (
        "ambulance",
        "ambulance_name",
    )
    assert trust_type(code="RAA", upper_name="X NHS TRUST", selected={}, survey=survey, ae_type1={"RAA"}) == (
        "community",
        "staff_survey",
    )
    assert trust_type(
        code="RAB", upper_name="X CHILDREN'S NHS TRUST", selected={}, survey=survey, ae_type1=set()
    ) == ("specialist", "staff_survey")
    assert trust_type(
        code="RAC", upper_name="X MENTAL HEALTH NHS TRUST", selected={}, survey={}, ae_type1={"RAC"}
    ) == ("acute", "ae_type1")
    assert trust_type(code="RAD", upper_name="X MENTAL HEALTH NHS TRUST", **NO_EVIDENCE) == (
        "mental_health",
        "name",
    )
    assert trust_type(code="RAE", upper_name="X COMMUNITY HEALTHCARE NHS TRUST", **NO_EVIDENCE) == (
        "community",
        "name",
    )
    assert trust_type(code="RAF", upper_name="X HOSPITALS NHS TRUST", **NO_EVIDENCE) == ("acute", "default")


def test_the_committed_reference_is_what_the_rules_build():
    with (ROOT / "fixtures" / "ods" / "nhs_trusts.csv").open(encoding="utf-8") as handle:
        committed = list(csv.DictReader(handle))
    assert build_rows(SOURCES) == committed


def test_a_merged_trust_takes_its_predecessors_type():
    rows = {row["org_code"]: row for row in build_rows(SOURCES)}
    # North London NHS FT opened on 1 November 2024, the day after Barnet, Enfield and Haringey Mental
    # Health NHS Trust (same ICB) closed; neither the survey nor the A&E files know the new trust yet.
    assert rows["RRP"]["trust_type"] == "mental_health"
    assert (rows["G6V2S"]["trust_type"], rows["G6V2S"]["type_basis"]) == ("mental_health", "successor")
