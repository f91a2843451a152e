"""The NHS trust reference shipped in ``fixtures/ods/nhs_trusts.csv``: which codes are open NHS trusts.

Pure: reads the CSV, imports no Django. ``trust_setup.ods_build`` builds the file from the published ODS
trust list (``fixtures/README.md`` says how and under which licence).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pmf.formatting import format_date

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "ods" / "nhs_trusts.csv"
# The kinds of trust, as ``divisions.models.TrustType`` names them (a test keeps the two the same).
TRUST_TYPES = ("acute", "ambulance", "mental_health", "community", "specialist")
ENGLISH_REGION_PREFIX = "Y"
_CODE_SHAPE = re.compile(r"^[A-Z0-9]{3,5}$")


@dataclass(frozen=True)
class NhsTrust:
    """One NHS trust as the ODS reference lists it; ``listed_in`` is the last snapshot that listed it."""

    code: str
    name: str
    trust_type: str
    region_code: str
    region_name: str
    icb_code: str
    icb_name: str
    open_date: date
    close_date: date | None
    type_basis: str
    listed_in: str

    @property
    def in_england(self) -> bool:
        return self.region_code.startswith(ENGLISH_REGION_PREFIX)


class NotAnOpenTrust(ValueError):
    """The code is not an open NHS trust in England; the message says why."""


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def _reference() -> dict[str, NhsTrust]:
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        return {
            row["org_code"]: NhsTrust(
                code=row["org_code"],
                name=row["org_name"],
                trust_type=row["trust_type"],
                region_code=row["region_code"],
                region_name=row["region_name"],
                icb_code=row["icb_code"],
                icb_name=row["icb_name"],
                open_date=date.fromisoformat(row["open_date"]),
                close_date=_optional_date(row["close_date"]),
                type_basis=row["type_basis"],
                listed_in=row["listed_in"],
            )
            for row in csv.DictReader(handle)
        }


def latest_snapshot() -> str:
    """The newest ODS snapshot in the reference, e.g. ``2025-Q1``."""
    return max(trust.listed_in for trust in _reference().values())


def all_trusts() -> list[NhsTrust]:
    """Every trust in the reference, open or not, by code."""
    return sorted(_reference().values(), key=lambda trust: trust.code)


def find(code: str) -> NhsTrust | None:
    """The trust with this ODS code (any case, spaces ignored), open or not; None if none is listed."""
    return _reference().get(code.strip().upper())


def why_not_open(code: str, *, on: date) -> str | None:
    """Why ``code`` is not an open NHS trust in England on ``on``; None when it is one.

    In order: not shaped like an ODS code; an ICB's or a region's code; a site of a trust; not in the
    reference; in Wales; closed; no longer listed in the latest snapshot (merged or dissolved).
    """
    wanted = code.strip().upper()
    if not _CODE_SHAPE.match(wanted):
        return f"'{code}' is not an ODS code: a trust's code is three to five letters and digits, e.g. RWD."
    trust = find(wanted)
    if trust is None:
        return _why_unknown(wanted)
    if not trust.in_england:
        return (
            f"{trust.code} is {trust.name}, an NHS trust in {trust.region_name or 'another nation'}; "
            "PMF serves NHS trusts in England, whose national statistics it reads."
        )
    if trust.close_date is not None and trust.close_date < on:
        return f"{trust.code} is {trust.name}, which closed on {format_date(trust.close_date)}."
    if trust.listed_in != latest_snapshot():
        return (
            f"{trust.code} is {trust.name}, which the ODS trust list of {latest_snapshot()} no longer lists "
            f"(last listed in {trust.listed_in}): it has merged or closed."
        )
    if trust.open_date > on:
        return f"{trust.code} is {trust.name}, which opens on {format_date(trust.open_date)}."
    return None


def open_trust(code: str, *, on: date) -> NhsTrust:
    """The open NHS trust with this code, or ``NotAnOpenTrust`` saying why not."""
    reason = why_not_open(code, on=on)
    if reason is not None:
        raise NotAnOpenTrust(reason)
    trust = find(code)
    assert trust is not None  # why_not_open found it
    return trust


def _why_unknown(code: str) -> str:
    trusts = _reference().values()
    icbs = {trust.icb_code: trust.icb_name for trust in trusts}
    regions = {trust.region_code: trust.region_name for trust in trusts}
    if code in icbs:
        named = f" ({icbs[code]})" if icbs[code] else ""
        return f"{code} is an integrated care board's code{named}, not a trust's."
    if code in regions:
        return f"{code} is an NHS England region's code ({regions[code]}), not a trust's."
    parent = find(code[:3])
    if len(code) > 3 and parent is not None:
        return f"{code} looks like a site of {parent.name}: start the trust with its own code, {parent.code}."
    return f"{code} is not an NHS trust in the ODS reference ({len(_reference())} trusts)."
