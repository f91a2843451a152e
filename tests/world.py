"""A small trust built through the real services, for tests that do not need the demonstration trust.

The demonstration trust is nine years of four divisions' real data; loading it costs seconds, and most tests
use a sliver of it. The world is one trust, two divisions, four services and a ward, four KPIs with their
plans, six months submitted as a performance team would (receive, check, confirm, publish), and one person
for each role (Cardiology's service manager and its ward's manager among them). Its people are named as the
demonstration's are (``perf``, ``cl.surgery`` …), so the permission personas read the same against either.

The world is built once a test session and lent to each module that asks (``module_world``, through
``tests.data_sets``, as the demo trust is). ``once_for_the_module`` loads a data set that only one module uses
once for that module, inside a transaction that is rolled back after the module's last test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from divisions.models import Level, OrgUnit, Role
from divisions.services.org import save_org_unit, set_level_labels
from divisions.services.roles import assign_role
from kpis.models import Kpi, Upload
from kpis.services.catalogue import approve_suite, save_domain, save_kpi, save_suite, save_target
from kpis.services.submission import confirm_upload, publish_upload, receive_upload, validate_upload
from pmf.models import User
from reviews.services.defaults import seed_rating_defaults

T = TypeVar("T")

TRUST = "WLD"
MONTHS = [date(2025, month, 1) for month in range(2, 8)]  # February to July 2025: two financial years
LATEST = MONTHS[-1]
OPENED = date(2016, 4, 1)

# code, name, level, parent code
UNITS = [
    ("WLD-SUR", "Surgery", Level.DIVISION, TRUST),
    ("WLD-MED", "Medicine", Level.DIVISION, TRUST),
    ("WLD-SUR-GEN", "General Surgery", Level.SERVICE, "WLD-SUR"),
    ("WLD-SUR-TO", "Trauma and Orthopaedics", Level.SERVICE, "WLD-SUR"),
    ("WLD-MED-UEC", "Urgent and Emergency Care", Level.SERVICE, "WLD-MED"),
    ("WLD-MED-CAR", "Cardiology", Level.SERVICE, "WLD-MED"),
    ("WLD-MED-CAR-W1", "Cardiac Ward", Level.TEAM, "WLD-MED-CAR"),
]
# The units a file names: the services, the ward in place of its service; the rest are rolled up.
SUBMITTING = ["WLD-SUR-GEN", "WLD-SUR-TO", "WLD-MED-UEC", "WLD-MED-CAR-W1"]

# username, role, unit code (the triumvirate's division, a manager's service or ward)
PEOPLE = [
    ("perf", Role.PERFORMANCE_TEAM, None),
    ("exec", Role.EXECUTIVE, None),
    ("board", Role.BOARD_MEMBER, None),
    ("md.surgery", Role.MANAGING_DIRECTOR, "WLD-SUR"),
    ("cd.surgery", Role.CLINICAL_DIRECTOR, "WLD-SUR"),
    ("cl.surgery", Role.CLINICAL_LEAD, "WLD-SUR"),
    ("md.medicine", Role.MANAGING_DIRECTOR, "WLD-MED"),
    ("sm.cardiology", Role.SERVICE_MANAGER, "WLD-MED-CAR"),
    ("wm.cardiac", Role.WARD_MANAGER, "WLD-MED-CAR-W1"),
    ("commissioner", Role.COMMISSIONER, None),
    ("viewer", Role.VIEWER, None),
]


@dataclass(frozen=True)
class KpiSpec:
    code: str
    name: str
    domain: str
    unit: str
    direction: str
    aggregation: str
    plan: float | None
    tolerance: float = 0.0
    is_key: bool = False


HIGHER, LOWER = "higher_is_better", "lower_is_better"
KPIS = [
    KpiSpec(
        "AE-4H", "A&E four-hour performance", "operational", "percent", HIGHER, "ratio", 95, 2, is_key=True
    ),
    KpiSpec("RTT-18", "RTT waits within 18 weeks", "operational", "percent", HIGHER, "ratio", 92, 1),
    KpiSpec("SICK", "Sickness absence", "workforce", "percent", LOWER, "ratio", 4, 0.5),
    KpiSpec("ATT", "A&E attendances", "operational", "count", "neutral", "sum", None),
]
DOMAINS = {"finance": "Finance", "workforce": "Workforce", "quality": "Quality", "operational": "Operational"}


def figures(kpi: str, unit_index: int, month_index: int) -> tuple[int, int | str]:
    """A unit's numerator and denominator for a month: steady, distinct and easy to recompute in a test.

    A ratio's denominator is 1,000 + 100 × the unit's place in ``SUBMITTING``; a count has none.
    """
    denominator = 1000 + 100 * unit_index
    share = {"AE-4H": 0.80, "RTT-18": 0.90, "SICK": 0.04}.get(kpi)
    if share is None:
        return 2000 + 50 * unit_index + 10 * month_index, ""
    return round(denominator * share) + month_index, denominator


@dataclass(frozen=True)
class World:
    trust: OrgUnit
    units: dict[str, OrgUnit]  # every unit below the trust, by code
    kpis: dict[str, Kpi]
    users: dict[str, User]  # by username
    upload: Upload  # the published six months

    @property
    def surgery(self) -> OrgUnit:
        return self.units["WLD-SUR"]

    @property
    def medicine(self) -> OrgUnit:
        return self.units["WLD-MED"]


def monthly_file() -> bytes:
    """The six months as one data file with the template's columns."""
    lines = ["kpi_code,org_code,month,numerator,denominator,value"]
    for spec in KPIS:
        for u, unit in enumerate(SUBMITTING):
            for m, month in enumerate(MONTHS):
                numerator, denominator = figures(spec.code, u, m)
                lines.append(f"{spec.code},{unit},{month:%Y-%m},{numerator},{denominator},")
    return ("\n".join(lines) + "\n").encode()


