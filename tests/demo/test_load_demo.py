"""The demo trust: real figures where they are published, labelled synthetic elsewhere, idempotent."""

import json
from datetime import date

import pandas as pd
import pytest
from django.apps import apps
from django.core.management import call_command

from demo.services import FIXTURES
from divisions.models import Level, OrgUnit, RoleAssignment, SpecialtyDivision, TrustProfile
from divisions.selectors import level_labels
from kpis.models import Kpi, KpiSuite, Measurement
from national.models import PeerValue
from national.readers.waiting import TREATMENT_FUNCTIONS
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db
NATIONAL = FIXTURES / "national"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def published(kpi: str, unit: str, month: str) -> Measurement:
    return Measurement.objects.get(
        kpi__code=kpi, org_unit__code=unit, month=date.fromisoformat(month), status="published"
    )


def test_load_demo_twice_leaves_identical_row_counts(capsys):
    call_command("load_demo")
    first = row_counts()
    capsys.readouterr()
    call_command("load_demo")
    assert row_counts() == first
    assert first["kpis.Measurement"] > 10_000
    assert first["national.PeerValue"] > 30_000
    measurements, national = capsys.readouterr().out.splitlines()[:2]
    assert "0 added, 0 restated" in measurements
    assert "5 files, 0 new values, 0 restated; peer values: 0 written from 8 files" in national


def test_demo_trust_has_the_four_divisions_and_its_vocabulary(demo):
    trust = OrgUnit.objects.get(code="RWD")
    divisions = set(OrgUnit.objects.filter(parent=trust, level=Level.DIVISION).values_list("name", flat=True))
    assert divisions == {"Medicine", "Surgery", "Family Health", "Clinical Support Services"}
    assert level_labels(trust)["service"] == "Specialty"
    assert OrgUnit.objects.filter(level=Level.SERVICE, parent__code="RWD-SUR").count() >= 4


def test_trust_ae_reproduces_the_published_figures(demo):
    """NHS England's A&E return for RWD, June 2025: 20,302 attendances, 64.57 % within four hours, imported
    from the official monthly file at trust level."""
    june = published("AE-4H", "RWD", "2025-06-01")
    assert june.denominator == 20_302
    assert round(june.value, 2) == 64.57
    assert not june.is_rollup and not june.is_synthetic
    assert (june.upload.source_file, june.upload.source_format) == ("ae_official_monthly.csv", "ae_official")
    # Before June 2024 the months come from the tidy history of the monthly files.
    assert published("AE-4H", "RWD", "2019-02-01").upload.source_file == "ae_history.csv"


