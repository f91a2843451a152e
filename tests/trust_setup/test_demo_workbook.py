"""The ambulance demo is set up through the setup workbook as a real trust is; loading it twice is a no-op."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command

from divisions.models import OrgUnit, TrustProfile
from divisions.selectors import level_labels
from kpis.models import Kpi, KpiSuite
from pmf.models import AuditEvent, User
from reviews.models import Criterion
from trust_setup.workbook.files import read_xlsx
from trust_setup.workbook.service import export_xlsx, preview

pytestmark = pytest.mark.django_db

CHANGES = re.compile(r"(\d+) (added|restated|new values|written)\b")  # what load_demo reports it changed


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_yas_demo_loads_its_configuration_through_the_workbook(capsys):
    call_command("load_demo", "--trust", "yas")
    profile = TrustProfile.objects.get()
    assert (profile.ods_code, profile.trust_type, profile.icb_code) == ("RX8", "ambulance", "QWO")
    assert profile.position_names["4"] == "Underperforming / failing"
    assert level_labels(OrgUnit.objects.get(code="RX8"))["division"] == "Directorate"
    assert Criterion.objects.count() == 4 and KpiSuite.objects.filter(status="approved").exists()
    added = AuditEvent.objects.filter(verb="added by the setup workbook")
    assert added.filter(object_type="kpis.Kpi").count() == Kpi.objects.count()
    assert (
        added.filter(object_type="divisions.OrgUnit").count() == OrgUnit.objects.count() - 1
    )  # not the trust
    assert AuditEvent.objects.filter(verb="imported the setup workbook").count() == 1
    assert User.objects.get(username="yas.perf").has_usable_password()

    assert preview(read_xlsx(export_xlsx())).changes == 0  # what was imported exports as it came in
    first = row_counts()
    capsys.readouterr()  # the first load's report
    call_command("load_demo", "--trust", "yas")
    assert row_counts() == first
    reported = CHANGES.findall(capsys.readouterr().out)  # measurements, roll-up, national import, peer values
    assert {kind for _, kind in reported} == {"added", "restated", "new values", "written"}
    assert all(count == "0" for count, _ in reported), reported


def test_the_yas_workbook_names_its_positions_and_writes_its_defaults_in_its_own_words(settings):
    from demo.setup_workbook import demo_setup_sheets

    sheets = {s.name: s for s in demo_setup_sheets(settings.BASE_DIR / "fixtures" / "yas", people=[])}
    trust = dict(zip(sheets["trust"].header, sheets["trust"].rows[0][1], strict=True))
    assert [trust[f"position_{p}_name"] for p in (1, 2, 3, 4)] == [
        "Performing (earned freedoms)",
        "Performing (earned freedoms)",
        "Performance under review",
        "Underperforming / failing",
    ]
    texts = [
        cell
        for name in ("freedoms", "committees", "terms_of_reference")
        for _, row in sheets[name].rows
        for cell in row
    ]
    assert any("directorate's budget" in text for text in texts)
    assert not [text for text in texts if "division" in text.lower()]
