"""The national import, end to end on a small trust: the A&E 4-hour series against a calculation of the
test's own from the raw columns, and the bad-file corpus (nothing written when refused)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from divisions.models import TrustProfile
from kpis.models import Kpi, KpiSuite, Measurement, Upload
from kpis.services.catalogue import save_suite
from national.importing import NationalImportError, import_national_files
from pmf.models import AuditEvent

from .conftest import DATA, published_file

OFFICIAL = "ae_official_RTG_RK5.csv"


def four_hour_by_hand(org: str) -> dict[date, float]:
    """100 × (1 − over 4 h ÷ attendances), every type and booked appointments included, from the raw cells."""
    result = {}
    with (DATA / OFFICIAL).open(newline="") as handle:
        for line in csv.DictReader(handle):
            if line["Org Code"] != org:
                continue
            attendances = sum(int(line[k]) for k in line if k.startswith("A&E attendances "))
            over = sum(int(line[k]) for k in line if k.startswith("Attendances over 4hrs "))
            result[date.fromisoformat(line["period"])] = 100 * (1 - over / attendances)
    return result


def published(code: str, unit) -> dict[date, Measurement]:
    rows = Measurement.objects.filter(
        kpi__national_code=code, org_unit=unit, status=Measurement.Status.PUBLISHED, is_rollup=False
    )
    return {m.month: m for m in rows}


def counts() -> tuple[int, int, int, int]:
    return (
        Upload.objects.count(),
        Measurement.objects.count(),
        Kpi.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("org", ["RTG", "RK5"])
def test_imported_ae_four_hour_equals_the_calculation_from_the_raw_columns(national_world, org):
    expected = four_hour_by_hand(org)

    import_national_files(actor=national_world.perf, ods=org, files=[published_file(OFFICIAL)], publish=True)

    got = published("AE_4HR_ALL", national_world.trust)
    assert sorted(got) == sorted(expected) and len(expected) == 14
    for month, value in expected.items():
        assert got[month].value == pytest.approx(value, abs=1e-9), month
    upload = got[max(got)].upload
    assert (upload.source_file, upload.source_format) == (OFFICIAL, "ae_official")
    assert "A&E" in upload.publication


def test_a_missing_national_kpi_is_created_from_the_catalogue_and_audited(national_world):
    import_national_files(actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)])

    kpi = Kpi.objects.get(national_code="AE_4HR_ALL")
    assert (kpi.unit, kpi.direction, kpi.source) == ("percent", "higher_is_better", "national")
    assert AuditEvent.objects.filter(
        verb="created from the national catalogue", object_id=str(kpi.pk)
    ).exists()
    upload = Upload.objects.get(source_file=OFFICIAL)
    assert upload.status == Upload.Status.VALID  # checked, waiting for the team to confirm and publish
    assert Measurement.objects.filter(upload=upload).count() == 0


def test_the_same_file_twice_changes_nothing(national_world):
    files = [published_file(OFFICIAL)]
    import_national_files(actor=national_world.perf, ods="RTG", files=files, publish=True)
    before = counts()

    outcomes = import_national_files(actor=national_world.perf, ods="RTG", files=files, publish=True)

    assert counts() == before
    assert "nothing changed" in outcomes[0].message


def _revised(month: str, org: str, extra_breaches: int) -> tuple[str, bytes]:
    """The official file as NHS England might revise it: one trust's breaches changed for one month."""
    with (DATA / OFFICIAL).open(newline="") as handle:
        lines = list(csv.DictReader(handle))
    for line in lines:
        if line["Org Code"] == org and line["period"] == month:
            line["Attendances over 4hrs Type 1"] = str(
                int(line["Attendances over 4hrs Type 1"]) + extra_breaches
            )
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(lines[0]))
    writer.writeheader()
    writer.writerows(lines)
    return "Monthly-AE-March-2025-revised.csv", text.getvalue().encode()


