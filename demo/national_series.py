"""A demo trust's national series, loaded as a real trust's are: through the national import.

``load_national_series`` steps (each changes nothing when it has been done already):
1. The trust's KPIs that take NHS England's published figures get their national code (``kpis.csv``).
2. The trust has its profile from the ODS reference (``start_trust``), so its peers and ``benchmark --ods``
   know it; a trust set up through the setup workbook has one already.
3. The specialty → division map (``specialty_divisions.csv``, where the trust has one) places the published
   splits (treatment functions, cancer types, DM01 tests) at divisions.
4. Every organisation's values in the shipped files (``fixtures/national/``) are kept as peer values.
5. The trust's own files (``national_files`` in ``trust.json``) are imported and published by the
   performance lead through ``national.importing``: the same check, preview and publish as any upload.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from divisions.models import OrgUnit, SpecialtyDivision, TrustProfile
from kpis.models import Kpi
from national.importing import FileOutcome, import_national_files
from national.peers import PeerLoad, load_peer_values
from national.readers import read_published_file
from pmf.models import User
from pmf.services.audit import record_change, update_audited
from trust_setup.services.start import start_trust


@dataclass(frozen=True)
class NationalLoad:
    peers: list[PeerLoad]
    imported: list[FileOutcome]

    def summary(self) -> str:
        peers = sum(load.written for load in self.peers)
        new = sum(outcome.new for outcome in self.imported)
        restated = sum(outcome.restated for outcome in self.imported)
        return (
            f"national import: {len(self.imported)} files, {new} new values, {restated} restated; "
            f"peer values: {peers} written from {len(self.peers)} files"
        )


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _adopt_national_codes(folder: Path, publisher: User | None) -> None:
    codes = {row["code"]: row.get("national_code", "") for row in _rows(folder / "kpis.csv")}
    for kpi in Kpi.objects.filter(code__in=[code for code, national in codes.items() if national]):
        if kpi.national_code != codes[kpi.code]:
            update_audited(
                kpi,
                actor=publisher,
                verb="national code set",
                why="the demo trust takes NHS England's published figures for this KPI",
                national_code=codes[kpi.code],
            )


def _profile(config: dict[str, Any], publisher: User | None) -> None:
    if not TrustProfile.objects.exists():
        start_trust(ods_code=config["code"], today=date.fromisoformat(config["data_as_at"]), actor=publisher)


def _specialty_divisions(folder: Path, publisher: User | None) -> None:
    divisions = {unit.code: unit for unit in OrgUnit.objects.filter(level="division")}
    have = {(s.kind, s.code) for s in SpecialtyDivision.objects.all()}
    for row in _rows(folder / "specialty_divisions.csv"):
        if (row["kind"], row["code"]) in have:
            continue
        split = SpecialtyDivision.objects.create(
            kind=row["kind"], code=row["code"], name=row["name"], division=divisions[row["division_code"]]
        )
        record_change(actor=publisher, instance=split, before=None, note="the demo trust's specialty map")


def load_national_series(folder: Path, config: dict[str, Any], publisher: User | None) -> NationalLoad:
    """Steps in the module docstring; ``folder`` is the trust's fixtures, beside ``national/``."""
    _adopt_national_codes(folder, publisher)
    _profile(config, publisher)
    _specialty_divisions(folder, publisher)
    shipped = folder.parent / "national"
    peers = [
        load_peer_values(read_published_file(path), actor=publisher) for path in sorted(shipped.glob("*.csv"))
    ]
    files = [(name, (shipped / name).read_bytes()) for name in config.get("national_files", [])]
    imported = import_national_files(actor=publisher, ods=config["code"], files=files, publish=True)
    return NationalLoad(peers=peers, imported=imported)
