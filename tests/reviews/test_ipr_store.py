"""The stored draft IPR content: read in one query, built again whenever what it is built from changes."""

import json
from datetime import date

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import OrgUnit
from kpis.models import Kitemark, Kpi, Measurement, Upload
from kpis.services.commentary import save_commentary
from kpis.services.measurements import publish_frame
from kpis.services.spc import refresh_spc
from pmf.models import User
from reviews.ipr.content import IprContent, IprKpiRow
from reviews.ipr.selectors import ipr_content
from reviews.ipr.store import (
    division_content,
    draft_ipr_content,
    forget_ipr_content,
    warm_latest_ipr_content,
)
from reviews.models import DivisionRating, IprContentVersion, IprDraftContent
from reviews.services.ratings import compute_ratings
from tests.factories import KpiFactory

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


def row(content: IprContent, code: str) -> IprKpiRow:
    found = content.row(code)
    assert found is not None
    return found


def test_the_stored_content_is_what_building_gives_and_is_read_in_one_query(demo, django_assert_num_queries):
    built = draft_ipr_content(JULY, with_figures=True)

    with django_assert_num_queries(1):
        stored = draft_ipr_content(JULY, with_figures=True)

    assert stored.to_json() == json.loads(json.dumps(built.to_json()))  # the same report, charts included
    assert any(r.figure for r in stored.kpis)
    assert not any(r.figure for r in draft_ipr_content(JULY).kpis)  # charts only when asked for
    assert stored.summary == ipr_content(JULY).summary


def test_commentary_written_after_the_content_was_stored_shows_at_once(demo):
    assert row(draft_ipr_content(JULY), "AE-4H").commentary is None

    save_commentary(
        actor=User.objects.get(username="exec"),
        kpi=Kpi.objects.get(code="AE-4H"),
        org_unit=demo.trust,
        month=JULY,
        issues="Exit block from the wards",
        actions="Same-day emergency care extended",
        recovery_date=date(2025, 12, 1),
    )

    commentary = row(draft_ipr_content(JULY), "AE-4H").commentary
    assert commentary is not None and commentary.issues == "Exit block from the wards"
    assert commentary.recovery_date == date(2025, 12, 1)


def test_a_publish_shows_at_once_even_before_the_charts_are_refreshed(demo):
    team = Measurement.objects.filter(
        kpi__code="AE-4H", month=JULY, status="published", is_rollup=False
    ).first()
    before = row(draft_ipr_content(JULY), "AE-4H").value
    frame = pd.DataFrame(
        [
            {
                "kpi_id": team.kpi_id,
                "org_unit_id": team.org_unit_id,
                "month": JULY,
                "numerator": 0.0,
                "denominator": team.denominator,
                "value": 0.0,
                "is_synthetic": False,
            }
        ]
    )

    publish_frame(actor=None, upload=Upload.objects.create(sha256="restated", status="valid"), frame=frame)

    after = row(draft_ipr_content(JULY), "AE-4H").value
    assert after == row(ipr_content(JULY), "AE-4H").value != before


def test_a_refresh_of_the_charts_a_ratings_run_a_kitemark_and_a_new_kpi_each_make_the_copy_out_of_date(demo):
    ae = Kpi.objects.get(code="AE-4H")
    DivisionRating.objects.filter(month=JULY).delete()
    for change in (
        # every chart rewritten: a refresh that finds every chart current changes nothing and says nothing
        lambda: refresh_spc(kpi_ids=[ae.pk], everything=True),
        lambda: compute_ratings(months=[JULY]),  # bulk writes: no model signal
        lambda: Kitemark.objects.create(kpi=ae, dimension="validation", rating="assured", assessed_on=JULY),
        lambda: KpiFactory(),
    ):
        draft_ipr_content(JULY)
        stored = IprDraftContent.objects.get(month=JULY, scope="").version
        change()
        assert IprContentVersion.objects.order_by("-pk").first().pk > stored


def test_a_copy_built_at_an_older_version_is_never_served(demo):
    draft_ipr_content(JULY)
    IprDraftContent.objects.filter(month=JULY).update(content={"kpis": [], "stale": True})
    forget_ipr_content()  # a change landed while that copy was being built

    content = draft_ipr_content(JULY)

    assert "stale" not in content.to_json() and content.kpis


def test_the_newest_month_is_built_ahead_of_its_first_reader_and_old_versions_are_dropped(
    demo, django_assert_num_queries
):
    draft_ipr_content(date(2025, 6, 1))
    forget_ipr_content()
    forget_ipr_content()

    assert warm_latest_ipr_content() == JULY

    assert IprContentVersion.objects.count() == 1
    current = IprContentVersion.objects.get().pk
    june = IprDraftContent.objects.get(month=date(2025, 6, 1), scope="")
    assert june.version < current  # June's copy is kept, out of date: served as updating while rebuilt
    assert IprDraftContent.objects.get(month=JULY, scope="").version == current

    with django_assert_num_queries(1):
        draft_ipr_content(JULY)


def test_a_draft_ipr_page_reads_the_stored_content_in_a_fixed_number_of_queries(demo, client):
    client.force_login(User.objects.get(username="perf"))
    url = reverse("ipr", kwargs={"month": JULY})
    client.get(url)  # builds and stores the content

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    KpiFactory.create_batch(5)  # a bigger catalogue: the content is built again, then stored
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200

    assert len(first) == len(second)
    assert not any("spc" in q["sql"].lower() for q in second.captured_queries)  # no chart is read


def test_a_division_s_scorecard_is_stored_apart_from_the_trust_s_and_kept_up_to_date(
    demo, django_assert_num_queries
):
    surgery = OrgUnit.objects.get(code="RWD-SUR")
    built = division_content(JULY, surgery)

    with django_assert_num_queries(1):
        stored = division_content(JULY, surgery)

    expected = ipr_content(JULY, unit=surgery, with_forecasts=False, with_recent=True)
    assert (
        stored.to_json()
        == json.loads(json.dumps(built.to_json()))
        == json.loads(json.dumps(expected.to_json()))
    )
    assert stored.kpis != draft_ipr_content(JULY).kpis  # the division's own figures, not the trust's
    assert all(r.recent is not None for r in stored.kpis)  # the sparkline's values are stored with it
    code = stored.kpis[0].code
    save_commentary(
        actor=User.objects.get(username="exec"),
        kpi=Kpi.objects.get(code=code),
        org_unit=surgery,
        month=JULY,
        issues="Surgical flow",
        actions="Discharge lounge",
        recovery_date=date(2025, 12, 1),
    )
    commentary = row(division_content(JULY, surgery), code).commentary
    assert commentary is not None and commentary.issues == "Surgical flow"