def test_a_month_imported_with_different_figures_becomes_a_restatement(national_world):
    import_national_files(
        actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)], publish=True
    )
    old = published("AE_4HR_ALL", national_world.trust)[date(2025, 3, 1)]

    outcome = import_national_files(
        actor=national_world.perf, ods="RTG", files=[_revised("2025-03-01", "RTG", 100)]
    )[0]

    assert (outcome.new, outcome.restated) == (0, 1)
    shown = outcome.upload.summary["restatements"]
    assert [(r["kpi_code"], r["month"], r["old"]) for r in shown] == [("AE_4HR_ALL", "2025-03", old.value)]
    assert shown[0]["new"] < old.value

    import_national_files(
        actor=national_world.perf, ods="RTG", files=[_revised("2025-03-01", "RTG", 100)], publish=True
    )
    new = published("AE_4HR_ALL", national_world.trust)[date(2025, 3, 1)]
    assert new.revision == old.revision + 1
    assert Measurement.objects.get(pk=old.pk).status == Measurement.Status.SUPERSEDED


def test_a_new_trust_is_told_to_set_up_its_suites_and_the_kpis_join_them_when_it_has(national_world):
    """Straight after start_trust there is no KPI suite: the import creates the KPIs, takes no month and says
    what to do; once the years' suites are drafted, the same file imports every month."""
    KpiSuite.objects.all().delete()

    first = import_national_files(
        actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)], publish=True
    )[0]

    assert first.upload is None and not published("AE_4HR_ALL", national_world.trust)
    assert (
        "AE_4HR_ALL 2024-06 → 2025-07 not imported: there is no KPI suite for 2024/25, 2025/26 yet: set the "
        "year's suite up (the setup workbook's suites, or the Setup pages), then import the file again."
    ) in first.notes
    for year in ("2024/25", "2025/26"):
        save_suite(actor=None, financial_year=year, kpis=[])

    again = import_national_files(
        actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)], publish=True
    )[0]

    assert (again.new, again.notes) == (28, [])
    assert len(published("AE_4HR_ALL", national_world.trust)) == 14
    suites = KpiSuite.objects.filter(entries__kpi__national_code="AE_12HR_DTA")
    assert sorted(suites.values_list("financial_year", flat=True)) == ["2024/25", "2025/26"]


def test_an_agreed_suite_without_the_kpi_keeps_its_year_out_and_says_so(national_world):
    KpiSuite.objects.filter(financial_year="2024/25").update(
        status=KpiSuite.Status.APPROVED, approved_by=national_world.perf, approved_at=timezone.now()
    )

    outcome = import_national_files(
        actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)], publish=True
    )[0]

    assert sorted(published("AE_4HR_ALL", national_world.trust))[0] == date(2025, 4, 1)
    assert (
        "AE_4HR_ALL 2024-06 → 2025-03 not imported: the agreed 2024/25 KPI suite does not hold it (an agreed "
        "suite is not changed)."
    ) in outcome.notes
    assert not KpiSuite.objects.get(financial_year="2024/25").entries.exists()


@pytest.mark.parametrize(
    ("files", "ods", "reason"),
    [
        (["wrong_publication_beds.csv"], "RTG", "not one of the NHS England publications PMF reads"),
        ([OFFICIAL], "RX8", "RX8 is not in this ae_official file"),
        (["ae_official_cut_short.csv"], "RTG", "cut short"),
        # One bad file among good ones: nothing at all is imported.
        ([OFFICIAL, "rtt_two_months.csv", "ae_official_cut_short.csv"], "RTG", "cut short"),
    ],
)
def test_a_refused_file_says_why_and_nothing_is_written(national_world, files, ods, reason):
    before = counts()

    with pytest.raises(NationalImportError) as refused:
        import_national_files(
            actor=national_world.perf, ods=ods, files=[published_file(f) for f in files], publish=True
        )

    assert reason in str(refused.value)
    assert counts() == before


def test_a_deployment_for_another_trust_refuses_the_code(national_world):
    TrustProfile.objects.create(trust=national_world.trust, ods_code="RK5")

    with pytest.raises(NationalImportError, match="not RTG"):
        import_national_files(actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)])


