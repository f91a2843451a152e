"""The KPI page: the stored chart, its icons and sentence, and recalculation by the performance team."""

import pytest
from django.urls import reverse

from kpis.models import Recalculation, SpcSeries
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db

URL = reverse("kpi-chart", args=["AE-4H", "RWD"])


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_kpi_page_shows_chart_icons_and_what_the_chart_tells_us(client, demo):
    body = as_user(client, "board").get(URL).content.decode()
    assert 'class="spc-chart"' in body and "<script>" not in body
    assert "What the chart tells us" in body
    assert "consistently fail" in body  # the 78% target is above the upper process limit
    assert "In Jul 2025 the value was 63.4%" in body
    assert 'aria-label="Assurance' in body or "aria-label" in body


def test_kpi_page_query_count_does_not_grow_with_months(client, demo, django_assert_max_num_queries):
    as_user(client, "board")
    # 14, and two for the data notes: the files the figures were imported from, and the notes the national
    # import left on them (kpis.selectors.sources), one query each whatever the months; and five for the
    # related indicators (kpis.relationships.selectors): the relationships, and their standings' four,
    # whatever the number of relationships.
    with django_assert_max_num_queries(21):
        client.get(URL)


def test_unknown_kpi_or_unit_is_not_found(client, demo):
    as_user(client, "board")
    assert client.get(reverse("kpi-chart", args=["NOPE", "RWD"])).status_code == 404
    assert client.get(reverse("kpi-chart", args=["AE-4H", "NOPE"])).status_code == 404


def test_anonymous_is_sent_to_sign_in_and_commissioner_is_refused(client, demo):
    assert client.get(URL).status_code == 302
    assert as_user(client, "commissioner").get(URL).status_code == 403


def test_performance_team_records_a_recalculation_and_the_chart_splits(
    client, demo, django_capture_on_commit_callbacks
):
    as_user(client, "perf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"month": "2021-04", "reason": "Published series resumes after the 2019-21 gap"}
        )
    assert response.status_code == 302
    series = SpcSeries.objects.get(kpi__code="AE-4H", org_unit__code="RWD")
    assert series.points.filter(segment=1).exists()
    assert "Published series resumes" in client.get(URL).content.decode()
    assert AuditEvent.objects.filter(verb="recalculated", actor="perf").count() == 1


def test_recalculation_form_explains_a_bad_month_and_writes_nothing(client, demo):
    response = as_user(client, "perf").post(URL, {"month": "April 2021", "reason": "x"})
    assert response.status_code == 200
    assert "write it as YYYY-MM" in response.content.decode()
    assert not Recalculation.objects.exists()


def test_only_the_performance_team_may_recalculate(client, demo):
    response = as_user(client, "md.surgery").post(URL, {"month": "2021-04", "reason": "no"})
    assert response.status_code == 403
    assert not Recalculation.objects.exists()


def test_plotly_is_served_from_the_installed_package(client, db):
    response = client.get(reverse("plotly-js"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")


def test_kpi_page_shows_the_latest_rating_of_every_kitemark_dimension(client, demo):
    from datetime import date

    from kpis.models import Kitemark, Kpi

    kpi = Kpi.objects.get(code="AE-4H")
    Kitemark.objects.create(kpi=kpi, dimension="validation", rating="partial", assessed_on=date(2025, 5, 1))
    Kitemark.objects.create(kpi=kpi, dimension="validation", rating="assured", assessed_on=date(2025, 8, 1))
    body = as_user(client, "board").get(URL).content.decode()
    table = body.split('class="data-table kitemark-table"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">Validation</th><td>Assured</td>' in table
    assert table.count("<td>Not assessed</td>") == 5 and "Partial" not in table
