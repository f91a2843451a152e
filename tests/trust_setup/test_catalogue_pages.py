"""The performance team keeps up the catalogue and each year's suite on its own pages, with no superuser;
a triumvirate member cannot. Real forms are posted; every change is audited with its before and after."""

import pytest
from django.urls import reverse

from kpis.models import Kpi, KpiSuite
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def signed_in(client, username="perf"):
    client.force_login(User.objects.get(username=username))
    return client


def kpi_post(kpi: Kpi | None = None, **changes) -> dict:
    fields: dict[str, object] = {
        "code": "NEW-1",
        "name": "Discharges before noon",
        "definition": "Share of discharges before midday.",
        "domain": "",
        "unit": "percent",
        "direction": "higher_is_better",
        "aggregation": "ratio",
        "source": "local",
        "lead_or_lag": "lead",
        "frequency": "monthly",
        "owner": "Chief Nurse",
        "spc_rule_set": "mdc",
        "active_from": "2025-04-01",
    }
    if kpi is not None:
        fields |= {
            "name": kpi.name,
            "domain": kpi.domain_id,
            "unit": kpi.unit,
            "direction": kpi.direction,
            "aggregation": kpi.aggregation,
            "owner": kpi.owner,
            "active_from": kpi.active_from.isoformat(),
        }
        if kpi.is_key:
            fields["is_key"] = "on"
    return {key: value for key, value in (fields | changes).items() if value is not None}


def test_the_performance_team_adds_a_kpi_and_it_is_audited(client, world):
    domain = world.kpis["AE-4H"].domain
    response = signed_in(client).post(reverse("setup-kpi-add"), kpi_post(domain=domain.pk, is_key="on"))

    assert response.status_code == 302, response.content.decode()[:3000]
    kpi = Kpi.objects.get(code="NEW-1")
    assert (kpi.domain, kpi.is_key, kpi.owner) == (domain, True, "Chief Nurse")
    event = AuditEvent.objects.get(object_type="kpis.Kpi", object_id=str(kpi.pk), verb="created")
    assert event.actor == "perf"


def test_editing_a_kpi_records_each_field_before_and_after(client, world):
    kpi = world.kpis["SICK"]
    response = signed_in(client).post(
        reverse("setup-kpi", args=[kpi.code]), kpi_post(kpi, owner="Director of People", plausible_max="30")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    kpi.refresh_from_db()
    assert (kpi.owner, kpi.plausible_max) == ("Director of People", 30)
    event = AuditEvent.objects.filter(object_type="kpis.Kpi", object_id=str(kpi.pk), verb="updated").latest(
        "id"
    )
    assert event.before["owner"] == "Chief Operating Officer" and event.after["owner"] == "Director of People"
    assert (event.before["plausible_max"], event.after["plausible_max"]) == (None, 30)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"active_to": "1999-03-31"}, "The KPI cannot end before it starts"),
        (
            {"plausible_min": "50", "plausible_max": "10"},
            "The highest plausible value (10) is below the lowest (50)",
        ),
        ({"aggregation": "sum"}, "A percentage cannot be summed from team to trust"),
        ({"unit": "furlongs"}, "Select a valid choice"),
    ],
)
def test_a_kpi_that_breaks_the_rules_is_refused_with_the_reason_and_nothing_changes(
    client, world, changes, reason
):
    kpi = world.kpis["AE-4H"]
    before = AuditEvent.objects.count()

    response = signed_in(client).post(reverse("setup-kpi", args=[kpi.code]), kpi_post(kpi, **changes))

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert AuditEvent.objects.count() == before
    kpi.refresh_from_db()
    assert kpi.active_to is None and kpi.plausible_max is None and kpi.aggregation == "ratio"


def test_the_code_of_an_existing_kpi_stays(client, world):
    kpi = world.kpis["SICK"]
    signed_in(client).post(reverse("setup-kpi", args=[kpi.code]), kpi_post(kpi, code="RENAMED"))
    assert Kpi.objects.filter(code="SICK").exists() and not Kpi.objects.filter(code="RENAMED").exists()


def test_last_years_suite_is_copied_to_a_draft_and_approved(client, world):
    client = signed_in(client)
    Kpi.objects.filter(code="ATT").update(active_to="2026-03-31")  # retired before 2026/27

    copied = client.post(reverse("setup-suite-copy"), {"source": "2025/26", "financial_year": "2026/27"})
    approved = client.post(reverse("setup-suite-approve", args=["2026-27"]))

    assert copied.status_code == approved.status_code == 302
    suite = KpiSuite.objects.get(financial_year="2026/27")
    assert sorted(suite.entries.values_list("kpi__code", flat=True)) == ["AE-4H", "RTT-18", "SICK"]
    assert (suite.status, suite.approved_by.username) == ("approved", "perf")
    verbs = set(AuditEvent.objects.filter(object_type="kpis.KpiSuite").values_list("verb", flat=True))
    assert {"copied", "approved"} <= verbs
    page = client.get(reverse("setup-suite", args=["2026-27"])).content.decode()
    assert "kept as it was agreed" in page and 'type="checkbox"' not in page


def test_a_year_with_a_suite_is_not_copied_over(client, world):
    response = signed_in(client).post(
        reverse("setup-suite-copy"), {"source": "2024/25", "financial_year": "2025/26"}, follow=True
    )
    assert "There is a 2025/26 suite already" in response.content.decode()


def test_a_draft_suite_takes_the_chosen_kpis_and_an_approved_one_refuses_changes(client, world):
    client = signed_in(client)
    ae, sick = world.kpis["AE-4H"], world.kpis["SICK"]

    client.post(reverse("setup-suite", args=["2025-26"]), {"kpis": [ae.pk, sick.pk], "key": [sick.pk]})
    refused = client.post(reverse("setup-suite", args=["2024-25"]), {"kpis": [ae.pk]}, follow=True)

    draft = KpiSuite.objects.get(financial_year="2025/26")
    assert {(e.kpi.code, e.is_key) for e in draft.entries.all()} == {("AE-4H", False), ("SICK", True)}
    assert "is approved and kept as it was agreed" in refused.content.decode()
    assert KpiSuite.objects.get(financial_year="2024/25").entries.count() == 4


def test_a_key_kpi_must_be_in_the_suite(client, world):
    ae, sick = world.kpis["AE-4H"], world.kpis["SICK"]
    response = signed_in(client).post(
        reverse("setup-suite", args=["2025-26"]), {"kpis": [ae.pk], "key": [sick.pk]}
    )
    assert "A key KPI must be in the suite: SICK." in response.content.decode()
    assert KpiSuite.objects.get(financial_year="2025/26").entries.count() == 4


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("setup-kpis", [], None),
        ("setup-kpi-add", [], {"code": "X"}),
        ("setup-kpi", ["SICK"], {"name": "x"}),
        ("setup-suites", [], None),
        ("setup-suite-copy", [], {"source": "2025/26", "financial_year": "2026/27"}),
        ("setup-suite", ["2025-26"], {"kpis": []}),
        ("setup-suite-approve", ["2025-26"], {}),
    ],
)
def test_a_triumvirate_member_cannot_change_the_catalogue(client, world, name, args, data):
    client = signed_in(client, "cl.surgery")
    url = reverse(name, args=args)
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(actor="cl.surgery").exists()
