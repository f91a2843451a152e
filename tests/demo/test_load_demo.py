"""The demo trust: real figures where they are published, labelled synthetic elsewhere, idempotent."""

from datetime import date

import pandas as pd
import pytest
from django.apps import apps
from django.core.management import call_command

from demo.services import FIXTURES
from divisions.models import Level, OrgUnit, RoleAssignment
from divisions.selectors import level_labels
from kpis.models import Kpi, KpiSuite, Measurement
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def published(kpi: str, unit: str, month: str) -> Measurement:
    return Measurement.objects.get(
        kpi__code=kpi, org_unit__code=unit, month=date.fromisoformat(month), status="published"
    )


def test_load_demo_twice_leaves_identical_row_counts(capsys):
    call_command("load_demo")
    first = row_counts()
    call_command("load_demo")
    assert row_counts() == first
    assert first["kpis.Measurement"] > 10_000
    assert "0 added, 0 restated" in capsys.readouterr().out.splitlines()[-2]


def test_demo_trust_has_the_four_divisions_and_its_vocabulary(demo):
    trust = OrgUnit.objects.get(code="RWD")
    divisions = set(OrgUnit.objects.filter(parent=trust, level=Level.DIVISION).values_list("name", flat=True))
    assert divisions == {"Medicine", "Surgery", "Family Health", "Clinical Support Services"}
    assert level_labels(trust)["service"] == "Specialty"
    assert OrgUnit.objects.filter(level=Level.SERVICE, parent__code="RWD-SUR").count() >= 4


def test_trust_ae_reproduces_the_published_figures(demo):
    """NHS England's A&E return for RWD, June 2025: 20,302 attendances, 64.57 % within four hours."""
    june = published("AE-4H", "RWD", "2025-06-01")
    assert june.denominator == 20_302
    assert round(june.value, 2) == 64.57
    assert june.is_rollup and not june.is_synthetic


def test_trust_rtt_is_the_sum_over_specialties_not_a_mean_of_percentages(demo):
    trust = published("RTT-18W", "RWD", "2025-07-01")
    services = Measurement.objects.filter(
        kpi__code="RTT-18W", org_unit__level=Level.SERVICE, month=date(2025, 7, 1), status="published"
    )
    numerator = sum(m.numerator for m in services)
    denominator = sum(m.denominator for m in services)
    assert trust.value == pytest.approx(100 * numerator / denominator)
    assert trust.value != pytest.approx(sum(m.value for m in services) / services.count())


def test_every_fixture_row_is_loaded_with_its_synthetic_flag(demo):
    fixture = pd.read_csv(FIXTURES / "rwd" / "measurements.csv")
    submitted = Measurement.objects.filter(
        is_rollup=False, status="published", org_unit__code__startswith="RWD"
    )
    assert submitted.count() == len(fixture)
    assert submitted.filter(is_synthetic=True).count() == int(fixture["synthetic"].sum())
    real_kpis = set(fixture.loc[fixture["synthetic"] == 0, "kpi_code"])
    assert {"AE-4H", "RTT-18W"} <= real_kpis
    assert not Measurement.objects.filter(kpi__code="AE-4H", is_synthetic=True).exists()
    assert Kpi.objects.filter(data_is_synthetic=True).exists()


def test_demo_users_hold_their_roles(demo):
    assert RoleAssignment.objects.get(user__username="cl.surgery").org_unit.name == "Surgery"
    assert RoleAssignment.objects.get(user__username="md.medicine").org_unit.name == "Medicine"
    perf = User.objects.get(username="perf")
    assert perf.is_staff and perf.has_perm("kpis.change_kpi") and not perf.has_perm("kpis.change_measurement")
    assert not User.objects.get(username="board").is_staff


def test_past_suites_are_approved_and_the_current_one_is_draft(demo):
    assert KpiSuite.objects.get(financial_year="2024/25").status == "approved"
    assert KpiSuite.objects.get(financial_year="2025/26").status == "draft"


def test_loading_is_audited_once(demo):
    assert AuditEvent.objects.filter(verb="published").count() == 1
    assert AuditEvent.objects.filter(object_type="kpis.Kpi", verb="created").count() == Kpi.objects.count()


def test_load_demo_yas_uses_the_ambulance_vocabulary(db):
    call_command("load_demo", "--trust", "yas")
    trust = OrgUnit.objects.get(code="RX8")
    assert level_labels(trust)["division"] == "Directorate"
    c1 = Measurement.objects.filter(
        kpi__code="AMB-C1-MEAN", status="published", org_unit__code__startswith="RX8"
    )
    assert c1.count() > 80
    assert not c1.filter(is_synthetic=True).exists()
