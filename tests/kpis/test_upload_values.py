"""How an upload's values are judged and written back: the catalogue's plausible range, warnings in the
KPI's unit quoting the file, restatements that show their change, and messages that give the counts."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from divisions.models import OrgUnit, Role, RoleAssignment
from kpis.ingest.validate import ABOVE_100_HINT, LARGEST, plausible_range
from kpis.models import Kpi, KpiSuite, KpiSuiteEntry, SpcSeries, Upload
from kpis.services.submission import receive_upload, validate_upload
from kpis.views.upload import told_apart
from tests.factories import DomainFactory, UserFactory

from .test_bad_uploads import _published, catalogue, make_corpus  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

HEADER = "kpi_code,org_code,month,numerator,denominator,value\n"


def check(text: str, name: str = "file.csv") -> Upload:
    upload = receive_upload(actor=None, content=(HEADER + text).encode(), name=name).upload
    return validate_upload(upload_id=upload.pk)


def chart_limits(kpi_code: str, org_code: str, *, mean: float, lower: float, upper: float) -> SpcSeries:
    """A unit's chart of a KPI with these latest limits, over the two years to July 2025."""
    return SpcSeries.objects.create(
        kpi=Kpi.objects.get(code=kpi_code),
        org_unit=OrgUnit.objects.get(code=org_code),
        rule_set="mdc",
        direction="neutral",
        first_month=date(2023, 8, 1),
        latest_month=date(2025, 7, 1),
        n_points=24,
        mean=mean,
        lpl=lower,
        upl=upper,
    )


@pytest.fixture
def occupancy(catalogue):  # noqa: F811
    """A percentage given as a value (not aggregable), in the 2025/26 suite."""
    kpi = Kpi.objects.create(
        code="OCC",
        name="Bed occupancy",
        domain=DomainFactory(),
        unit="percent",
        direction="neutral",
        aggregation="none",
    )
    KpiSuiteEntry.objects.create(suite=KpiSuite.objects.get(financial_year="2025/26"), kpi=kpi)
    return kpi


@pytest.fixture
def perf():
    user = UserFactory(username="perf.team")
    RoleAssignment.objects.create(user=user, role=Role.PERFORMANCE_TEAM)
    return user


# The catalogue's plausible range


def test_plausible_range_is_the_units_unless_the_catalogue_sets_it():
    unit = pd.Series(["percent", "percent", "percent", "count", "ratio"])
    low, high = plausible_range(
        unit,
        low=pd.Series([np.nan, np.nan, 50.0, np.nan, np.nan]),
        high=pd.Series([np.nan, 150.0, np.nan, 1e15, np.nan]),
    )
    assert low.tolist() == [0.0, 0.0, 50.0, 0.0, -LARGEST]
    assert high.tolist() == [100.0, 150.0, 100.0, LARGEST, LARGEST]  # never past LARGEST


def test_a_kpi_whose_plausible_maximum_is_150_accepts_120_percent(occupancy):
    Kpi.objects.filter(code__in=["OCC", "AE-4H"]).update(plausible_max=150)

    upload = check("OCC,RWD-MED-UEC,2025-08,,,120\nAE-4H,RWD-MED-UEC,2025-08,120,100,\n")

    assert upload.status == Upload.Status.VALID, upload.errors
    assert upload.summary["new"] == 2


def test_by_default_120_percent_is_refused_with_how_to_allow_it(occupancy):
    upload = check("OCC,RWD-MED-UEC,2025-08,,,120\nAE-4H,RWD-MED-UEC,2025-08,120,100,\n")

    assert upload.status == Upload.Status.INVALID
    by_code = {e["code"]: e for e in upload.errors}
    assert set(by_code) == {"implausible_value", "numerator_above_denominator"}
    assert by_code["implausible_value"]["reason"] == (
        "This value is 120.0%, outside what this KPI can be (0.0% to 100.0%): check it. "
        "If this KPI can exceed 100%, set its plausible maximum in the catalogue."
    )
    assert by_code["numerator_above_denominator"]["reason"].endswith(ABOVE_100_HINT)


def test_a_value_above_the_catalogues_maximum_is_still_refused(occupancy):
    occupancy.plausible_max = 150
    occupancy.save()

    upload = check("OCC,RWD-MED-UEC,2025-08,,,160\n")

    assert upload.status == Upload.Status.INVALID
    [error] = upload.errors
    assert error["code"] == "implausible_value" and "(0.0% to 150.0%)" in error["reason"]
    assert ABOVE_100_HINT not in error["reason"] and "widen its plausible range" in error["reason"]


def test_changing_the_plausible_range_makes_confirm_check_the_file_again(occupancy, perf):
    from kpis.services.submission import SubmissionError, confirm_upload

    occupancy.plausible_max = 150
    occupancy.save()
    upload = check("OCC,RWD-MED-UEC,2025-08,,,120\n")
    assert upload.status == Upload.Status.VALID
    occupancy.plausible_max = None
    occupancy.save()

    with pytest.raises(SubmissionError, match="no longer passes its checks"):
        confirm_upload(actor=perf, upload=upload)