def rtt_by_hand(month: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """RWD's RTT rows for ``month`` from the shipped file, and each treatment function's division."""
    rows = pd.read_csv(NATIONAL / "rtt_incomplete_pathways.csv")
    rows = rows[(rows["org_code"] == "RWD") & (rows["period"].str[:7] == month)]
    wide = rows.pivot_table(index="specialty", columns="measure", values="value", aggfunc="first")
    splits = pd.read_csv(FIXTURES / "rwd" / "specialty_divisions.csv")
    by_code = dict(zip(splits["code"], splits["division_code"], strict=True))
    return wide, {word: by_code[code] for word, (code, _) in TREATMENT_FUNCTIONS.items()}


def test_trust_rtt_is_the_published_total_and_divisions_sum_their_specialties(demo):
    wide, division_of = rtt_by_hand("2025-07")
    trust = published("RTT-18W", "RWD", "2025-07-01")
    whole = wide.loc["ALL"]
    assert (trust.numerator, trust.denominator) == (
        whole["rtt_within_18_weeks"],
        whole["rtt_incomplete_pathways"],
    )
    assert round(trust.value, 2) == 54.54  # NHS England's published percentage for July 2025
    for division in ("RWD-MED", "RWD-SUR", "RWD-FH"):
        mine = wide.loc[[word for word in wide.index if division_of.get(word) == division]]
        row = published("RTT-18W", division, "2025-07-01")
        within, waiting = mine["rtt_within_18_weeks"].sum(), mine["rtt_incomplete_pathways"].sum()
        assert (row.numerator, row.denominator) == (within, waiting)
        assert row.value == pytest.approx(100 * within / waiting)
        percentages = (100 * mine["rtt_within_18_weeks"] / mine["rtt_incomplete_pathways"]).dropna()
        if len(percentages) > 1:  # Family Health's one specialty with pathways is its own mean
            assert row.value != pytest.approx(percentages.mean())


def test_demo_trust_has_its_profile_its_specialty_map_and_its_peers(demo):
    assert TrustProfile.objects.get().ods_code == "RWD"
    assert SpecialtyDivision.objects.get(kind="treatment_function", code="C_110").division.code == "RWD-SUR"
    june = PeerValue.objects.filter(kpi_code="AE_4HR_ALL", month=date(2025, 6, 1), split_kind="")
    assert june.count() > 100 and june.filter(org_code="RWD").exists()
    assert {"AMB_C1_MEAN", "CWT_62D", "DM01_6WK", "RTT_18WK"} <= set(
        PeerValue.objects.values_list("kpi_code", flat=True).distinct()
    )


def test_benchmark_places_the_demo_trust_among_its_peers(demo, capsys):
    call_command("benchmark", "--ods", "RWD", "--kpi", "AE_4HR_ALL", "--month", "2025-06", "--json")
    result = json.loads(capsys.readouterr().out)
    assert (result["org_code"], round(result["value"], 2)) == ("RWD", 64.57)
    assert "RWD" in {peer["org_code"] for peer in result["peers"]}
    assert result["n"] == len(result["peers"]) > 50


def test_every_fixture_row_is_loaded_with_its_synthetic_flag(demo):
    fixture = pd.read_csv(FIXTURES / "rwd" / "measurements.csv")
    submitted = Measurement.objects.filter(
        is_rollup=False, status="published", org_unit__code__startswith="RWD", upload__source_file=""
    )
    assert submitted.count() == len(fixture)
    assert submitted.filter(is_synthetic=True).count() == int(fixture["synthetic"].sum())
    real_kpis = set(fixture.loc[fixture["synthetic"] == 0, "kpi_code"])
    assert {"AE-4H", "RTT-52W"} <= real_kpis and "RTT-18W" not in real_kpis  # RTT-18W is imported
    assert not Measurement.objects.filter(kpi__code__in=["AE-4H", "RTT-18W"], is_synthetic=True).exists()
    assert Kpi.objects.filter(data_is_synthetic=True).exists()


def test_demo_users_hold_their_roles(demo):
    assert RoleAssignment.objects.get(user__username="cl.surgery").org_unit.name == "Surgery"
    assert RoleAssignment.objects.get(user__username="md.medicine").org_unit.name == "Medicine"
    perf = User.objects.get(username="perf")
    assert perf.is_staff and perf.has_perm("kpis.change_kpi") and not perf.has_perm("kpis.change_measurement")
    assert not User.objects.get(username="board").is_staff
    # Demonstration accounts name no person: each shows as its job title.
    assert all(str(u) == u.job_title for u in User.objects.exclude(job_title=""))
    assert str(User.objects.get(username="exec")) == "Chief Operating Officer"
    # General surgery's service manager line-manages two ward managers, one of whom has a scorecard.
    assert RoleAssignment.objects.get(user__username="sm.gensurg").org_unit.code == "RWD-SUR-GS"
    assert RoleAssignment.objects.get(user__username="wm.lincoln").org_unit.code == "RWD-SUR-GS-LCH"
    lincoln = User.objects.get(username="wm.lincoln")
    assert lincoln.line_management.manager.username == "sm.gensurg"
    objectives = lincoln.pdr_objectives.filter(year=2025)
    assert (
        objectives.count() == 3 and objectives.filter(priority__title="Support and keep our people").exists()
    )
    assert objectives.get(kpi__code="WF-SICK").status == "at_risk"


def test_past_suites_are_approved_and_the_current_one_is_draft(demo):
    assert KpiSuite.objects.get(financial_year="2024/25").status == "approved"
    assert KpiSuite.objects.get(financial_year="2025/26").status == "draft"


def test_loading_is_audited_once(demo):
    # the measurements file, and each of the five national files the import published
    assert AuditEvent.objects.filter(verb="published").count() == 1 + 5
    assert AuditEvent.objects.filter(verb="imported from a national publication").count() == 5
    assert AuditEvent.objects.filter(object_type="kpis.Kpi", verb="created").count() == Kpi.objects.count()


def test_the_demo_history_is_rated_as_docs_ratings_md_says(demo):
    """docs/ratings.md, "What changed in the demonstration trust": not rated is not autonomy (DESIGN §7)."""
    from django.db.models import Count, Min, Q

    from reviews.models import DivisionRating

    ratings = DivisionRating.objects.all()
    assert (ratings.count(), ratings.filter(computed_position__isnull=True).count()) == (352, 268)
    rated = Q(computed_position__isnull=False)
    first_rated = {
        row["division__code"]: (row["first"], row["rated"])
        for row in ratings.values("division__code").annotate(
            first=Min("month", filter=rated), rated=Count("id", filter=rated)
        )
    }
    assert first_rated == {
        "RWD-MED": (date(2022, 4, 1), 40),
        "RWD-SUR": (date(2024, 4, 1), 16),
        "RWD-FH": (date(2024, 4, 1), 16),
        "RWD-CSS": (date(2024, 8, 1), 12),
    }
    # No month not rated after a division's first rated one; a month not rated holds no position.
    for code, (first, _) in first_rated.items():
        assert not ratings.filter(
            division__code=code, month__gt=first, computed_position__isnull=True
        ).exists()
    assert not ratings.filter(computed_position__isnull=True, effective_position__isnull=False).exists()
    july = ratings.filter(month=date(2025, 7, 1))
    assert dict(july.values_list("division__code", "effective_position")) == {
        "RWD-MED": 4,
        "RWD-SUR": 4,
        "RWD-CSS": 3,
        "RWD-FH": 3,
    }
    assert set(july.filter(effective_position=4).values_list("review_frequency", flat=True)) == {"weekly"}
    assert set(july.filter(effective_position=3).values_list("review_frequency", flat=True)) == {"monthly"}


def test_load_demo_yas_uses_the_ambulance_vocabulary(db):
    call_command("load_demo", "--trust", "yas")
    trust = OrgUnit.objects.get(code="RX8")
    assert level_labels(trust)["division"] == "Directorate"
    c1 = Measurement.objects.filter(
        kpi__code="AMB-C1-MEAN", status="published", org_unit__code__startswith="RX8"
    )
    assert c1.count() > 80
    assert not c1.filter(is_synthetic=True).exists()
    august = c1.get(org_unit__code="RX8", month=date(2025, 8, 1), is_rollup=False)
    assert round(august.value) == 464  # AmbSYS, August 2025: the published C1 mean
    assert august.upload.source_file == "ambsys.csv"
