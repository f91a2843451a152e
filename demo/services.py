"""Loading a demonstration trust from the files in ``fixtures/<trust>/``.

Everything goes through the same services the product uses, so the demo exercises
the real code paths, and every step is idempotent: loading twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from divisions.models import LEVEL_DEPTH, Level, OrgUnit, Role
from divisions.services.org import save_org_unit, set_level_labels
from divisions.services.roles import assign_role
from kpis.models import Kpi, Upload
from kpis.services.catalogue import (
    approve_suite,
    save_domain,
    save_kpi,
    save_objective,
    save_suite,
    save_target,
)
from kpis.services.measurements import PublishResult, publish_frame
from kpis.services.submission import missing_for_publish
from pmf.models import User
from pmf.periods import FinancialYear
from reviews.services.actions import seed_demo_actions
from reviews.services.defaults import seed_rating_defaults
from trust_setup.workbook.service import apply_setup

from .national_series import NationalLoad, load_national_series
from .priorities import seed_demo_priorities
from .relationships import seed_demo_relationships
from .scorecards import seed_demo_scorecards
from .setup_workbook import demo_setup_sheets

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# Demo trusts whose configuration is loaded through the setup workbook, as a real trust's is.
SET_UP_BY_WORKBOOK = {"yas"}
DOMAINS = [
    ("finance", "Finance"),
    ("workforce", "Workforce"),
    ("quality", "Quality"),
    ("operational", "Operational"),
]
PLURALS = {
    "Division": "Divisions",
    "Specialty": "Specialties",
    "Ward": "Wards",
    "Directorate": "Directorates",
    "Service line": "Service lines",
    "Team": "Teams",
    "Trust": "Trusts",
    "Service": "Services",
}


@dataclass(frozen=True)
class DemoUser:
    """A demonstration account. It names no person: its display name is its job title."""

    username: str
    job_title: str
    role: str
    division: str | None = None  # the division's name, for the triumvirate roles
    unit: str | None = None  # the service's or team's code, for a service or ward manager


DEMO_USERS = {
    "rwd": [
        DemoUser("perf", "Head of Performance", Role.PERFORMANCE_TEAM),
        DemoUser("exec", "Chief Operating Officer", Role.EXECUTIVE),
        DemoUser("board", "Non-executive Director", Role.BOARD_MEMBER),
        DemoUser("md.surgery", "Managing Director, Surgery", Role.MANAGING_DIRECTOR, "Surgery"),
        DemoUser("cd.surgery", "Clinical Director, Surgery", Role.CLINICAL_DIRECTOR, "Surgery"),
        DemoUser("cl.surgery", "Clinical Lead, Surgery", Role.CLINICAL_LEAD, "Surgery"),
        DemoUser("md.medicine", "Managing Director, Medicine", Role.MANAGING_DIRECTOR, "Medicine"),
        DemoUser("cd.medicine", "Clinical Director, Medicine", Role.CLINICAL_DIRECTOR, "Medicine"),
        DemoUser("cl.medicine", "Clinical Lead, Medicine", Role.CLINICAL_LEAD, "Medicine"),
        DemoUser("sm.gensurg", "Service Manager, General Surgery", Role.SERVICE_MANAGER, unit="RWD-SUR-GS"),
        DemoUser(
            "wm.lincoln",
            "Ward Manager, Surgical wards, Lincoln County Hospital",
            Role.WARD_MANAGER,
            unit="RWD-SUR-GS-LCH",
        ),
        DemoUser(
            "wm.boston",
            "Ward Manager, Surgical wards, Pilgrim Hospital, Boston",
            Role.WARD_MANAGER,
            unit="RWD-SUR-GS-PHB",
        ),
        DemoUser("commissioner", "ICB Contracts Manager", Role.COMMISSIONER),
        DemoUser("viewer", "Information Analyst", Role.VIEWER),
    ],
    "yas": [
        DemoUser("yas.perf", "Performance Manager (YAS)", Role.PERFORMANCE_TEAM),
        DemoUser("yas.exec", "Executive Director of Operations (YAS)", Role.EXECUTIVE),
    ],
}


def demo_password() -> str:
    """The development-only password of every demo user (``make run`` prints it)."""
    return os.environ.get("PMF_DEMO_PASSWORD", "pmf-demo-only-password")


@dataclass(frozen=True)
class DemoResult:
    trust: OrgUnit
    units: int
    kpis: int
    published: PublishResult
    national: NationalLoad


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _flag(text: str) -> bool:
    return text.strip() in {"1", "true", "True", "yes"}


@transaction.atomic
def load_demo_trust(*, trust: str = "rwd", fixtures: Path = FIXTURES) -> DemoResult:
    """Load (or bring up to date) the demonstration trust named ``trust``.

    Steps:
    1. The trust, its level labels and its tree, parents before children.
    2. Domains, strategic objectives, the KPI catalogue and targets.
    3. A KPI suite per financial year with targets, agreed by the performance lead.
    4. Demo users with their roles.
    5. The default rating criteria and freedoms.
    6. The measurements file (what NHS England does not publish for every trust, and the synthetic data),
       kept as an upload and published; the roll-up, the SPC charts and the division ratings follow.
    7. The national series, imported from NHS England's files in ``fixtures/national/`` as a real trust's
       are, with every organisation's values as peer values (``national_series``).
    8. Demonstration actions, and the lead and lag relationships with what the data shows of each
       (``demo.relationships``).
    """
    folder = fixtures / trust
    config = json.loads((folder / "trust.json").read_text(encoding="utf-8"))
    if trust in SET_UP_BY_WORKBOOK:
        return _load_through_the_setup_workbook(trust, folder, config)

    root = save_org_unit(
        actor=None,
        code=config["code"],
        name=config["name"],
        level=Level.TRUST,
        parent=None,
        active_from=date(2000, 4, 1),
    )
    set_level_labels(
        actor=None,
        trust=root,
        labels={
            lvl: (label, PLURALS.get(label, f"{label}s")) for lvl, label in config["level_labels"].items()
        },
    )
    units = {root.code: root}
    rows = sorted(_read_csv(folder / "org_units.csv"), key=lambda r: LEVEL_DEPTH[Level(r["level"])])
    for row in rows:
        if row["level"] == Level.TRUST:
            continue
        units[row["code"]] = save_org_unit(
            actor=None,
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent=units[row["parent_code"]],
            active_from=_date(row["active_from"]) or date(2000, 4, 1),
            active_to=_date(row.get("active_to", "")),
            is_synthetic=_flag(row.get("synthetic", "0")),
        )

    domains = {
        code: save_domain(actor=None, code=code, name=name, order=i) for i, (code, name) in enumerate(DOMAINS)
    }
    domains_by_name = {d.name: d for d in domains.values()}
    objectives = {
        row["code"]: save_objective(actor=None, code=row["code"], name=row["name"])
        for row in _read_csv(folder / "objectives.csv")
    }
    kpis: dict[str, Kpi] = {}
    for row in _read_csv(folder / "kpis.csv"):
        kpis[row["code"]] = save_kpi(
            actor=None,
            code=row["code"],
            tags=[t for t in row["tags"].split(";") if t],
            name=row["name"],
            definition=row["definition"],
            numerator_definition=row["numerator_definition"],
            denominator_definition=row["denominator_definition"],
            domain=domains_by_name[row["domain"]],
            objective=objectives.get(row["objective"]),
            unit=row["unit"],
            direction=row["direction"],
            aggregation=row["aggregation"],
            source=row["source"],
            national_guidance_ref=row["national_guidance_ref"],
            is_key=_flag(row["is_key"]),
            lead_or_lag=row["lead_or_lag"] or "lag",
            frequency=row["frequency"] or "monthly",
            owner=row["owner"],
            data_owner=row["data_owner"],
            data_is_synthetic=_flag(row["data_is_synthetic"]),
        )
    years: set[str] = set()
    for row in _read_csv(folder / "targets.csv"):
        years.add(row["financial_year"])
        save_target(
            actor=None,
            kpi=kpis[row["kpi_code"]],
            org_unit=units[row["org_code"]] if row["org_code"] else None,
            financial_year=row["financial_year"],
            value=float(row["value"]),
            tolerance=float(row["tolerance"] or 0),
            set_by=row["set_by"],
            effective_from=date.fromisoformat(row["effective_from"]),
        )

    users = _load_users(trust, root)
    approver = next(
        (u for u in users if u.role_assignments.filter(role=Role.PERFORMANCE_TEAM).exists()), None
    )
    current_year = FinancialYear.containing(date.fromisoformat(config["data_as_at"])).label
    for year in sorted(years):
        suite = save_suite(actor=None, financial_year=year, kpis=list(kpis.values()))
        if approver is not None and year < current_year:
            approve_suite(actor=approver, suite=suite)

    seed_rating_defaults(actor=None)  # before publishing: the ratings are computed after each publish
    published = _publish_measurements(folder / "measurements.csv", units=units, kpis=kpis, publisher=approver)
    national = load_national_series(folder, config, approver)
    if approver is not None:
        seed_demo_actions(actor=approver, due=date.fromisoformat(config["data_as_at"]))
        seed_demo_relationships(actor=approver, trust=trust)
        owner = next((u for u in users if u.role_assignments.filter(role=Role.EXECUTIVE).exists()), None)
        if trust == "rwd" and owner is not None:
            seed_demo_priorities(actor=approver, owner=owner, today=date.fromisoformat(config["data_as_at"]))
        if trust == "rwd":
            seed_demo_scorecards(actor=approver, today=date.fromisoformat(config["data_as_at"]))
    return DemoResult(trust=root, units=len(units), kpis=len(kpis), published=published, national=national)


def _load_through_the_setup_workbook(trust: str, folder: Path, config: dict[str, str]) -> DemoResult:
    """Set the trust up as a real one is: its configuration built as a setup workbook from its fixtures and
    imported through ``import_setup``'s service, then its people given the demo password and its data
    published as for any demo trust."""
    divisions = {row["name"]: row["code"] for row in _read_csv(folder / "org_units.csv")}
    people = [
        (
            u.username,
            "",
            u.job_title,
            u.job_title,
            u.role,
            u.unit or (divisions[u.division] if u.division else ""),
        )
        for u in DEMO_USERS.get(trust, [])
    ]
    sheets = demo_setup_sheets(folder, people)
    plan = apply_setup(sheets, actor=None, sha256=f"demo-{trust}", name=f"fixtures/{trust}")
    if not plan.ok:
        raise ValueError(
            f"the {trust} demo's setup workbook is refused: {[str(p) for p in plan.problems[:5]]}"
        )
    users = list(User.objects.filter(username__in=[spec.username for spec in DEMO_USERS.get(trust, [])]))
    for user in users:
        if not user.has_usable_password():
            user.set_password(demo_password())
            user.save(update_fields=["password"])
    approver = next(
        (u for u in users if u.role_assignments.filter(role=Role.PERFORMANCE_TEAM).exists()), None
    )
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    kpis = {kpi.code: kpi for kpi in Kpi.objects.all()}
    published = _publish_measurements(folder / "measurements.csv", units=units, kpis=kpis, publisher=approver)
    national = load_national_series(folder, config, approver)
    if approver is not None:
        seed_demo_actions(actor=approver, due=date.fromisoformat(config["data_as_at"]))
    return DemoResult(
        trust=units[config["code"]], units=len(units), kpis=len(kpis), published=published, national=national
    )


def _load_users(trust: str, root: OrgUnit) -> list[User]:
    users = []
    divisions = {u.name: u for u in OrgUnit.objects.filter(parent=root, level=Level.DIVISION)}
    managed = {u.code: u for u in OrgUnit.objects.filter(level__in=[Level.SERVICE, Level.TEAM])}
    for spec in DEMO_USERS.get(trust, []):
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "last_name": spec.job_title,
                "job_title": spec.job_title,
            },
        )
        if created:
            user.set_password(demo_password())
            user.save()
        assign_role(
            actor=None,
            user=user,
            role=spec.role,
            org_unit=managed[spec.unit] if spec.unit else divisions[spec.division] if spec.division else None,
            start=date(2016, 4, 1),
        )
        users.append(user)
    return users


def _publish_measurements(
    path: Path, *, units: dict[str, OrgUnit], kpis: dict[str, Kpi], publisher: User | None
) -> PublishResult:
    """Publish the demo's measurements file as one upload, refused first, as a publish of any upload is,
    when what follows a publish is not set up (``missing_for_publish``: the four rating criteria)."""
    if missing := missing_for_publish():
        raise ValidationError(f"Not published, and nothing written: {' '.join(missing)}")
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    upload = Upload.objects.filter(sha256=sha, status=Upload.Status.PUBLISHED).first()
    frame = pd.read_csv(path, dtype={"kpi_code": str, "org_code": str})
    if upload is None:
        upload = Upload(
            original_name=f"demo {path.parent.name}/{path.name}",
            uploaded_by=publisher,
            sha256=sha,
            status=Upload.Status.PUBLISHED,
            row_count=len(frame),
            months=sorted({m[:10] for m in frame["month"]}),
            progress=100,
            published_at=timezone.now() if publisher else None,
            published_by=publisher,
        )
        upload.file.save(f"demo-{path.parent.name}-{path.name}", ContentFile(content), save=False)
        upload.save()
    frame["kpi_id"] = frame["kpi_code"].map({code: k.pk for code, k in kpis.items()})
    frame["org_unit_id"] = frame["org_code"].map({code: u.pk for code, u in units.items()})
    frame["is_synthetic"] = frame["synthetic"].astype(int).astype(bool)
    missing = frame[frame["kpi_id"].isna() | frame["org_unit_id"].isna()]
    if not missing.empty:
        raise ValueError(
            f"{len(missing)} demo rows name an unknown KPI or unit, e.g. {missing.iloc[0].to_dict()}"
        )
    frame = frame.astype({"kpi_id": int, "org_unit_id": int})
    columns = ["kpi_id", "org_unit_id", "month", "numerator", "denominator", "value", "is_synthetic"]
    return publish_frame(actor=publisher, upload=upload, frame=frame[columns])