# Warnings in the KPI's unit, quoting the file


def test_a_large_change_is_written_in_the_kpis_unit_and_quotes_the_cell(catalogue):  # noqa: F811
    _published("AE-4H", "RWD-MED-UEC", 30.0)
    corpus = make_corpus()

    upload = check(corpus.csv_text(corpus.GOOD).split("\r\n", 1)[1])

    [change] = [w for w in upload.warnings if w["code"] == "large_change" and w["row"] == 2]
    assert change["reason"] == "+111% on the month before (30.0%): check it is right."
    assert change["value"] == "63.3688"  # as the file has it, not reformatted


def test_a_warning_on_a_value_worked_out_from_its_parts_quotes_both(catalogue):  # noqa: F811
    _published("AE-4H", "RWD-MED-UEC", 30.0)
    _published("FALLS", "RWD-MED-UEC", 3)

    upload = check("AE-4H,RWD-MED-UEC,2025-08,13502,21307,\nFALLS,RWD-MED-UEC,2025-08,12,,\n")

    changes = {w["row"]: w["value"] for w in upload.warnings if w["code"] == "large_change"}
    assert changes == {2: "13502 ÷ 21307", 3: "12"}


def test_chart_limits_are_written_in_the_kpis_unit(catalogue):  # noqa: F811
    chart_limits("AE-4H", "RWD-MED-UEC", mean=75.0, lower=70.0, upper=80.0)

    upload = check("AE-4H,RWD-MED-UEC,2025-08,13502,21307,63.37\n")

    [far] = [w for w in upload.warnings if w["code"] == "far_outside_limits"]
    assert far["reason"] == "Far outside this chart's limits (70.0% to 80.0%): check it is right."
    assert far["value"] == "63.37"


# Restatements that show their change


@pytest.mark.parametrize(
    "old, new, unit, written",
    [
        (63.41, 63.44, "percent", ("63.41%", "63.44%")),  # below the usual one decimal
        (63.4, 71.2, "percent", ("63.4%", "71.2%")),  # the usual way when it shows the change
        (12, 13, "count", ("12", "13")),
        (0.0041, 0.0043, "ratio", ("0.0041", "0.0043")),
        (62.0, 62.4, "seconds", ("62.0", "62.4")),  # seconds are written whole: the stored numbers
    ],
)
def test_told_apart_shows_enough_precision_to_see_the_change(old, new, unit, written):
    assert told_apart(old, new, unit) == written


def test_the_preview_shows_a_small_restatement_with_the_digits_that_changed(client, perf):
    restatement = {
        "row": 2,
        "kpi_code": "AE-4H",
        "org_code": "RWD",
        "month": "2025-07",
        "old": 63.41,
        "new": 63.44,
        "unit": "percent",
    }
    upload = Upload.objects.create(
        file="uploads/2025/08/x.csv",
        original_name="x.csv",
        sha256="b" * 64,
        status="valid",
        progress=100,
        summary={
            "rows": 1,
            "new": 0,
            "restated": 1,
            "unchanged": 0,
            "by_month": [],
            "restatements": [restatement],
        },
    )
    client.force_login(perf)

    page = client.get(reverse("upload-detail", kwargs={"pk": upload.pk})).content.decode()

    assert "<td>63.41%</td><td>63.44%</td>" in page


# Messages that give the counts


def test_confirming_and_publishing_say_how_many_values_from_what_was_done(
    client,
    perf,
    catalogue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    corpus = make_corpus()
    client.force_login(perf)

    def confirm_and_publish(upload: Upload) -> tuple[str, str]:
        confirmed = client.post(reverse("upload-confirm", kwargs={"pk": upload.pk}), follow=True)
        with django_capture_on_commit_callbacks(execute=False):
            published = client.post(reverse("upload-publish", kwargs={"pk": upload.pk}), follow=True)
        return confirmed.content.decode(), published.content.decode()

    confirmed, published = confirm_and_publish(check(corpus.csv_text(corpus.GOOD).split("\r\n", 1)[1]))
    assert "Confirmed as drafts: 3 new, 0 restated, 0 unchanged." in confirmed
    assert "Published 3 values. The roll-up is up to date" in published

    restated = "AE-4H,RWD-MED-UEC,2025-08,13000,21307,\nFALLS,RWD-MED-UEC,2025-08,12,,12\n"
    confirmed, published = confirm_and_publish(check(restated, name="restated.csv"))
    assert "Confirmed as drafts: 0 new, 1 restated, 1 unchanged." in confirmed
    assert "Published 1 value (1 restatement)." in published
    assert "see After publishing" in published
