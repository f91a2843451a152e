"""Keeping every organisation's published values as peer reference data (``PeerValue``).

``load_peer_values(national_file)`` is called by ``load_peer_values`` (the command) for a folder of files and
by the national import for each file it reads, so the peers are always as current as the trust's own series.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction

from kpis.signals import stored_data_changed
from pmf.services.audit import Actor, record_audit

from .models import PeerValue
from .placing import AE_HISTORY
from .readers import NationalFile
from .readers.formats import recognise
from .readers.table import HEADER_SEARCH_ROWS

KEY_FIELDS = ("org_code", "kpi_code", "month", "split_kind", "split_code")
VALUE_FIELDS = (
    "org_name",
    "split_name",
    "numerator",
    "denominator",
    "value",
    "source_file",
    "format",
    "publication",
    "published_on",
)
# Formats whose rows give way to an official publication's row for the same organisation, KPI and month:
# the tidy A&E history repeats the official monthly file, and where an older copy in it disagrees (Feb and
# Mar 2025) the official file is right.
SECONDARY_FORMATS = frozenset({AE_HISTORY})
BATCH_SIZE = 2000

Key = tuple[str, str, date, str, str]


@dataclass(frozen=True)
class PeerLoad:
    """What loading one file did: rows added, changed, held already, and kept from an official file."""

    source_file: str
    added: int
    changed: int
    unchanged: int
    kept_official: int

    @property
    def written(self) -> int:
        return self.added + self.changed

    def summary(self) -> str:
        kept = f", {self.kept_official} kept from the official file" if self.kept_official else ""
        return (
            f"{self.source_file}: {self.added} peer values added, {self.changed} changed, "
            f"{self.unchanged} unchanged{kept}"
        )


def opening_rows(path: Path) -> list[list[str]]:
    """The first rows of a CSV file or workbook, as text, where a publication's header would be."""
    if path.suffix.lower() == ".xlsx":
        sheet = pd.read_excel(path, header=None, dtype=str, nrows=HEADER_SEARCH_ROWS, engine="openpyxl")
        return sheet.fillna("").to_numpy().tolist()
    text = path.read_bytes()[:65536].decode("utf-8-sig", errors="replace")
    return list(csv.reader(io.StringIO(text, newline="")))[:HEADER_SEARCH_ROWS]


def is_publication(path: Path) -> bool:
    """Whether one of the file's opening rows is the header of a publication PMF reads."""
    return any(recognise([cell.strip() for cell in row]) for row in opening_rows(path))


def _number(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


FIGURES = [VALUE_FIELDS.index(name) for name in ("numerator", "denominator", "value")]


def _same_figures(before: tuple[Any, ...], after: tuple[Any, ...]) -> bool:
    """Whether two rows give the same numerator, denominator and value (to the last few bits)."""
    for at in FIGURES:
        old, new = before[at], after[at]
        if (old is None) != (new is None) or (old is not None and not math.isclose(old, new, rel_tol=1e-12)):
            return False
    return True


def _stored(national_file: NationalFile) -> dict[Key, tuple[Any, ...]]:
    """The stored rows the file could touch (its KPIs over its months), by key: values and format."""
    rows = national_file.rows
    found = PeerValue.objects.filter(
        kpi_code__in=sorted(set(rows["kpi_code"])),
        month__gte=min(rows["month"]),
        month__lte=max(rows["month"]),
    ).values_list(*KEY_FIELDS, *VALUE_FIELDS)
    width = len(KEY_FIELDS)
    return {tuple(row[:width]): tuple(row[width:]) for row in found}  # type: ignore[misc]


@transaction.atomic
def load_peer_values(national_file: NationalFile, *, actor: Actor = None) -> PeerLoad:
    """Keep every organisation's rows of ``national_file`` as peer values, in one transaction.

    1. Read the stored values for the file's KPIs and months in one query.
    2. For each row: leave it if its figures are stored already (from this file or another giving the same
       numbers, whose provenance is kept); leave a stored official row that a secondary format
       (the tidy A&E history) would replace; otherwise add or change it.
    3. Write the added and changed rows in bulk (insert, or update on the unique key), and audit the load
       once. The same file twice writes nothing and records nothing.
    """
    rows = national_file.rows
    if rows.empty:
        return PeerLoad(national_file.source_file, 0, 0, 0, 0)
    stored = _stored(national_file)
    secondary = national_file.format in SECONDARY_FORMATS
    format_at = VALUE_FIELDS.index("format")
    to_write: list[PeerValue] = []
    added = changed = unchanged = kept = 0
    for row in rows.itertuples(index=False):
        key: Key = (row.org_code, row.kpi_code, row.month, row.split_kind, row.split_code)
        values = (
            row.org_name,
            row.split_name,
            _number(row.numerator),
            _number(row.denominator),
            float(row.value),
            national_file.source_file,
            national_file.format,
            national_file.publication,
            national_file.published_on,
        )
        before = stored.get(key)
        if before is not None and _same_figures(before, values):
            unchanged += 1  # the figure is held already, with the provenance of the file that first gave it
            continue
        if before is not None and secondary and before[format_at] not in SECONDARY_FORMATS:
            kept += 1
            continue
        if before is None:
            added += 1
        else:
            changed += 1
        to_write.append(PeerValue(**dict(zip(KEY_FIELDS + VALUE_FIELDS, key + values, strict=True))))
    PeerValue.objects.bulk_create(
        to_write,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=list(KEY_FIELDS),
        update_fields=[*VALUE_FIELDS, "loaded_at"],
    )
    load = PeerLoad(national_file.source_file, added, changed, unchanged, kept)
    if load.written:
        stored_data_changed.send(sender=PeerValue)  # reports that show peer figures are out of date
        record_audit(
            actor=actor,
            verb="peer values loaded",
            object_type=PeerValue._meta.label,
            object_id=national_file.source_file,
            after={
                "format": national_file.format,
                "publication": national_file.publication,
                "added": added,
                "changed": changed,
                "unchanged": unchanged,
                "kept_official": kept,
            },
            note=load.summary(),
        )
    return load
