"""Every malformed file in tests/data/bad_uploads gets its own specific error, and nothing is written.

The files and the table of expected errors (expected.csv) come from make_corpus.py beside them.
The corpus includes files that once crashed the check and left the upload "validating"
for good (header only, lines ending in a lone CR, a ratio over a tiny denominator).
"""

import csv
import importlib.util
from datetime import date
from pathlib import Path

import pytest

from divisions.models import Level, OrgUnit
from kpis.models import Kpi, KpiSuite, KpiSuiteEntry, Measurement, Upload
from kpis.services.submission import SubmissionError, confirm_upload, receive_upload, validate_upload
from reviews.models import Criterion
from tests.factories import DomainFactory

CORPUS = Path(__file__).parent.parent / "data" / "bad_uploads"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
LIMIT = 100_000  # make_corpus.LIMIT: the oversized file is just over it

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(settings):
    """The small catalogue the corpus refers to (see make_corpus.py)."""
    settings.PMF_UPLOAD_MAX_BYTES = LIMIT
    trust = OrgUnit.objects.create(code="RWD", name="Trust", level=Level.TRUST, active_from=date(2016, 4, 1))
    division = OrgUnit.objects.create(code="RWD-MED", name="Medicine", level=Level.DIVISION, parent=trust)
    service = OrgUnit.objects.create(code="RWD-MED-S", name="Acute", level=Level.SERVICE, parent=division)
    OrgUnit.objects.create(code="RWD-MED-UEC", name="UEC", level=Level.TEAM, parent=service)
    OrgUnit.objects.create(
        code="RWD-MED-OLD", name="Closed", level=Level.TEAM, parent=service, active_to=date(2020, 3, 31)
    )
    domain = DomainFactory()
    kpis = [
        Kpi.objects.create(
            code=code, name=code, domain=domain, unit=unit, direction="neutral", aggregation=agg
        )
        for code, unit, agg in [
            ("AE-4H", "percent", "ratio"),
            ("FALLS", "count", "sum"),
            ("LOS", "count", "none"),
            ("RATIO", "ratio", "ratio"),
            ("RETIRED", "count", "sum"),
        ]
    ]
    suite = KpiSuite.objects.create(financial_year="2025/26")
    for kpi in kpis[:4]:
        KpiSuiteEntry.objects.create(suite=suite, kpi=kpi)
    for order, code in enumerate(("FIN", "QUAL", "PERF", "POL")):  # a publish needs the four criteria
        Criterion.objects.create(code=code, name=code, order=order, domain=domain)


def make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    return corpus


def test_the_corpus_has_at_least_thirty_files_each_in_the_table():
    files = {p.name for p in CORPUS.iterdir()} - {"make_corpus.py", "expected.csv", "README.md"}
    assert len(EXPECTED) >= 30
    assert files == {case["file"] for case in EXPECTED}


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED])
def test_a_malformed_file_gets_its_specific_error_and_writes_nothing(case, catalogue):
    content = (CORPUS / case["file"]).read_bytes()
    upload = receive_upload(actor=None, content=content, name=case["file"]).upload

    upload = validate_upload(upload_id=upload.pk)

    assert upload.status == Upload.Status.INVALID
    matches = [e for e in upload.errors if e["code"] == case["code"]]
    assert matches, (
        f"expected {case['code']}, got {[(e['code'], e['row'], e['column']) for e in upload.errors]}"
    )
    if case["row"]:
        assert int(case["row"]) in [e["row"] for e in matches]
    if case["column"]:
        assert case["column"] in [e["column"] for e in matches]
    assert all(e["reason"] for e in upload.errors)
    assert upload.progress == 100 and not upload.failure_reference and upload.summary == {}
    with pytest.raises(SubmissionError):
        confirm_upload(actor=None, upload=upload)
    assert Measurement.objects.count() == 0
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.INVALID


@pytest.mark.parametrize(
    "name, words",
    [
        ("header_only.csv", "The file has no data rows"),
        ("infinite_ratio.csv", "Numerator ÷ denominator gives no finite number"),
        ("implausible_ratio.csv", "Numerator ÷ denominator gives more than 1,000,000,000,000.00, outside"),
        ("fractional_count.csv", "This KPI is a count, so it must be a whole number"),
    ],
)
def test_a_file_that_once_crashed_the_check_is_refused_with_a_plain_reason(name, words, catalogue):
    content = (CORPUS / name).read_bytes()
    upload = validate_upload(upload_id=receive_upload(actor=None, content=content, name=name).upload.pk)

    assert upload.status == Upload.Status.INVALID
    assert [e["reason"] for e in upload.errors if words in e["reason"]], upload.errors


def test_lines_ending_in_a_lone_carriage_return_are_read_as_lines(catalogue):
    corpus = make_corpus()
    content = corpus.csv_text(corpus.GOOD).replace("\r\n", "\r").encode()
    assert b"\n" not in content

    upload = validate_upload(upload_id=receive_upload(actor=None, content=content, name="mac.csv").upload.pk)

    assert upload.status == Upload.Status.VALID, upload.errors
    assert upload.row_count == 3 and upload.summary["new"] == 3


def test_the_windows_1252_pound_sign_is_read_as_a_pound_sign(catalogue):
    content = (CORPUS / "windows1252_pound.csv").read_bytes()
    upload = validate_upload(upload_id=receive_upload(actor=None, content=content, name="x.csv").upload.pk)
    assert upload.errors[0]["value"] == "£1,200"


def test_the_good_rows_the_corpus_starts_from_are_accepted(catalogue):
    corpus = make_corpus()

    upload = receive_upload(actor=None, content=corpus.csv_text(corpus.GOOD).encode(), name="good.csv").upload
    upload = validate_upload(upload_id=upload.pk)
    assert upload.status == Upload.Status.VALID, upload.errors
    assert upload.summary["new"] == 3


def _published(code, org_code, value, month=date(2025, 7, 1)):
    Measurement.objects.create(
        kpi=Kpi.objects.get(code=code),
        org_unit=OrgUnit.objects.get(code=org_code),
        month=month,
        numerator=value,
        value=value,
        status=Measurement.Status.PUBLISHED,
    )


def test_a_units_first_value_of_a_kpi_is_checked_though_others_have_a_month_before(catalogue):
    """Another unit has July's value; this unit has none, so there is no change to warn of."""
    _published("FALLS", "RWD-MED-S", 3)
    corpus = make_corpus()

    upload = receive_upload(
        actor=None, content=corpus.csv_text(corpus.GOOD).encode(), name="first.csv"
    ).upload
    upload = validate_upload(upload_id=upload.pk)

    assert upload.status == Upload.Status.VALID, upload.errors
    assert not [w for w in upload.warnings if w["code"] == "large_change"]


def test_a_large_change_on_the_month_before_is_still_a_warning(catalogue):
    _published("FALLS", "RWD-MED-UEC", 3)
    corpus = make_corpus()

    upload = receive_upload(
        actor=None, content=corpus.csv_text(corpus.GOOD).encode(), name="second.csv"
    ).upload
    upload = validate_upload(upload_id=upload.pk)

    assert upload.status == Upload.Status.VALID, upload.errors
    changes = [w for w in upload.warnings if w["code"] == "large_change"]
    assert [(c["row"], c["value"]) for c in changes] == [(3, "12")]
    assert changes[0]["reason"].startswith("+300% on the month before (3)")