def history_disagreeing_in_february() -> bytes:
    """The tidy history with RTG's February 2025 as the healthyr copy gave it, not as the official file."""
    with (DATA / "ae_history_RTG_RK5.csv").open(newline="") as handle:
        lines = list(csv.DictReader(handle))
    for line in lines:  # the history's February 2025 as the healthyr copy gave it, not as the official file
        if (
            line["org_code"] == "RTG"
            and line["period"] == "2025-02-01"
            and line["measure"] == "ae_over_4h_all_types"
        ):
            line["value"], line["source"] = str(int(float(line["value"])) + 250), "healthyr"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(lines[0]))
    writer.writeheader()
    writer.writerows(lines)
    return text.getvalue().encode()


def test_where_the_history_disagrees_the_official_file_wins_and_the_notes_say_so(national_world):
    outcomes = import_national_files(
        actor=national_world.perf,
        ods="RTG",
        files=[("ae_history.csv", history_disagreeing_in_february()), published_file(OFFICIAL)],
        publish=True,
    )

    got = published("AE_4HR_ALL", national_world.trust)
    assert got[date(2025, 2, 1)].value == pytest.approx(four_hour_by_hand("RTG")[date(2025, 2, 1)])
    assert got[date(2025, 2, 1)].upload.source_file == OFFICIAL
    notes = " ".join(outcomes[0].notes)
    assert "AE_4HR_ALL 2025-02" in notes and "the official figure is used" in notes


def test_splits_go_to_the_division_the_map_names_and_the_rest_stay_at_trust_level(national_world):
    outcome = import_national_files(
        actor=national_world.perf, ods="RWD", files=[published_file("rtt_two_months.csv")], publish=True
    )[0]

    rows = list(csv.DictReader((DATA / "rtt_two_months.csv").open(newline="")))

    def total(specialties: set[str], measure: str) -> float:
        return sum(
            float(r["value"])
            for r in rows
            if r["org_code"] == "RWD"
            and r["period"] == "2025-07-01"
            and r["specialty"] in specialties
            and r["measure"] == measure
        )

    surgery = published("RTT_WAITING_LIST", national_world.surgery)[date(2025, 7, 1)]
    assert surgery.value == total({"trauma_orthopaedics", "general_surgery"}, "rtt_incomplete_pathways")
    trust = published("RTT_WAITING_LIST", national_world.trust)[date(2025, 7, 1)]
    assert trust.value == total({"ALL"}, "rtt_incomplete_pathways")
    assert any("trust level only" in note and "Urology" in note for note in outcome.notes)


def test_the_command_imports_a_folder_and_prints_what_it_did(national_world, tmp_path):
    (tmp_path / OFFICIAL).write_bytes((DATA / OFFICIAL).read_bytes())
    out = io.StringIO()

    call_command(
        "import_national", "--ods", "RK5", "--files", str(tmp_path), "--publish", "--user", "perf", stdout=out
    )

    assert "Published: 28 new values" in out.getvalue()
    assert len(published("AE_4HR_ALL", national_world.trust)) == 14


def test_the_import_page_reads_a_file_and_hands_over_to_the_upload_preview(national_world, client):
    client.force_login(national_world.perf)
    with (DATA / OFFICIAL).open("rb") as handle:
        response = client.post("/national/import/", {"ods": "rk5", "file": handle})

    upload = Upload.objects.get(source_file=OFFICIAL)
    assert response.status_code == 302 and response["Location"] == f"/uploads/{upload.pk}/"
    assert upload.status == Upload.Status.VALID


def test_the_import_page_lists_every_problem_of_a_refused_file(national_world, client):
    client.force_login(national_world.perf)
    with (DATA / "ae_official_cut_short.csv").open("rb") as handle:
        response = client.post("/national/import/", {"ods": "RTG", "file": handle})

    assert response.status_code == 200
    assert "Nothing was imported" in response.text and "cut short" in response.text
    assert not Upload.objects.exists()


def test_the_upload_page_names_the_published_file_and_the_import_notes(national_world, client):
    outcome = import_national_files(
        actor=national_world.perf, ods="RTG", files=[published_file("rtt_two_months.csv")]
    )[0]
    client.force_login(national_world.perf)

    page = client.get(f"/uploads/{outcome.upload.pk}/").text

    assert "Imported from <strong>rtt_two_months.csv</strong>" in page
    assert "Referral to Treatment" in page
