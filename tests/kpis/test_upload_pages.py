"""The upload pages: upload, progress, preview, confirm, publish, problems CSV and template."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.models import Measurement, Upload
from pmf.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def perf_client(client, july):
    client.force_login(User.objects.get(username="perf"))
    return client


def test_upload_preview_confirm_publish_through_the_pages(
    perf_client, july, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = perf_client.post(reverse("uploads"), {"file": SimpleUploadedFile("july.csv", july)})
    upload = Upload.objects.get(original_name="july.csv")
    assert response.url == reverse("upload-detail", kwargs={"pk": upload.pk})
    page = perf_client.get(response.url).content.decode()
    assert "What publishing this file would do" in page and 'value="100"' in page

    perf_client.post(reverse("upload-confirm", kwargs={"pk": upload.pk}))
    assert Upload.objects.get(pk=upload.pk).status == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        perf_client.post(reverse("upload-publish", kwargs={"pk": upload.pk}))
    assert Measurement.objects.filter(upload=upload, status="published").count() == upload.row_count
    home = perf_client.get(reverse("home")).content.decode()
    assert "Jul 2025" in home


def test_progress_asks_htmx_to_reload_when_the_check_is_done(perf_client, july):
    upload = Upload.objects.first()
    response = perf_client.get(reverse("upload-progress", kwargs={"pk": upload.pk}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


def test_a_bad_file_lists_its_problems_and_the_csv_neutralises_formulas(
    perf_client, django_capture_on_commit_callbacks
):
    bad = b'kpi_code,org_code,month,numerator,denominator,value\n=HYPERLINK("x"),RWD,2025-07,1,2,50\n'
    with django_capture_on_commit_callbacks(execute=True):
        response = perf_client.post(reverse("uploads"), {"file": SimpleUploadedFile("bad.csv", bad)})
    assert "nothing has been written" in perf_client.get(response.url).content.decode()
    upload = Upload.objects.get(original_name="bad.csv")
    body = perf_client.get(reverse("upload-problems", kwargs={"pk": upload.pk})).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "formula_text" in body


def test_the_template_lists_the_expected_rows_for_the_month(perf_client):
    response = perf_client.get(reverse("upload-template"), {"month": "2025-07"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kpi_code,org_code,month,numerator,denominator,value"
    assert len(lines) > 300 and all(",2025-07," in line for line in lines[1:])


def test_the_excel_template_has_a_frozen_styled_header_number_cells_and_reads_back(perf_client, settings):
    import io

    import openpyxl

    from kpis.ingest.reader import read_upload

    response = perf_client.get(reverse("upload-template-xlsx"), {"month": "2025-07"})
    assert response["Content-Disposition"].endswith('pmf-template-2025-07.xlsx"')
    csv_lines = perf_client.get(reverse("upload-template"), {"month": "2025-07"}).content.decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header == ["kpi_code", "org_code", "month", "numerator", "denominator", "value"]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("005EB8") for c in sheet[1])
    assert sheet.max_row == len(csv_lines.splitlines())
    first = sheet[2]
    assert first[2].value == "2025-07" and first[2].number_format == "@"
    assert all(c.value is None and c.number_format == "#,##0.00" for c in first[3:])

    # Filled in as a team would, the workbook is read back as numbers with no problems.
    for row in sheet.iter_rows(min_row=2):
        row[3].value, row[4].value = 3, 4
    filled = io.BytesIO()
    book.save(filled)
    read = read_upload(filled.getvalue(), max_bytes=settings.PMF_UPLOAD_MAX_BYTES)
    assert read.ok and len(read.rows) == sheet.max_row - 1
    assert set(read.rows["numerator"]) == {"3"} and set(read.rows["month"]) == {"2025-07"}


def test_the_excel_export_neutralises_text_that_would_run_as_a_formula():
    import io

    import openpyxl

    from pmf.exports import xlsx_workbook

    content = xlsx_workbook(
        header=["kpi_code", "numerator"],
        rows=[('=HYPERLINK("http://x","y")', 5), ("@SUM(A1)", "")],
        number_columns=["numerator"],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet["A"]][1:] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]
    assert [c.data_type for c in sheet["A"]][1:] == ["s", "s"]
    assert sheet["B2"].value == 5 and sheet["B2"].number_format == "#,##0.00" and sheet["B3"].value is None
