"""The NHS trust reference: which codes are open NHS trusts, and why the others are not."""

from datetime import date

import pytest

from divisions import ods
from divisions.models import TrustType

TODAY = date(2025, 9, 1)


def test_trust_types_are_the_models_choices():
    assert set(ods.TRUST_TYPES) == set(TrustType.values)
    assert {trust.trust_type for trust in ods.all_trusts()} <= set(TrustType.values)


def test_find_reads_name_region_and_icb_as_the_nhs_writes_them():
    rwd = ods.find("rwd ")
    assert rwd is not None
    assert rwd.name == "United Lincolnshire Teaching Hospitals NHS Trust"
    assert (rwd.trust_type, rwd.region_name, rwd.icb_code, rwd.icb_name) == (
        "acute",
        "Midlands",
        "QJM",
        "Lincolnshire",
    )
    rx8 = ods.find("RX8")
    assert rx8 is not None and rx8.trust_type == "ambulance" and rx8.icb_name == "West Yorkshire"
    kings_lynn = ods.find("RCX")
    assert kings_lynn is not None
    assert kings_lynn.name == "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"


def test_find_returns_none_for_a_code_not_listed():
    assert ods.find("ZZZ") is None


def test_an_open_english_trust_has_no_reason():
    assert ods.why_not_open("RTH", on=TODAY) is None
    assert ods.open_trust("RTH", on=TODAY).name == "Oxford University Hospitals NHS Foundation Trust"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "is not an ODS code"),
        ("R-WD", "is not an ODS code"),
        ("ZZZ", "is not an NHS trust in the ODS reference"),
        ("QJM", "integrated care board's code (Lincolnshire)"),
        ("Y60", "NHS England region's code (Midlands)"),
        ("RWD01", "looks like a site of United Lincolnshire Teaching Hospitals NHS Trust"),
        ("RT3", "closed on 31 Jan 2021"),
        ("RA4", "no longer lists (last listed in 2022-03)"),
        ("RT4", "an NHS trust in Wales"),
    ],
)
def test_a_code_that_is_not_an_open_trust_says_why(code, reason):
    assert reason in (ods.why_not_open(code, on=TODAY) or "")
    with pytest.raises(ods.NotAnOpenTrust, match=r"\w"):
        ods.open_trust(code, on=TODAY)


def test_a_trust_closing_later_is_open_until_then():
    assert ods.why_not_open("RAP", on=date(2024, 6, 1)) is None
    assert "closed on 31 Dec 2024" in (ods.why_not_open("RAP", on=date(2025, 1, 1)) or "")
