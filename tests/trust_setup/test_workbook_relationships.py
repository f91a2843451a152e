"""Lead and lag relationships in the setup workbook: exported, edited, imported, audited, round-tripped."""

from __future__ import annotations

import pytest

from kpis.models import Kpi, KpiRelationship
from kpis.relationships.services import record_relationship
from pmf.models import AuditEvent
from trust_setup.workbook.files import SheetOut, read_xlsx, write_xlsx
from trust_setup.workbook.service import apply_setup, export_sheets, export_xlsx, preview

pytestmark = pytest.mark.django_db


def with_relationships(rows: list[dict[str, str]]) -> bytes:
    """The world's setup as a workbook with the relationships sheet's rows replaced by ``rows``."""
    sheets = []
    for sheet in export_sheets():
        body = [dict(zip(sheet.header, row, strict=True)) for row in sheet.rows]
        if sheet.name == "kpi_relationships":
            body = rows
        sheets.append(SheetOut(sheet.name, sheet.header, [tuple(r[h] for h in sheet.header) for r in body]))
    return write_xlsx(sheets)


def test_relationships_round_trip_through_the_workbook(world):
    record_relationship(
        actor=world.users["perf"],
        lead=Kpi.objects.get(code="ATT"),
        lag=Kpi.objects.get(code="AE-4H"),
        delay_months=1,
        rationale="Busier months, longer waits.",
    )
    first = export_xlsx()
    sheet = next(s for s in read_xlsx(first) if s.name == "kpi_relationships")
    assert sheet.rows[0][1] == ("ATT", "AE-4H", "1", "accepted", "Busier months, longer waits.")
    plan = preview(read_xlsx(first))
    assert plan.ok and plan.changes == 0, plan.problems
    assert export_xlsx() == first


def test_an_edited_relationships_sheet_adds_and_changes_rows_audited(world):
    record_relationship(
        actor=None, lead=Kpi.objects.get(code="ATT"), lag=Kpi.objects.get(code="AE-4H"), delay_months=1
    )
    content = with_relationships(
        [
            {
                "lead": "ATT",
                "lag": "AE-4H",
                "delay_months": "2",
                "status": "rejected",
                "rationale": "Trend only.",
            },
            {"lead": "SICK", "lag": "RTT-18", "delay_months": "", "status": "suggested", "rationale": ""},
        ]
    )
    plan = preview(read_xlsx(content))
    assert plan.ok, plan.problems
    by_sheet = {s.sheet.name: s for s in plan.sheets}
    assert (by_sheet["kpi_relationships"].count("added"), by_sheet["kpi_relationships"].count("changed")) == (
        1,
        1,
    )

    apply_setup(read_xlsx(content), actor=world.users["perf"], sha256="c" * 64, name="relationships.xlsx")
    changed = KpiRelationship.objects.get(lead__code="ATT", lag__code="AE-4H")
    added = KpiRelationship.objects.get(lead__code="SICK", lag__code="RTT-18")
    assert (changed.delay_months, changed.status, changed.rationale) == (2, "rejected", "Trend only.")
    assert (added.delay_months, added.status) == (0, "suggested")
    assert AuditEvent.objects.filter(object_type="kpis.KpiRelationship", actor="perf").count() == 2
    assert preview(read_xlsx(export_xlsx())).changes == 0


def test_a_relationship_naming_an_unknown_kpi_is_refused(world):
    content = with_relationships(
        [{"lead": "ATT", "lag": "NOPE", "delay_months": "0", "status": "accepted", "rationale": ""}]
    )
    assert [(p.sheet, p.column) for p in preview(read_xlsx(content)).problems] == [
        ("kpi_relationships", "lag")
    ]