def build_world() -> World:
    """Build the world through the services the product uses.

    Steps:
    1. The trust, its level labels and its units, parents first.
    2. The domains, the four KPIs, their trust-wide plans and a suite for each financial year (the
       earlier one agreed).
    3. One person for each role, the triumvirate's for their division.
    4. The default rating criteria, then the six months submitted and published by the performance team;
       the roll-up, SPC and ratings follow on commit as they do in production.
    """
    trust = save_org_unit(
        actor=None,
        code=TRUST,
        name="World Test NHS Trust",
        level=Level.TRUST,
        parent=None,
        active_from=OPENED,
    )
    set_level_labels(
        actor=None,
        trust=trust,
        labels={
            Level.TRUST: ("Trust", "Trusts"),
            Level.DIVISION: ("Division", "Divisions"),
            Level.SERVICE: ("Specialty", "Specialties"),
            Level.TEAM: ("Ward", "Wards"),
        },
    )
    units: dict[str, OrgUnit] = {}
    for code, name, level, parent in UNITS:
        units[code] = save_org_unit(
            actor=None,
            code=code,
            name=name,
            level=level,
            parent=trust if parent == TRUST else units[parent],
            active_from=OPENED,
        )

    domains = {
        code: save_domain(actor=None, code=code, name=name, order=i)
        for i, (code, name) in enumerate(DOMAINS.items())
    }
    kpis: dict[str, Kpi] = {}
    for spec in KPIS:
        fields: dict[str, Any] = {
            "name": spec.name,
            "domain": domains[spec.domain],
            "unit": spec.unit,
            "direction": spec.direction,
            "aggregation": spec.aggregation,
            "is_key": spec.is_key,
            "owner": "Chief Operating Officer",
        }
        kpis[spec.code] = kpi = save_kpi(actor=None, code=spec.code, tags=[], **fields)
        for year, starts in (("2024/25", date(2024, 4, 1)), ("2025/26", date(2025, 4, 1))):
            if spec.plan is not None:
                save_target(
                    actor=None,
                    kpi=kpi,
                    org_unit=None,
                    financial_year=year,
                    value=spec.plan,
                    tolerance=spec.tolerance,
                    set_by="national",
                    effective_from=starts,
                )

    users: dict[str, User] = {}
    for username, role, division in PEOPLE:
        users[username], _ = User.objects.get_or_create(username=username)
        assign_role(
            actor=None,
            user=users[username],
            role=role,
            org_unit=units[division] if division else None,
            start=OPENED,
        )
    perf = users["perf"]
    catalogue = list(kpis.values())
    approve_suite(actor=perf, suite=save_suite(actor=None, financial_year="2024/25", kpis=catalogue))
    save_suite(actor=None, financial_year="2025/26", kpis=catalogue)

    seed_rating_defaults(actor=None)
    received = receive_upload(actor=perf, content=monthly_file(), name="world.csv")
    upload = validate_upload(upload_id=received.upload.pk)
    if upload.status != Upload.Status.VALID:
        raise ValueError(f"the world's file does not pass the checks: {upload.errors[:3]}")
    confirm_upload(actor=perf, upload=upload)
    publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
    return World(trust=trust, units=units, kpis=kpis, users=users, upload=Upload.objects.get(pk=upload.pk))


def once_for_the_module(django_db_blocker: Any, load: Callable[[], T]) -> Iterator[T]:
    """Run ``load`` once for a test module and yield its result: a module-scoped fixture yields from this.

    It runs inside a transaction that is rolled back after the module's last test, so no other module sees
    what it wrote. Each test still runs in its own savepoint within that transaction (the ``db`` fixture),
    so the tests cannot see each other's writes. Work queued on commit runs in-process as it is queued,
    and passwords are hashed the fast way, as the per-test fixtures arrange for tests.
    """
    from django.db import transaction
    from django.test import TestCase, override_settings

    from roof.celery import app

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        eager = app.conf.task_always_eager
        try:
            app.conf.task_always_eager = True
            with (
                override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                result = load()
            app.conf.task_always_eager = eager
            yield result
        finally:
            app.conf.task_always_eager = eager
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
