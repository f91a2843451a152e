"""Where published figures came from when a national import brought them: the file, the publication, and
what the import noted (``Upload.source_notes``), for the data notes of the IPR and the KPI page.

Each read is one query, whatever the number of KPIs and months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import Measurement, Upload
from ..source_notes import notes_about, official_file_won


@dataclass(frozen=True)
class ImportedFrom:
    """A KPI's published figure at a unit in a month, and the national file it was imported from."""

    code: str
    name: str
    source_file: str
    publication: str


def imported_from(unit_id: int, month: date) -> list[ImportedFrom]:
    """The unit's published figures for ``month`` that came from a national publication, by KPI code."""
    rows = (
        Measurement.objects.filter(org_unit_id=unit_id, month=month, status=Measurement.Status.PUBLISHED)
        .exclude(upload__source_file="")
        .exclude(upload__isnull=True)
        .order_by("kpi__code")
        .values_list("kpi__code", "kpi__name", "upload__source_file", "upload__publication")
    )
    return [ImportedFrom(*row) for row in rows]


def official_file_notes(
    unit_id: int, *, up_to: date, kpi_id: int | None = None, national_code: str = ""
) -> list[str]:
    """What the national imports behind the unit's published figures up to ``up_to`` noted where the
    official A&E file won over the tidy history; for one KPI (its id and national code) when given."""
    uploads = Upload.objects.filter(
        measurements__org_unit_id=unit_id,
        measurements__status=Measurement.Status.PUBLISHED,
        measurements__month__lte=up_to,
    ).exclude(source_notes=[])
    if kpi_id is not None:
        uploads = uploads.filter(measurements__kpi_id=kpi_id)
    found: dict[str, str] = {}  # note → the first file that recorded it
    rows = uploads.order_by("pk").values_list("pk", "source_file", "source_notes").distinct()
    for _pk, source_file, notes in rows:
        about = notes_about(notes, national_code) if national_code else notes
        for note in official_file_won(about):
            found.setdefault(note, source_file)
    return [f"{note} ({source_file})" for note, source_file in found.items()]
