"""The data notes of the IPR and the KPI page name the national file and publication a month's figure was
imported from, and say where the official A&E file won over the tidy history, as the import recorded it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import Kpi
from national.importing import import_national_files
from reviews.ipr.selectors import ipr_content

from .conftest import published_file
from .test_importing import OFFICIAL, history_disagreeing_in_february

JULY = date(2025, 7, 1)
PUBLICATION = "A&E Attendances and Emergency Admissions"


@pytest.fixture
def imported(national_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the publish pipeline charts the values
        import_national_files(
            actor=national_world.perf,
            ods="RTG",
            files=[("ae_history.csv", history_disagreeing_in_february()), published_file(OFFICIAL)],
            publish=True,
        )
    return national_world


def test_the_ipr_names_the_file_of_each_national_figure_and_where_the_official_file_won(imported):
    content = ipr_content(JULY)
    sources = {s.code: s for s in content.national_sources}
    assert sources["AE_4HR_ALL"].source_file == OFFICIAL
    assert PUBLICATION in sources["AE_4HR_ALL"].publication
    notes = " ".join(content.source_notes)
    assert "AE_4HR_ALL 2025-02" in notes and "the official figure is used" in notes
    assert f"({OFFICIAL})" in notes  # the file whose upload recorded them


def test_the_ipr_page_prints_the_data_notes(imported, client):
    client.force_login(imported.perf)
    markup = client.get(reverse("ipr", kwargs={"month": JULY})).content.decode()
    assert "Where the official A&amp;E file was used over the tidy history" in markup
    assert f"from {OFFICIAL}" in markup and "AE_4HR_ALL 2025-02" in markup


def test_the_kpi_page_names_the_file_and_the_notes_for_its_own_kpi_only(imported, client):
    client.force_login(imported.perf)
    four_hour = Kpi.objects.get(code="AE_4HR_ALL")  # created from the catalogue by the import
    markup = client.get(reverse("kpi-chart", args=[four_hour.code, imported.trust.code])).content.decode()
    assert f"{OFFICIAL} (" in markup and "imported as published" in markup
    assert "AE_4HR_ALL 2025-02" in markup and "AE_12HR_DTA 2025-02" not in markup
