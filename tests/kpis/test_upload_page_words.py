"""What the upload pages say: warnings name the KPI and the unit, numbers are written by the one formatter,
an upload's months are a range, and once published the page says what publishing did and what comes next."""

import re
from datetime import date

import pytest
from django.urls import reverse

from divisions.models import Role, RoleAssignment
from kpis.models import Kpi, Upload
from tests.factories import UserFactory

from .test_bad_uploads import _published, catalogue  # noqa: F401 (the fixture)
from .test_upload_values import chart_limits, check

pytestmark = pytest.mark.django_db

SCIENTIFIC = re.compile(r"\d\.?\d*e[+-]\d", re.IGNORECASE)


@pytest.fixture
def perf_client(client):
    user = UserFactory(username="perf.words")
    RoleAssignment.objects.create(user=user, role=Role.PERFORMANCE_TEAM)
    client.force_login(user)
    return client


def detail(client, upload: Upload) -> str:
    return client.get(reverse("upload-detail", kwargs={"pk": upload.pk})).content.decode()


def test_a_warning_names_the_kpi_code_and_name_the_unit_and_the_month(perf_client, catalogue):  # noqa: F811
    Kpi.objects.filter(code="AE-4H").update(name="A&E four-hour standard")
    _published("AE-4H", "RWD-MED-UEC", 30.0)

    upload = check("AE-4H,RWD-MED-UEC,2025-08,13502,21307,\n")
    page = detail(perf_client, upload)

    row = re.search(r"<tr><td>2</td>(.*?)</tr>", page, re.S)
    assert row, page
    cells = row.group(1)
    assert "<strong>AE-4H</strong> A&amp;E four-hour standard" in cells
    assert "UEC" in cells and "(RWD-MED-UEC)" in cells
    assert "Aug 2025" in cells and "+111% on the month before (30.0%)" in cells
    csv = perf_client.get(reverse("upload-problems", kwargs={"pk": upload.pk})).content.decode("utf-8-sig")
    assert csv.splitlines()[0].endswith(",kpi_code,org_code,month")
    assert ",AE-4H,RWD-MED-UEC,2025-08" in csv


def test_limits_and_values_in_upload_messages_are_never_in_scientific_notation(
    perf_client,
    catalogue,  # noqa: F811
):
    chart_limits("FALLS", "RWD-MED-UEC", mean=14180.0, lower=13500.0, upper=14860.0)
    warned = check("FALLS,RWD-MED-UEC,2025-08,41800,,\n")
    refused = check("RATIO,RWD-MED-UEC,2025-08,14180,1,5\n", name="refused.csv")

    [far] = [w["reason"] for w in warned.warnings if w["code"] == "far_outside_limits"]
    [disagrees] = [e["reason"] for e in refused.errors if e["code"] == "value_disagrees"]
    assert far == "Far outside this chart's limits (13,500 to 14,860): check it is right."
    assert disagrees == "The value does not match numerator ÷ denominator, which gives 14,180.00."
    for upload in (warned, refused):
        assert not SCIENTIFIC.search(detail(perf_client, upload))


def test_a_value_that_disagrees_only_past_the_usual_decimals_is_written_so_the_difference_shows(
    catalogue,  # noqa: F811
):
    upload = check("AE-4H,RWD-MED-UEC,2025-08,6343,10000,63.45\n")

    [disagrees] = [e["reason"] for e in upload.errors if e["code"] == "value_disagrees"]
    assert disagrees.endswith("which gives 63.43%.")


def test_recent_uploads_write_a_files_months_as_a_range(perf_client, catalogue):  # noqa: F811
    months = [date(2018 + (3 + i) // 12, (3 + i) % 12 + 1, 1).isoformat() for i in range(88)]
    Upload.objects.create(
        file="uploads/x.csv", original_name="history.csv", sha256="c" * 64, months=months, row_count=12345
    )

    page = perf_client.get(reverse("uploads")).content.decode()

    assert "<td>Apr 2018 – Jul 2025, 88 months</td><td>12,345</td>" in page
    assert "May 2018" not in page


def test_after_publishing_the_page_says_what_publishing_did_and_what_comes_next(
    perf_client,
    catalogue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    upload = check("AE-4H,RWD-MED-UEC,2025-08,13502,21307,\n")
    assert "What publishing this file would do" in detail(perf_client, upload)
    assert 'data-busy="Publishing' not in detail(perf_client, upload)  # nothing to publish yet
    perf_client.post(reverse("upload-confirm", kwargs={"pk": upload.pk}))
    assert 'data-busy="Publishing… this takes a few seconds">Publish</button>' in detail(perf_client, upload)

    with django_capture_on_commit_callbacks(execute=False):
        page = perf_client.post(
            reverse("upload-publish", kwargs={"pk": upload.pk}), follow=True
        ).content.decode()

    assert "What publishing this file did" in page and "would do" not in page
    assert f'href="{reverse("ipr", kwargs={"month": "2025-08"})}">The IPR for Aug 2025</a>' in page
    assert f'href="{reverse("overview")}"' in page and f'href="{reverse("pipeline-runs")}"' in page


def test_the_upload_page_reads_the_names_of_all_its_warnings_at_once(
    perf_client,
    catalogue,  # noqa: F811
    django_assert_max_num_queries,
):
    _published("AE-4H", "RWD-MED-UEC", 30.0)
    one = check("AE-4H,RWD-MED-UEC,2025-08,13502,21307,\n")
    _published("FALLS", "RWD-MED-UEC", 3)
    _published("RATIO", "RWD-MED-S", 1.0)
    two = check(
        "AE-4H,RWD-MED-UEC,2025-08,13502,21307,\nFALLS,RWD-MED-UEC,2025-08,12,,\nRATIO,RWD-MED-S,2025-08,5,1,\n",
        name="two.csv",
    )
    assert len(one.warnings) == 1
    assert {(w["kpi_code"], w["org_code"]) for w in two.warnings} == {
        ("AE-4H", "RWD-MED-UEC"),
        ("FALLS", "RWD-MED-UEC"),
        ("RATIO", "RWD-MED-S"),
    }

    with django_assert_max_num_queries(30) as few:
        detail(perf_client, one)
    with django_assert_max_num_queries(len(few.captured_queries)):
        detail(perf_client, two)
