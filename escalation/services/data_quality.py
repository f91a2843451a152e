"""The data-quality issue log: raised by hand at the weekly DQ meeting or from validation warnings, worked
by the performance team, and escalated to the monthly Data Quality Assurance Group when unresolved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from divisions.models import OrgUnit
from kpis.models import Kpi, Upload
from pmf.periods import month_label
from pmf.services.audit import Actor, record_change, update_audited

from ..models import DataQualityIssue

# Unresolved after two weekly DQ meetings, an issue goes to the monthly DQAG.
DQAG_AFTER_DAYS = 14
EDITABLE = [
    "description",
    "owner",
    "status",
    "resolution",
    "escalated_to_dqag",
    "escalated_at",
    "resolved_at",
]


@transaction.atomic
def raise_issue(
    *,
    actor: Actor,
    description: str,
    owner: str = "",
    kpi: Kpi | None = None,
    org_unit: OrgUnit | None = None,
    month: date | None = None,
) -> DataQualityIssue:
    """Log an issue raised by hand (at the weekly data-quality meeting)."""
    if not description.strip():
        raise ValidationError("Describe the issue.")
    issue = DataQualityIssue.objects.create(
        description=description.strip(),
        owner=owner.strip(),
        kpi=kpi,
        org_unit=org_unit,
        month=month.replace(day=1) if month else None,
        raised_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_change(actor=actor, instance=issue, before=None, verb="raised data-quality issue")
    return issue


@transaction.atomic
def raise_issues_from_warnings(
    *, upload: Upload, warnings: Iterable[Mapping[str, Any]] | None = None, actor: Actor = None
) -> list[DataQualityIssue]:
    """Log one issue per validation warning of ``upload`` (default: ``upload.warnings``); return the new ones.

    Each warning is a problem record (``row``, ``column``, ``value``, ``code``, ``reason``); optional keys
    ``kpi_code``, ``org_code`` and ``month`` (YYYY-MM or ISO date) link the issue to its KPI, unit and month.
    An issue is raised once per upload, row, column and check, so calling this again is a no-op.
    """
    records = list(upload.warnings if warnings is None else warnings)
    codes = {r.get("kpi_code") for r in records} | {r.get("org_code") for r in records}
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=[c for c in codes if c])}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[c for c in codes if c])}
    created = []
    for record in records:
        key = f"upload:{upload.pk}:{record.get('row')}:{record.get('column', '')}:{record.get('code', '')}"
        key += f":{record.get('value', '')}"[:60]
        key = key[:200]
        if DataQualityIssue.objects.filter(source_key=key).exists():
            continue
        month_text = str(record.get("month") or "")
        issue = DataQualityIssue.objects.create(
            description=_describe_warning(upload, record),
            source=DataQualityIssue.Source.VALIDATION,
            source_key=key,
            upload=upload,
            kpi=kpis.get(str(record.get("kpi_code") or "")),
            org_unit=units.get(str(record.get("org_code") or "")),
            month=date.fromisoformat(month_text[:7] + "-01") if month_text else None,
            raised_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_change(actor=actor, instance=issue, before=None, verb="raised data-quality issue")
        created.append(issue)
    return created


def no_data_key(kpi: Kpi, unit: OrgUnit, month: date) -> str:
    return f"no-data:{unit.code}:{kpi.code}:{month:%Y-%m}"[:200]


@transaction.atomic
def record_missing_data(
    *,
    missing: Iterable[tuple[Kpi, OrgUnit, date]],
    present: Iterable[tuple[Kpi, OrgUnit, date]],
    actor: Actor = None,
) -> tuple[list[DataQualityIssue], list[DataQualityIssue]]:
    """Log "no data" (DESIGN §4.3) and clear it once the data has come; return (raised, resolved).

    1. Each (KPI, unit, month) in ``missing`` had no value where one was expected: one issue, raised once.
    2. An open "no data" issue whose (KPI, unit, month) is in ``present`` now has its value: it is resolved,
       saying so. Issues someone has already resolved stay as they are.
    """
    missing, present = list(missing), list(present)
    months = {month for _, _, month in missing + present}
    logged = {
        issue.source_key: issue
        for issue in DataQualityIssue.objects.filter(source=DataQualityIssue.Source.NO_DATA, month__in=months)
    }
    raised = []
    for kpi, unit, month in missing:
        if no_data_key(kpi, unit, month) in logged:
            continue
        new = DataQualityIssue.objects.create(
            description=f"No data for {kpi.name} ({kpi.code}) at {unit.name} for {month_label(month)},"
            " though the KPI was reported that month.",
            source=DataQualityIssue.Source.NO_DATA,
            source_key=no_data_key(kpi, unit, month),
            kpi=kpi,
            org_unit=unit,
            month=month,
        )
        record_change(actor=actor, instance=new, before=None, verb="raised data-quality issue")
        raised.append(new)
    resolved = []
    for kpi, unit, month in present:
        issue = logged.get(no_data_key(kpi, unit, month))
        if issue is None or issue.status == DataQualityIssue.Status.RESOLVED:
            continue
        update_audited(
            issue,
            actor=actor,
            verb="updated",
            audited=EDITABLE,
            only_if_changed=True,
            status=DataQualityIssue.Status.RESOLVED,
            resolved_at=timezone.now(),
            resolution=f"The value for {month_label(month)} has been published.",
        )
        resolved.append(issue)
    return raised, resolved


def _describe_warning(upload: Upload, record: Mapping[str, Any]) -> str:
    where = f"row {record['row']}" if record.get("row") not in (None, "") else "the file"
    value = f" ({record['value']})" if record.get("value") else ""
    return f"{upload.original_name}, {where}{value}: {record.get('reason', 'validation warning')}"


@transaction.atomic
def update_issue(
    *,
    issue: DataQualityIssue,
    actor: Actor,
    status: str,
    owner: str,
    resolution: str = "",
    escalate_to_dqag: bool = False,
) -> DataQualityIssue:
    """Change an issue's owner and status; resolving needs a resolution; escalating to the DQAG is kept."""
    if status not in DataQualityIssue.Status.values:
        raise ValidationError(f"Unknown status {status!r}.")
    if status == DataQualityIssue.Status.RESOLVED and not resolution.strip():
        raise ValidationError("Say how the issue was resolved.")
    resolved = status == DataQualityIssue.Status.RESOLVED
    changes: dict[str, Any] = {
        "status": status,
        "owner": owner.strip(),
        "resolution": resolution.strip(),
        "resolved_at": (issue.resolved_at or timezone.now()) if resolved else None,
    }
    if escalate_to_dqag and not issue.escalated_to_dqag:
        changes |= {"escalated_to_dqag": True, "escalated_at": timezone.now()}
    update_audited(issue, actor=actor, verb="updated", audited=EDITABLE, only_if_changed=True, **changes)
    return issue


@transaction.atomic
def escalate_unresolved_issues(*, today: date, after_days: int = DQAG_AFTER_DAYS) -> list[DataQualityIssue]:
    """The daily check: issues still unresolved ``after_days`` after they were raised go to the DQAG."""
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=after_days), time.min))
    due = DataQualityIssue.objects.filter(escalated_to_dqag=False, raised_at__lt=cutoff).exclude(
        status=DataQualityIssue.Status.RESOLVED
    )
    escalated = []
    for issue in due:
        update_audited(
            issue,
            actor=None,
            verb="escalated to DQAG",
            why=f"Unresolved {after_days} days after it was raised.",
            escalated_to_dqag=True,
            escalated_at=timezone.now(),
        )
        escalated.append(issue)
    return escalated
