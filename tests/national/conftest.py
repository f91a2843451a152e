"""A small acute trust for the national import: two divisions, draft KPI suites for 2024/25 and 2025/26
(so national KPIs created by the import join them), a performance team member and a specialty → division
map. No KPI of its own is national: the import creates them from the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from divisions.models import Level, OrgUnit, Role, SpecialtyDivision
from divisions.services.org import save_org_unit
from divisions.services.roles import assign_role
from kpis.services.catalogue import save_domain, save_suite
from pmf.models import User
from reviews.services.defaults import seed_rating_defaults
from tests.world import DOMAINS

DATA = Path(__file__).resolve().parent.parent / "data" / "national"
OPENED = date(2016, 4, 1)


@dataclass(frozen=True)
class NationalWorld:
    trust: OrgUnit
    surgery: OrgUnit
    medicine: OrgUnit
    perf: User


def build_national_world() -> NationalWorld:
    trust = save_org_unit(
        actor=None, code="TST", name="Test NHS Trust", level=Level.TRUST, parent=None, active_from=OPENED
    )
    surgery, medicine = (
        save_org_unit(
            actor=None, code=code, name=name, level=Level.DIVISION, parent=trust, active_from=OPENED
        )
        for code, name in (("TST-SUR", "Surgery"), ("TST-MED", "Medicine"))
    )
    for order, (code, name) in enumerate(DOMAINS.items()):  # the rating criteria select KPIs by domain
        save_domain(actor=None, code=code, name=name, order=order)
    for year in ("2024/25", "2025/26"):
        save_suite(actor=None, financial_year=year, kpis=[])
    perf, _ = User.objects.get_or_create(username="perf")
    assign_role(actor=None, user=perf, role=Role.PERFORMANCE_TEAM, org_unit=None, start=OPENED)
    for kind, code, name, division in (
        ("treatment_function", "C_110", "Trauma and Orthopaedic Surgery", surgery),
        ("treatment_function", "C_100", "General Surgery", surgery),
        ("treatment_function", "C_300", "General Internal Medicine", medicine),
        ("diagnostic_test", "Magnetic Resonance Imaging", "Magnetic Resonance Imaging", medicine),
    ):
        SpecialtyDivision.objects.create(kind=kind, code=code, name=name, division=division)
    seed_rating_defaults(actor=None)
    return NationalWorld(trust=trust, surgery=surgery, medicine=medicine, perf=perf)


@pytest.fixture(scope="module")
def module_national_world(django_db_setup, django_db_blocker):
    from tests.world import once_for_the_module

    yield from once_for_the_module(django_db_blocker, build_national_world)


@pytest.fixture
def national_world(module_national_world, db) -> NationalWorld:
    return module_national_world


def published_file(name: str) -> tuple[str, bytes]:
    return name, (DATA / name).read_bytes()
