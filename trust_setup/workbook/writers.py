"""Writing one workbook row to the database: each sheet's ``save`` (and, for units and KPIs, ``retire``).

The import service calls these inside its one transaction, in the order of ``sheets.SHEETS`` (a row only
names rows of earlier sheets), after the whole file has passed its checks; it writes the audit event of each
row itself. Each writer validates the model (``full_clean``) as a last guard, so a rule the checks missed
stops the import rather than storing a row the model refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar, cast

from django.db import models
from django.utils import timezone

from divisions.models import (
    Level,
    LevelLabel,
    OrgUnit,
    OrgUnitMove,
    Role,
    RoleAssignment,
    SpecialtyDivision,
    TrustProfile,
)
from divisions.services.roles import performance_group
from escalation.models import Committee
from kpis.models import (
    Domain,
    Kpi,
    KpiRelationship,
    KpiSuite,
    KpiSuiteEntry,
    StrategicObjective,
    Tag,
    Target,
    Trajectory,
)
from pmf.models import User
from pmf.periods import FinancialYear
from reviews.models import Criterion, Freedom, TermsOfReference
from strategy.models import Milestone, Priority

from .stored import KPI_FIELDS, POSITIONS, Row

M = TypeVar("M", bound=models.Model)


@dataclass
class Found:
    """Rows already written or stored, found by their workbook key without a query per look-up.

    Each model's rows are read once, on the first look-up, and every row a writer saves is added, so a
    later sheet finds what an earlier one wrote.
    """

    by_model: dict[type[models.Model], dict[str, Any]] = field(default_factory=dict)

    KEYS = {OrgUnit: "code", Kpi: "code", Domain: "code", StrategicObjective: "code", User: "username"}

    def get(self, model: type[M], key: str) -> M:
        return self._table(model)[key]  # type: ignore[no-any-return]

    def optional(self, model: type[M], key: str) -> M | None:
        return self.get(model, key) if key else None

    def remember(self, instance: models.Model) -> None:
        model = type(instance)
        if model in self.KEYS:
            self._table(model)[getattr(instance, self.KEYS[model])] = instance

    def _table(self, model: type[models.Model]) -> dict[str, Any]:
        if model not in self.by_model:
            self.by_model[model] = {getattr(o, self.KEYS[model]): o for o in model._default_manager.all()}
        return self.by_model[model]

    def trust(self) -> OrgUnit:
        return next(unit for unit in self._table(OrgUnit).values() if unit.level == Level.TRUST)


def upsert_row(model: type[M], *, lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Make the row found by ``lookup`` hold ``values`` (created if there is none), validated, saved."""
    instance = model._default_manager.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean(validate_unique=False)
    instance.save()
    return instance


def _str(row: Row, name: str) -> str:
    return str(row[name] or "")


def save_trust(row: Row, found: Found) -> models.Model:
    trust = upsert_row(
        OrgUnit,
        lookup={"code": row["code"]},
        values={"name": row["name"], "level": Level.TRUST, "parent": None, "active_from": row["active_from"]},
    )
    found.remember(trust)
    if not row["ods_code"]:
        return trust
    names = {str(p): _str(row, f"position_{p}_name") for p in POSITIONS if row[f"position_{p}_name"]}
    profile_fields = ("ods_code", "trust_type", "region_code", "region_name", "icb_code", "icb_name")
    values: dict[str, Any] = {name: row[name] for name in profile_fields}
    values |= {
        "prm_weekday": row["prm_weekday"],
        "prm_week_of_month": row["prm_week_of_month"],
        "position_names": names,
        "review_frequencies": {str(p): row[f"position_{p}_review"] for p in POSITIONS},
    }
    return upsert_row(TrustProfile, lookup={"trust": trust}, values=values)


def save_level_label(row: Row, found: Found) -> models.Model:
    return upsert_row(
        LevelLabel,
        lookup={"trust": found.trust(), "level": row["level"]},
        values={"singular": row["singular"], "plural": row["plural"]},
    )


