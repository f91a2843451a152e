"""The setup as it is stored, one list of rows per sheet, each row a dict of the sheet's column values.

Each reader is one or two queries whatever the size of the trust; the rows are in workbook terms (codes and
usernames, not ids), so they compare directly with the rows read from a file (``plan``).
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from divisions.models import Level, LevelLabel, OrgUnit, OrgUnitMove, RoleAssignment, SpecialtyDivision
from divisions.review_frequencies import default_review_frequencies
from escalation.models import Committee
from kpis.models import (
    Domain,
    Kpi,
    KpiRelationship,
    KpiSuite,
    KpiSuiteEntry,
    StrategicObjective,
    Target,
    Trajectory,
)
from pmf.models import User
from reviews.models import Criterion, Freedom, TermsOfReference
from strategy.models import Milestone, Priority

from .columns import Value

Row = dict[str, Value]
POSITIONS = (1, 2, 3, 4)


def _code(unit: OrgUnit | None) -> str:
    return unit.code if unit is not None else ""


def trust_rows() -> list[Row]:
    rows = []
    for trust in OrgUnit.objects.filter(level=Level.TRUST).select_related("profile"):
        profile = getattr(trust, "profile", None)
        names = profile.position_names if profile is not None else {}
        # a trust with no profile is reviewed as DESIGN §4.5 says, and its row says so
        often = profile.review_frequencies if profile is not None else default_review_frequencies()
        rows.append(
            {
                "code": trust.code,
                "name": trust.name,
                "active_from": trust.active_from,
                "ods_code": profile.ods_code if profile else "",
                "trust_type": profile.trust_type if profile else "",
                "region_code": profile.region_code if profile else "",
                "region_name": profile.region_name if profile else "",
                "icb_code": profile.icb_code if profile else "",
                "icb_name": profile.icb_name if profile else "",
                "prm_weekday": profile.prm_weekday if profile else None,
                "prm_week_of_month": profile.prm_week_of_month if profile else None,
                **{f"position_{p}_name": str(names.get(str(p), "")) for p in POSITIONS},
                **{f"position_{p}_review": often[str(p)] for p in POSITIONS},
            }
        )
    return rows


def level_label_rows() -> list[Row]:
    labels = LevelLabel.objects.filter(trust__level=Level.TRUST)
    return [{"level": label.level, "singular": label.singular, "plural": label.plural} for label in labels]


def org_unit_rows() -> list[Row]:
    moved = dict(
        OrgUnitMove.objects.values("unit_id")
        .annotate(last=Max("effective_from"))
        .values_list("unit_id", "last")
    )
    units = OrgUnit.objects.exclude(level=Level.TRUST).select_related("parent")
    return [
        {
            "code": unit.code,
            "name": unit.name,
            "level": unit.level,
            "parent": _code(unit.parent),
            "parent_from": moved.get(unit.pk),
            "active_from": unit.active_from,
            "active_to": unit.active_to,
            "synthetic": unit.is_synthetic,
        }
        for unit in units
    ]


def specialty_rows() -> list[Row]:
    return [
        {"kind": split.kind, "code": split.code, "name": split.name, "division": split.division.code}
        for split in SpecialtyDivision.objects.select_related("division")
    ]


def user_rows() -> list[Row]:
    return [
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "job_title": user.job_title,
            "active": user.is_active,
        }
        for user in User.objects.all()
    ]


def role_rows() -> list[Row]:
    return [
        {
            "username": assignment.user.username,
            "role": assignment.role,
            "org_unit": _code(assignment.org_unit),
            "start": assignment.start,
            "end": assignment.end,
        }
        for assignment in RoleAssignment.objects.select_related("user", "org_unit")
    ]


def domain_rows() -> list[Row]:
    return [{"code": d.code, "name": d.name, "order": d.order} for d in Domain.objects.all()]


def objective_rows() -> list[Row]:
    return [
        {"code": o.code, "name": o.name, "description": o.description}
        for o in StrategicObjective.objects.all()
    ]


KPI_FIELDS = (
    "name",
    "definition",
    "numerator_definition",
    "denominator_definition",
    "unit",
    "direction",
    "aggregation",
    "source",
    "national_guidance_ref",
    "is_key",
    "lead_or_lag",
    "frequency",
    "reporting_level",
    "owner",
    "data_owner",
    "spc_rule_set",
    "data_is_synthetic",
    "plausible_min",
    "plausible_max",
    "active_from",
    "active_to",
)


def kpi_rows() -> list[Row]:
    kpis = Kpi.objects.select_related("domain", "objective").prefetch_related("tags")
    return [
        {
            "code": kpi.code,
            **{name: getattr(kpi, name) for name in KPI_FIELDS},
            "domain": kpi.domain.code,
            "objective": kpi.objective.code if kpi.objective else "",
            "tags": tuple(sorted(tag.slug for tag in kpi.tags.all())),
        }
        for kpi in kpis
    ]


def suite_rows() -> list[Row]:
    return [
        {
            "financial_year": suite.financial_year,
            "status": suite.status,
            "approved_by": suite.approved_by.username if suite.approved_by else "",
            "approved_on": timezone.localdate(suite.approved_at) if suite.approved_at else None,
        }
        for suite in KpiSuite.objects.select_related("approved_by")
    ]


def suite_kpi_rows() -> list[Row]:
    return [
        {
            "financial_year": entry.suite.financial_year,
            "kpi": entry.kpi.code,
            "is_key": entry.is_key,
            "definition": entry.definition,
        }
        for entry in KpiSuiteEntry.objects.select_related("suite", "kpi")
    ]


def target_rows() -> list[Row]:
    return [
        {
            "kpi": target.kpi.code,
            "org_unit": _code(target.org_unit),
            "financial_year": target.financial_year,
            "effective_from": target.effective_from,
            "value": target.value,
            "tolerance": target.tolerance,
            "set_by": target.set_by,
        }
        for target in Target.objects.select_related("kpi", "org_unit")
    ]


def trajectory_rows() -> list[Row]:
    return [
        {"kpi": t.kpi.code, "org_unit": t.org_unit.code, "month": t.month, "value": t.value}
        for t in Trajectory.objects.select_related("kpi", "org_unit")
    ]


def relationship_rows() -> list[Row]:
    return [
        {
            "lead": r.lead.code,
            "lag": r.lag.code,
            "delay_months": r.delay_months,
            "status": r.status,
            "rationale": r.rationale,
        }
        for r in KpiRelationship.objects.select_related("lead", "lag")
    ]


def criterion_rows() -> list[Row]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "order": c.order,
            "domain": c.domain.code if c.domain else "",
            "tag": c.tag.slug if c.tag else "",
            "key_only": c.key_only,
            "counts_policy_breaches": c.counts_policy_breaches,
        }
        for c in Criterion.objects.select_related("domain", "tag")
    ]


def freedom_rows() -> list[Row]:
    return [
        {"position": f.position, "name": f.name, "detail": f.detail, "order": f.order}
        for f in Freedom.objects.all()
    ]


def committee_rows() -> list[Row]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "purpose": c.purpose,
            "order": c.order,
            "meets_weekday": c.meets_weekday,
            "meets_week": c.meets_week,
        }
        for c in Committee.objects.all()
    ]


def terms_rows() -> list[Row]:
    return [
        {
            "kind": t.kind,
            "purpose": t.purpose,
            "chair_role": t.chair_role,
            "essential_roles": tuple(sorted(t.essential_roles)),
            "quorum": t.quorum,
        }
        for t in TermsOfReference.objects.all()
    ]


def priority_rows() -> list[Row]:
    """The Board's priorities; their objectives, one a line when stored, are written separated by ``;``."""
    return [
        {
            "financial_year": p.year_label,
            "title": p.title,
            "description": p.description,
            "owner": p.owner.username,
            "objectives": "; ".join(line.strip() for line in p.objectives.splitlines() if line.strip()),
            "division": _code(p.division),
            "kpis": tuple(sorted(k.code for k in p.kpis.all())),
        }
        for p in Priority.objects.select_related("owner", "division").prefetch_related("kpis")
    ]


def milestone_rows() -> list[Row]:
    return [
        {
            "financial_year": m.priority.year_label,
            "priority": m.priority.title,
            "title": m.title,
            "due_date": m.due_date,
            "completed_on": m.completed_on,
            "org_unit": _code(m.org_unit),
        }
        for m in Milestone.objects.select_related("priority", "org_unit")
    ]
