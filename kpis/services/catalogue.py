"""Maintaining the KPI catalogue, targets and the suite agreed each financial year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pmf.models import User
from pmf.periods import FinancialYear
from pmf.services.audit import Actor, record_audit
from pmf.services.records import upsert

from ..models import Domain, Kpi, KpiSuite, KpiSuiteEntry, StrategicObjective, Tag, Target


def save_domain(*, actor: Actor, code: str, name: str, order: int) -> Domain:
    domain, _ = upsert(Domain, actor=actor, lookup={"code": code}, values={"name": name, "order": order})
    return domain


def save_objective(*, actor: Actor, code: str, name: str, description: str = "") -> StrategicObjective:
    objective, _ = upsert(
        StrategicObjective,
        actor=actor,
        lookup={"code": code},
        values={"name": name, "description": description},
    )
    return objective


@transaction.atomic
def save_kpi(*, actor: Actor, code: str, tags: list[str], **fields: Any) -> Kpi:
    """Create or update a KPI by code; ``fields`` are model fields, ``tags`` slugs."""
    kpi, _ = upsert(Kpi, actor=actor, lookup={"code": code}, values=fields)
    wanted = {Tag.objects.get_or_create(slug=slug)[0] for slug in tags}
    if set(kpi.tags.all()) != wanted:
        before = sorted(t.slug for t in kpi.tags.all())
        kpi.tags.set(wanted)
        record_audit(
            actor=actor,
            verb="tagged",
            object_type=Kpi._meta.label,
            object_id=kpi.pk,
            before={"tags": before},
            after={"tags": sorted(t.slug for t in wanted)},
        )
    return kpi


def save_target(
    *,
    actor: Actor,
    kpi: Kpi,
    org_unit: Any,
    financial_year: str,
    value: float,
    tolerance: float,
    set_by: str,
    effective_from: date,
) -> Target:
    FinancialYear.parse(financial_year)  # refuses a malformed year with a clear message
    target, _ = upsert(
        Target,
        actor=actor,
        lookup={
            "kpi": kpi,
            "org_unit": org_unit,
            "financial_year": financial_year,
            "effective_from": effective_from,
        },
        values={"value": value, "tolerance": tolerance, "set_by": set_by},
    )
    return target


@transaction.atomic
def save_suite(*, actor: Actor, financial_year: str, kpis: list[Kpi]) -> KpiSuite:
    """Put ``kpis`` in the draft suite for the year, recording each one's definition and key flag."""
    FinancialYear.parse(financial_year)
    suite, _ = upsert(KpiSuite, actor=actor, lookup={"financial_year": financial_year}, values={})
    if suite.status == KpiSuite.Status.APPROVED:
        return suite  # an agreed suite is history: it is never rewritten
    for kpi in kpis:
        upsert(
            KpiSuiteEntry,
            actor=actor,
            lookup={"suite": suite, "kpi": kpi},
            values={"is_key": kpi.is_key, "definition": kpi.definition},
        )
    return suite


@transaction.atomic
def approve_suite(*, actor: User, suite: KpiSuite) -> KpiSuite:
    """Agree the year's suite: who approved it and when are recorded, and from then on it is not edited."""
    if suite.status == KpiSuite.Status.APPROVED:
        return suite
    if not suite.entries.exists():
        raise ValidationError(f"The {suite.financial_year} suite has no KPIs: add them before approving it.")
    suite.status = KpiSuite.Status.APPROVED
    suite.approved_at = timezone.now()
    suite.approved_by = actor
    suite.save(update_fields=["status", "approved_at", "approved_by"])
    record_audit(
        actor=actor,
        verb="approved",
        object_type=KpiSuite._meta.label,
        object_id=suite.pk,
        after={"financial_year": suite.financial_year, "kpis": suite.entries.count()},
    )
    return suite