def save_org_unit(row: Row, found: Found) -> models.Model:
    """A unit by its code; a new parent is recorded as a move effective from ``parent_from``."""
    parent = found.get(OrgUnit, _str(row, "parent"))
    existing = OrgUnit.objects.filter(code=row["code"]).first()
    if existing is not None and existing.parent_id != parent.pk:
        assert existing.parent is not None and isinstance(row["parent_from"], date)  # checked before
        OrgUnitMove.objects.create(
            unit=existing, from_parent=existing.parent, to_parent=parent, effective_from=row["parent_from"]
        )
    unit = upsert_row(
        OrgUnit,
        lookup={"code": row["code"]},
        values={
            "name": row["name"],
            "level": row["level"],
            "parent": parent,
            "active_from": row["active_from"],
            "active_to": row["active_to"],
            "is_synthetic": row["synthetic"],
        },
    )
    found.remember(unit)
    return unit


def retirer(model: type[OrgUnit] | type[Kpi]) -> Callable[[Row, Found], models.Model]:
    """The ``retire`` of a sheet whose rows are never deleted: only the row's ``active_to`` is set."""

    def retire(row: Row, found: Found) -> models.Model:
        instance = found.get(model, _str(row, "code"))
        instance.active_to = cast(date, row["active_to"])  # the plan sets it: the day of the import
        instance.full_clean(validate_unique=False)
        instance.save(update_fields=["active_to"])
        return instance

    return retire


def save_specialty(row: Row, found: Found) -> models.Model:
    return upsert_row(
        SpecialtyDivision,
        lookup={"kind": row["kind"], "code": row["code"]},
        values={"name": row["name"], "division": found.get(OrgUnit, _str(row, "division"))},
    )


def save_user(row: Row, found: Found) -> models.Model:
    """A person by username; someone new gets no password (they sign in once one is set, or by SSO)."""
    username = _str(row, "username")
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
    for name in ("first_name", "last_name", "email", "job_title"):
        setattr(user, name, row[name])
    user.is_active = bool(row["active"])
    user.full_clean(validate_unique=False)
    user.save()
    found.remember(user)
    return user


def save_role(row: Row, found: Found) -> models.Model:
    """A role assignment; the performance team also gets the catalogue admin, as ``assign_role`` gives."""
    user = found.get(User, _str(row, "username"))
    assignment = upsert_row(
        RoleAssignment,
        lookup={
            "user": user,
            "role": row["role"],
            "org_unit": found.optional(OrgUnit, _str(row, "org_unit")),
            "start": row["start"],
        },
        values={"end": row["end"]},
    )
    if row["role"] == Role.PERFORMANCE_TEAM:
        user.groups.add(performance_group())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return assignment


def save_domain(row: Row, found: Found) -> models.Model:
    domain = upsert_row(
        Domain, lookup={"code": row["code"]}, values={"name": row["name"], "order": row["order"]}
    )
    found.remember(domain)
    return domain


def save_objective(row: Row, found: Found) -> models.Model:
    objective = upsert_row(
        StrategicObjective,
        lookup={"code": row["code"]},
        values={"name": row["name"], "description": row["description"]},
    )
    found.remember(objective)
    return objective


def save_kpi(row: Row, found: Found) -> models.Model:
    kpi = upsert_row(
        Kpi,
        lookup={"code": row["code"]},
        values={
            **{name: row[name] for name in KPI_FIELDS},
            "domain": found.get(Domain, _str(row, "domain")),
            "objective": found.optional(StrategicObjective, _str(row, "objective")),
        },
    )
    tags = row["tags"]
    assert isinstance(tags, tuple)
    wanted = {Tag.objects.get_or_create(slug=slug)[0] for slug in tags}
    if set(kpi.tags.all()) != wanted:
        kpi.tags.set(wanted)
    found.remember(kpi)
    return kpi


