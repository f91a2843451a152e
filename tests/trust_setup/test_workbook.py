"""The setup workbook on the small world: round trip, preview, apply, and the bad-workbook corpus.

Every workbook here is a real .xlsx: the world's setup exported, changed where a test says, written again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from divisions.models import OrgUnit, OrgUnitMove, RoleAssignment
from kpis.models import Kpi, Target
from pmf.models import AuditEvent, User
from trust_setup.workbook.files import SheetOut, read_csv_folder, read_xlsx, write_xlsx
from trust_setup.workbook.service import apply_setup, export_csv_folder, export_sheets, export_xlsx, preview

pytestmark = pytest.mark.django_db

Rows = list[dict[str, str]]


def edited(**changes: Callable[[Rows], Rows]) -> bytes:
    """The world's setup as a workbook, each named sheet's rows (dicts of text) passed through its change."""
    sheets = []
    for sheet in export_sheets():
        rows: Rows = [dict(zip(sheet.header, row, strict=True)) for row in sheet.rows]
        if sheet.name in changes:
            rows = changes[sheet.name](rows)
        sheets.append(SheetOut(sheet.name, sheet.header, [tuple(r[h] for h in sheet.header) for r in rows]))
    return write_xlsx(sheets)


def where(rows: Rows, column: str, match: str, **new: str) -> Rows:
    """The rows with ``new`` values in the row whose ``column`` is ``match``."""
    return [{**row, **new} if row[column] == match else row for row in rows]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def problems_of(content: bytes) -> list[tuple[str, int | None, str]]:
    plan = preview(read_xlsx(content))
    return [(p.sheet, p.row, p.column) for p in plan.problems]


def refused_with_nothing_written(content: bytes) -> list[str]:
    """Apply the workbook; it must be refused and leave every table as it was. Returns the reasons."""
    before = row_counts()
    plan = apply_setup(read_xlsx(content), actor=None, sha256="x" * 64, name="bad.xlsx")
    assert not plan.ok
    assert row_counts() == before
    return [str(p) for p in plan.problems]


# --- round trip ------------------------------------------------------------------------------------------


def test_export_import_export_is_identical_and_changes_nothing(world):
    first = export_xlsx()
    plan = preview(read_xlsx(first))
    assert plan.ok and plan.changes == 0, plan.problems
    events = AuditEvent.objects.count()
    apply_setup(read_xlsx(first), actor=None, sha256="a" * 64, name="setup.xlsx")
    assert AuditEvent.objects.count() == events
    assert export_xlsx() == first  # byte for byte: fixed order, fixed formats, fixed timestamps
    sheets = {s.name: s for s in read_xlsx(first)}
    assert sheets["org_units"].rows[0][1][0] == "WLD-MED"  # rows in key order
    assert len(sheets["kpis"].rows) == 4 and len(sheets["targets"].rows) == 6


def test_a_csv_folder_round_trips_as_the_workbook_does(world, tmp_path: Path):
    export_csv_folder(tmp_path / "setup")
    assert sorted(p.name for p in (tmp_path / "setup").glob("*.csv"))[:3] == [
        "committees.csv",
        "criteria.csv",
        "domains.csv",
    ]
    plan = preview(read_csv_folder(tmp_path / "setup"))
    assert plan.ok and plan.changes == 0
    first = (tmp_path / "setup" / "kpis.csv").read_bytes()
    export_csv_folder(tmp_path / "again")
    assert (tmp_path / "again" / "kpis.csv").read_bytes() == first


def test_an_edited_workbook_previews_then_applies_once_audited_row_by_row(world):
    content = edited(
        org_units=lambda rows: (
            where(rows, "code", "WLD-SUR", name="Surgical Division")
            + [
                {
                    **rows[0],
                    "code": "WLD-MED-RES",
                    "name": "Respiratory",
                    "level": "service",
                    "parent": "WLD-MED",
                }
            ]
        ),
        kpis=lambda rows: [r for r in rows if r["code"] != "SICK"],
        targets=lambda rows: where(rows, "kpi", "AE-4H", value="76"),
    )
    before = row_counts()
    plan = preview(read_xlsx(content))
    assert plan.ok, plan.problems
    by_sheet = {s.sheet.name: s for s in plan.sheets}
    assert (by_sheet["org_units"].count("added"), by_sheet["org_units"].count("changed")) == (1, 1)
    assert by_sheet["kpis"].count("retired") == 1
    assert by_sheet["targets"].count("changed") == 2  # the two years' trust-wide targets
    assert row_counts() == before  # a preview writes nothing

    events = AuditEvent.objects.count()
    apply_setup(read_xlsx(content), actor=world.users["perf"], sha256="b" * 64, name="edited.xlsx")
    assert OrgUnit.objects.get(code="WLD-SUR").name == "Surgical Division"
    assert OrgUnit.objects.get(code="WLD-MED-RES").parent == world.medicine
    retired = Kpi.objects.get(code="SICK")  # retired, never deleted
    assert retired.active_to == timezone.localdate()
    assert set(Target.objects.filter(kpi__code="AE-4H").values_list("value", flat=True)) == {76.0}
    assert AuditEvent.objects.count() == events + 5 + 1  # one per row, one for the import
    change = AuditEvent.objects.get(object_id="WLD-SUR", verb="changed by the setup workbook")
    assert (change.before["name"], change.after["name"], change.actor) == (
        "Surgery",
        "Surgical Division",
        "perf",
    )
    assert AuditEvent.objects.get(verb="imported the setup workbook").after["retired"] == 1

    again = preview(read_xlsx(content))  # the same file twice: the second changes nothing
    assert again.ok and again.changes == 0
    assert preview(read_xlsx(export_xlsx())).changes == 0


def test_a_move_takes_effect_from_the_1_april_given(world):
    to_medicine = lambda rows: where(rows, "code", "WLD-SUR-TO", parent="WLD-MED")  # noqa: E731
    assert ("org_units", 8, "parent_from") in problems_of(edited(org_units=to_medicine))
    content = edited(
        org_units=lambda rows: where(to_medicine(rows), "code", "WLD-SUR-TO", parent_from="2026-04-01")
    )
    apply_setup(read_xlsx(content), actor=None, sha256="c" * 64, name="move.xlsx")
    move = OrgUnitMove.objects.get(unit__code="WLD-SUR-TO")
    assert (move.from_parent.code, move.to_parent.code, move.effective_from) == (
        "WLD-SUR",
        "WLD-MED",
        date(2026, 4, 1),
    )
    assert preview(read_xlsx(export_xlsx())).changes == 0


def test_new_people_and_roles_come_without_passwords(world):
    content = edited(
        users=lambda rows: [*rows, {**rows[0], "username": "new.lead", "first_name": "New", "active": "yes"}],
        role_assignments=lambda rows: [
            *rows,
            {
                "username": "new.lead",
                "role": "clinical_lead",
                "org_unit": "WLD-MED",
                "start": "2025-04-01",
                "end": "",
            },
        ],
    )
    apply_setup(read_xlsx(content), actor=None, sha256="d" * 64, name="people.xlsx")
    person = User.objects.get(username="new.lead")
    assert not person.has_usable_password()
    assert RoleAssignment.objects.get(user=person).org_unit == world.medicine


# --- the bad-workbook corpus: each refused with every error, nothing written ----------------------------


def test_wrong_sheet_and_missing_sheet(world):
    sheets = [s for s in export_sheets() if s.name != "criteria"]
    sheets.append(SheetOut("Sheet1", ("a",), [("1",)]))
    reasons = refused_with_nothing_written(write_xlsx(sheets))
    assert any(r.startswith("sheet Sheet1: the setup workbook has no sheet called this") for r in reasons)
    assert "sheet criteria: the sheet is missing (it may be empty but must be there)" in reasons


def test_missing_column(world):
    sheets = [
        SheetOut(s.name, s.header[1:], [r[1:] for r in s.rows]) if s.name == "kpis" else s
        for s in export_sheets()
    ]
    reasons = refused_with_nothing_written(write_xlsx(sheets))
    assert "sheet kpis, row 1, column code: the column is missing from the header row" in reasons


def test_unknown_parent(world):
    content = edited(org_units=lambda rows: where(rows, "code", "WLD-SUR-GEN", parent="WLD-NOPE"))
    reasons = refused_with_nothing_written(content)
    assert reasons == [
        "sheet org_units, row 7, column parent: 'WLD-NOPE' is not on the trust sheet or the org_units sheet, "
        "nor set up already"
    ]


def test_a_cycle(world):
    content = edited(
        org_units=lambda rows: where(
            where(rows, "code", "WLD-SUR-GEN", parent="WLD-SUR-TO"),
            "code",
            "WLD-SUR-TO",
            parent="WLD-SUR-GEN",
        )
    )
    reasons = refused_with_nothing_written(content)
    assert any("a cycle: WLD-SUR-GEN → WLD-SUR-TO → WLD-SUR-GEN" in r for r in reasons)
    assert any(
        "row 8, column parent: a service sits directly under a division, not under a service" in r
        for r in reasons
    )


def test_a_level_skipped(world):
    content = edited(org_units=lambda rows: where(rows, "code", "WLD-SUR-GEN", parent="WLD"))
    reasons = refused_with_nothing_written(content)
    assert reasons == [
        "sheet org_units, row 7, column parent: a service sits directly under a division, not under a trust "
        "(WLD): the tree goes level by level"
    ]


def test_a_second_trust(world):
    content = edited(trust=lambda rows: [*rows, {**rows[0], "code": "RTH", "name": "Another NHS Trust"}])
    reasons = refused_with_nothing_written(content)
    assert reasons == [
        "sheet trust, row 3, column code: a second trust (RTH): one deployment serves one trust, WLD"
    ]


def test_duplicate_codes(world):
    content = edited(kpis=lambda rows: [*rows, {**rows[0], "name": "Another"}])
    reasons = refused_with_nothing_written(content)
    assert reasons == ["sheet kpis, row 6, column code: AE-4H is given twice: first in row 2"]


def test_a_target_for_an_unknown_kpi(world):
    content = edited(targets=lambda rows: where(rows, "kpi", "SICK", kpi="SICKNESS"))
    reasons = refused_with_nothing_written(content)
    assert reasons == [
        "sheet targets, row 6, column kpi: 'SICKNESS' is not on the kpis sheet, nor set up already",
        "sheet targets, row 7, column kpi: 'SICKNESS' is not on the kpis sheet, nor set up already",
    ]


def test_a_user_with_an_unknown_role(world):
    content = edited(role_assignments=lambda rows: where(rows, "username", "viewer", role="auditor"))
    reasons = refused_with_nothing_written(content)
    assert len(reasons) == 1
    assert reasons[0].startswith("sheet role_assignments, row 11, column role: 'auditor' is not one of ")


def test_a_manager_is_given_a_unit_of_their_level(world):
    # The world's own file round-trips its service and ward managers; one given the wrong level is refused.
    content = edited(
        role_assignments=lambda rows: where(rows, "username", "wm.cardiac", org_unit="WLD-MED-CAR"),
    )
    reasons = refused_with_nothing_written(content)
    assert reasons == [
        "sheet role_assignments, row 12, column org_unit: a ward_manager holds the role for a team: give the "
        "team's code (WLD-MED-CAR is a service)"
    ]


def test_every_error_is_listed_at_once(world):
    content = edited(
        trust=lambda rows: [*rows, {**rows[0], "code": "RTH"}],
        org_units=lambda rows: where(rows, "code", "WLD-SUR-GEN", parent="WLD-NOPE", active_from="last year"),
        targets=lambda rows: where(rows, "kpi", "SICK", value="four"),
    )
    found = problems_of(content)
    assert ("trust", 3, "code") in found
    assert ("org_units", 7, "active_from") in found
    assert ("targets", 6, "value") in found and ("targets", 7, "value") in found


def test_an_approved_suite_is_never_changed(world):
    content = edited(
        suites=lambda rows: where(
            rows, "financial_year", "2024/25", status="draft", approved_by="", approved_on=""
        )
    )
    reasons = refused_with_nothing_written(content)
    assert any("an approved suite is history and is never changed" in r for r in reasons)


def test_a_workbook_for_another_trust_is_refused(world):
    content = edited(trust=lambda rows: where(rows, "code", "WLD", code="RTH"))
    assert any(
        "this deployment serves WLD; the workbook is for RTH" in r
        for r in refused_with_nothing_written(content)
    )


def test_a_file_that_is_not_a_workbook_is_refused_by_the_command(world, tmp_path: Path):
    bad = tmp_path / "setup.xlsx"
    bad.write_bytes(b"code,name\n")
    with pytest.raises(CommandError, match="neither an Excel workbook"):
        call_command("import_setup", str(bad))


# --- the commands ----------------------------------------------------------------------------------------


def test_the_commands_export_preview_and_apply(world, tmp_path: Path, capsys):
    path = tmp_path / "setup.xlsx"
    call_command("export_setup", str(path))
    content = edited(domains=lambda rows: where(rows, "code", "finance", name="Money"))
    path.write_bytes(content)
    call_command("import_setup", str(path))
    out = capsys.readouterr().out
    assert "domains: changed finance (row 2): name Finance → Money" in out
    assert "Run again with --apply" in out
    assert Kpi.objects.get(code="AE-4H").domain.name == "Operational"

    call_command("import_setup", str(path), "--apply", "--user", "perf")
    assert "Applied: 0 added, 1 changed, 0 retired." in capsys.readouterr().out
    call_command("import_setup", str(path), "--apply")
    assert "Nothing to change" in capsys.readouterr().out

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edited(kpis=lambda rows: [*rows, rows[0]]))
    with pytest.raises(CommandError, match="sheet kpis, row 6, column code: AE-4H is given twice"):
        call_command("import_setup", str(bad), "--apply")


def test_the_template_has_every_sheet_and_no_rows(world, tmp_path: Path):
    path = tmp_path / "template.xlsx"
    call_command("export_setup", str(path), "--template")
    sheets = read_xlsx(path.read_bytes())
    assert [s.name for s in sheets][:3] == ["trust", "level_labels", "org_units"]
    assert sheets[-1].name == "about" and all(not s.rows for s in sheets[:-1])
    assert ("kpis", "code") in {(row[0], row[1]) for _, row in sheets[-1].rows}


def test_the_docs_describe_every_sheet_and_column():
    from trust_setup.workbook.sheets import SHEETS

    text = (Path(__file__).parents[2] / "docs" / "setting-up-a-trust.md").read_text(encoding="utf-8")
    section = text[text.index("## Setup workbook") :]
    for sheet in SHEETS:
        described = section[section.index(f"**`{sheet.name}`**") :]
        for column in sheet.columns:
            assert f"| `{column.name}` |" in described.split("\n\n**`")[0], (sheet.name, column.name)
