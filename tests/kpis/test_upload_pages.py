"""The upload pages: upload, progress, preview, confirm, publish, problems CSV and template."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.models import Measurement, Upload
from pmf.models import User

from .submission_helpers import load_demo_without_latest_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def july(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return load_demo_without_latest_month(tmp_path)


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