def approved_at(day: date) -> datetime:
    """When a suite approved on ``day`` (as the workbook gives it) is recorded as approved: noon that day."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def save_suite(row: Row, found: Found) -> models.Model:
    approved = row["status"] == KpiSuite.Status.APPROVED
    day = row["approved_on"]
    return upsert_row(
        KpiSuite,
        lookup={"financial_year": row["financial_year"]},
        values={
            "status": row["status"],
            "approved_by": found.get(User, _str(row, "approved_by")) if approved else None,
            "approved_at": approved_at(day) if approved and isinstance(day, date) else None,
        },
    )


def save_suite_kpi(row: Row, found: Found) -> models.Model:
    return upsert_row(
        KpiSuiteEntry,
        lookup={
            "suite": KpiSuite.objects.get(financial_year=row["financial_year"]),
            "kpi": found.get(Kpi, _str(row, "kpi")),
        },
        values={"is_key": row["is_key"], "definition": row["definition"]},
    )


def save_target(row: Row, found: Found) -> models.Model:
    return upsert_row(
        Target,
        lookup={
            "kpi": found.get(Kpi, _str(row, "kpi")),
            "org_unit": found.optional(OrgUnit, _str(row, "org_unit")),
            "financial_year": row["financial_year"],
            "effective_from": row["effective_from"],
        },
        values={"value": row["value"], "tolerance": row["tolerance"], "set_by": row["set_by"]},
    )


def save_trajectory(row: Row, found: Found) -> models.Model:
    return upsert_row(
        Trajectory,
        lookup={
            "kpi": found.get(Kpi, _str(row, "kpi")),
            "org_unit": found.get(OrgUnit, _str(row, "org_unit")),
            "month": row["month"],
        },
        values={"value": row["value"]},
    )


def save_relationship(row: Row, found: Found) -> models.Model:
    """A relationship as the file gives it, decided now (the import's audit event says by whom)."""
    return upsert_row(
        KpiRelationship,
        lookup={"lead": found.get(Kpi, _str(row, "lead")), "lag": found.get(Kpi, _str(row, "lag"))},
        values={
            "delay_months": row["delay_months"],
            "status": row["status"],
            "rationale": _str(row, "rationale"),
            "decided_at": timezone.now(),
        },
    )


def save_criterion(row: Row, found: Found) -> models.Model:
    tag = Tag.objects.get_or_create(slug=row["tag"])[0] if row["tag"] else None
    return upsert_row(
        Criterion,
        lookup={"code": row["code"]},
        values={
            "name": row["name"],
            "order": row["order"],
            "domain": found.optional(Domain, _str(row, "domain")),
            "tag": tag,
            "key_only": row["key_only"],
            "counts_policy_breaches": row["counts_policy_breaches"],
        },
    )


def save_freedom(row: Row, found: Found) -> models.Model:
    return upsert_row(
        Freedom,
        lookup={"position": row["position"], "name": row["name"]},
        values={"detail": row["detail"], "order": row["order"]},
    )


def save_committee(row: Row, found: Found) -> models.Model:
    return upsert_row(
        Committee,
        lookup={"code": row["code"]},
        values={name: row[name] for name in ("name", "purpose", "order", "meets_weekday", "meets_week")},
    )


def save_terms(row: Row, found: Found) -> models.Model:
    roles = row["essential_roles"]
    assert isinstance(roles, tuple)
    return upsert_row(
        TermsOfReference,
        lookup={"kind": row["kind"]},
        values={
            "purpose": row["purpose"],
            "chair_role": row["chair_role"],
            "essential_roles": list(roles),
            "quorum": row["quorum"],
        },
    )


def _year(row: Row) -> int:
    """A financial year's cell (``2025/26``) as the year it starts."""
    return FinancialYear.parse(_str(row, "financial_year")).start_year


def save_priority(row: Row, found: Found) -> models.Model:
    objectives = "\n".join(part.strip() for part in _str(row, "objectives").split(";") if part.strip())
    priority = upsert_row(
        Priority,
        lookup={"year": _year(row), "title": row["title"]},
        values={
            "description": row["description"],
            "owner": found.get(User, _str(row, "owner")),
            "objectives": objectives,
            "division": found.optional(OrgUnit, _str(row, "division")),
        },
    )
    codes = cast(tuple[str, ...], row["kpis"] or ())
    priority.kpis.set([found.get(Kpi, code) for code in codes])
    return priority


def save_milestone(row: Row, found: Found) -> models.Model:
    return upsert_row(
        Milestone,
        lookup={
            "priority": Priority.objects.get(year=_year(row), title=row["priority"]),
            "title": row["title"],
        },
        values={
            "due_date": row["due_date"],
            "completed_on": row["completed_on"],
            "org_unit": found.optional(OrgUnit, _str(row, "org_unit")),
        },
    )
