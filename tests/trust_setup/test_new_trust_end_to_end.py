"""A trust that is not the demo, set up only through ``start_trust`` and ``import_setup``, then its first
month uploaded and published on the pages, as its performance team would (issue 16, DESIGN §7).

Cambridge University Hospitals (RGT) is a real NHS trust; its divisions, KPIs, targets and people here are
made up. Nothing is created through the ORM or a factory: every row comes from the command, the workbook or
a page, and every page on the way answers without a server error.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from divisions.models import OrgUnit
from kpis.models import KpiSuite, Measurement, Upload
from pmf.models import User
from reviews.models import DivisionRating, Meeting
from trust_setup.workbook.sheets import BY_NAME as SHEET_NAMES

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2025, 5, 14)  # April 2025, the trust's first month in PMF, has ended
FIRST_MONTH = "2025-04"
DIVISIONS = {"RGT-MED": "Medicine", "RGT-SUR": "Surgery"}
SERVICES = {"RGT-MED-EM": "RGT-MED", "RGT-MED-CAR": "RGT-MED", "RGT-SUR-TO": "RGT-SUR"}
# code, domain, unit, direction, aggregation, tags, target: one key KPI for each rating criterion.
KPIS = [
    ("FIN-PAY", "finance", "currency", "lower_is_better", "sum", "", 500.0),
    ("QUAL-HARM", "quality", "count", "lower_is_better", "sum", "", 5.0),
    ("OP-4H", "operational", "percent", "higher_is_better", "ratio", "", 78.0),
    ("WF-MAND", "workforce", "percent", "higher_is_better", "ratio", "policy", 90.0),
]


def rows_of(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def add_rows(folder: Path, sheet: str, *new: dict[str, str]) -> None:
    """Append rows to one sheet of an exported CSV folder, blank in every column not given."""
    path = folder / f"{sheet}.csv"
    header, rows = rows_of(path)
    unknown = {column for row in new for column in row} - set(header)
    assert not unknown, f"{sheet} has no column {sorted(unknown)}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
        writer.writerows({column: row.get(column, "") for column in header} for row in new)


def fill_in_the_setup(folder: Path) -> None:
    add_rows(
        folder,
        "org_units",
        *(
            {"code": code, "name": name, "level": "division", "parent": "RGT", "active_from": "2025-04-01"}
            for code, name in DIVISIONS.items()
        ),
        *(
            {"code": code, "name": code, "level": "service", "parent": parent, "active_from": "2025-04-01"}
            for code, parent in SERVICES.items()
        ),
    )
    add_rows(
        folder,
        "kpis",
        *(
            {
                "code": code,
                "name": code.replace("-", " ").title(),
                "domain": domain,
                "unit": unit,
                "direction": direction,
                "aggregation": aggregation,
                "source": "local",
                "is_key": "yes",
                "lead_or_lag": "lag",
                "frequency": "monthly",
                "spc_rule_set": "mdc",
                "tags": tags,
                "active_from": "2025-04-01",
            }
            for code, domain, unit, direction, aggregation, tags, _ in KPIS
        ),
    )
    add_rows(
        folder,
        "users",
        {"username": "md.medicine", "first_name": "Managing", "last_name": "Director"},
    )
    add_rows(
        folder,
        "role_assignments",
        {
            "username": "md.medicine",
            "role": "managing_director",
            "org_unit": "RGT-MED",
            "start": "2025-04-01",
        },
    )
    add_rows(folder, "suites", {"financial_year": "2025/26", "status": "draft"})
    add_rows(
        folder,
        "suite_kpis",
        *({"financial_year": "2025/26", "kpi": code, "is_key": "yes"} for code, *_ in KPIS),
    )
    add_rows(
        folder,
        "targets",
        *(
            {
                "kpi": code,
                "financial_year": "2025/26",
                "effective_from": "2025-04-01",
                "value": str(target),
                "tolerance": "0",
                "set_by": "local",
            }
            for code, *_, target in KPIS
        ),
    )


def figures_for(template: str) -> bytes:
    """The month's figures for every row of the template: every KPI met in Medicine, the 4-hour standard
    missed in Surgery."""
    lines = template.splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        kpi, unit, month = line.split(",")[:3]
        surgery = unit.startswith("RGT-SUR")
        numbers = {
            "FIN-PAY": ",,120",
            "QUAL-HARM": ",,1",
            "OP-4H": f"{60 if surgery else 85},100,",
            "WF-MAND": "95,100,",
        }[kpi]
        out.append(f"{kpi},{unit},{month},{numbers}")
    return ("\n".join(out) + "\n").encode()


def get_ok(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def test_a_new_trust_from_start_trust_and_the_workbook_to_its_first_ratings_prms_and_draft_ipr(
    client, tmp_path: Path
):
    with time_machine.travel(TODAY, tick=False):
        first_month_of_a_new_trust(client, tmp_path)


def first_month_of_a_new_trust(client, tmp_path: Path) -> None:
    out = StringIO()
    call_command("start_trust", "--ods", "RGT", "--performance-lead", "perf.lead", stdout=out)
    assert "Next steps" in out.getvalue()

    folder = tmp_path / "setup"
    call_command("export_setup", str(folder), stdout=StringIO())
    fill_in_the_setup(folder)
    preview = StringIO()
    call_command("import_setup", str(folder), stdout=preview)
    assert re.search(r"^org_units\s+5\s+0\s+0\s+0", preview.getvalue(), re.M), preview.getvalue()
    assert OrgUnit.objects.count() == 1, "a preview writes nothing"
    call_command("import_setup", str(folder), "--apply", "--user", "perf.lead", stdout=StringIO())
    assert set(OrgUnit.objects.filter(level="division").values_list("code", flat=True)) == set(DIVISIONS)
    again = StringIO()
    call_command("import_setup", str(folder), stdout=again)
    table = [line.split() for line in again.getvalue().splitlines()[1:] if line[:1].isalpha()]
    assert table and all(row[1:4] == ["0", "0", "0"] for row in table if row[0] in SHEET_NAMES), (
        again.getvalue()
    )

    perf = User.objects.get(username="perf.lead")
    client.force_login(perf)
    setup = get_ok(client, reverse("setup"))
    assert all(page in setup for page in ("Setup workbook", "Organisation", "KPI suites"))
    # The suite is approved on the performance team's page, not in the workbook.
    assert client.post(reverse("setup-suite-approve", args=["2025-26"])).status_code == 302
    assert KpiSuite.objects.get().status == KpiSuite.Status.APPROVED
    uploads_page = get_ok(client, reverse("uploads"))
    assert f'value="{FIRST_MONTH}"' in uploads_page, "the template offers the first unpublished month"
    assert "The month offered is the next one not yet published" in uploads_page
    template = get_ok(client, reverse("upload-template"))
    expected = {(kpi, unit) for kpi, *_ in KPIS for unit in SERVICES}
    assert {tuple(line.split(",")[:2]) for line in template.splitlines()[1:]} == expected

    sent = client.post(
        reverse("uploads"),
        {"file": SimpleUploadedFile("april.csv", figures_for(template), content_type="text/csv")},
    )
    assert sent.status_code == 302
    upload = Upload.objects.get()
    detail = get_ok(client, reverse("upload-detail", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.VALID, detail
    assert re.search(r"rows · (months )?Apr 2025 · sha256", detail)  # the month in words, not an ISO date
    assert client.post(reverse("upload-confirm", args=[upload.pk])).status_code == 302
    assert client.post(reverse("upload-publish", args=[upload.pk])).status_code == 302
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PUBLISHED

    # The roll-up reached the divisions and the trust.
    assert Measurement.objects.filter(org_unit__code="RGT", kpi__code="OP-4H", is_rollup=True).exists()
    # Ratings: Medicine met every plan, Surgery missed a key KPI in one criterion (position 3).
    ratings = {
        r.division.code: r
        for r in DivisionRating.objects.filter(month=date(2025, 4, 1)).select_related("division")
    }
    assert set(ratings) == set(DIVISIONS)
    assert ratings["RGT-MED"].computed_position == 1
    assert ratings["RGT-SUR"].computed_position == 3
    # PRMs planned for both divisions.
    assert set(Meeting.objects.filter(kind="prm").values_list("division__code", flat=True)) == set(DIVISIONS)
    # The Board's report for April is there as a draft, and the pages on the way answer.
    ipr = get_ok(client, reverse("ipr", args=[date(2025, 4, 1)]))
    assert "Op 4H" in ipr and "Apr 2025" in ipr
    for name in ("home", "ratings", "calendar", "pipeline-runs"):
        get_ok(client, reverse(name))
