"""The IPR workflow: draft → approved (an executive) → published (frozen snapshot, board pack, public page).

Every step is audited. Publishing stores everything the report shows as its snapshot, so what the Board saw
can be shown again after the figures behind it are restated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pmf.formatting import format_month
from pmf.models import User
from pmf.periods import add_months
from pmf.services.audit import record_audit, snapshot, update_audited

from ..ipr.content import IprContent, ReportWords
from ..ipr.store import draft_ipr_content
from ..models import IprReport
from .pdf_jobs import BOARD_PACK_PRINT, owe_pdf

WORKFLOW_FIELDS = ["status", "approved_by_id", "approved_at", "published_by_id", "published_at"]
TEXT_FIELDS = ["executive_summary", "lead_director", "recommendation", "board_meeting"]


def _audit(*, actor: User, report: IprReport, verb: str, before: dict | None, fields: list[str]) -> None:
    record_audit(
        actor=actor,
        verb=verb,
        object_type=IprReport._meta.label,
        object_id=report.pk,
        before=before,
        after=snapshot(report, ["month", *fields]),
    )


@transaction.atomic
def save_ipr_draft(
    *,
    actor: User,
    month: date,
    executive_summary: str,
    lead_director: str,
    recommendation: str,
    board_meeting: date | None = None,
) -> IprReport:
    """Start or edit the month's draft. Editing an approved report sends it back to draft for re-approval.

    ``board_meeting`` is the day of the Trust Board meeting the report goes to, when it is known: after the
    month the report gives the figures of."""
    report = IprReport.objects.select_for_update().filter(month=month).first()
    if report is not None and report.status == IprReport.Status.PUBLISHED:
        raise ValidationError("A published IPR cannot be changed: what the Board saw is kept as it was.")
    if board_meeting is not None and board_meeting < add_months(month, 1):
        raise ValidationError(
            f"The Board meeting must fall after {format_month(month)}, "
            "the month the report gives figures for."
        )
    before = snapshot(report, ["month", *TEXT_FIELDS, *WORKFLOW_FIELDS]) if report else None
    report = report or IprReport(month=month)
    report.executive_summary = executive_summary.strip()
    report.lead_director = lead_director.strip()
    report.recommendation = recommendation.strip()
    report.board_meeting = board_meeting
    verb = "created" if before is None else "updated"
    if report.status == IprReport.Status.APPROVED:
        report.status, report.approved_at, report.approved_by = IprReport.Status.DRAFT, None, None
        verb = "returned to draft"
    report.full_clean()
    report.save()
    _audit(actor=actor, report=report, verb=verb, before=before, fields=[*TEXT_FIELDS, *WORKFLOW_FIELDS])
    return report


def _missing_commentary(content: IprContent, step: str) -> tuple[str, dict[str, Any] | None]:
    """The note and the audit record of ``step`` for the key commentary missing then (none, nothing): the
    page asked first and the person chose to go on (`reviews.ipr.views`)."""
    rows = content.rows(content.summary.missing_commentary)
    if not rows:
        return "", None
    names = "; ".join(f"{r.name} ({r.code})" for r in rows)
    why = f"{step} with commentary missing on {len(rows)} key KPI(s) off plan: {names}"
    return why, {"commentary_missing": [r.code for r in rows]}


@transaction.atomic
def approve_ipr(*, actor: User, report: IprReport) -> IprReport:
    """The executive lead approves the draft for publication; the key commentary still missing, if any, is
    recorded with the approval."""
    report = IprReport.objects.select_for_update().get(pk=report.pk)
    if report.status != IprReport.Status.DRAFT:
        raise ValidationError(f"Only a draft can be approved; this IPR is {report.status}.")
    why, missing = _missing_commentary(draft_ipr_content(report.month), "Approved")
    update_audited(
        report,
        actor=actor,
        verb="approved",
        why=why,
        context=missing,
        audited=["month", *WORKFLOW_FIELDS],
        status=IprReport.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
    )
    return report


@transaction.atomic
def publish_ipr(*, actor: User, report: IprReport) -> IprReport:
    """Publish an approved IPR: freeze its content as the snapshot, then build the board pack.

    1. Only an approved report can be published, once.
    2. Read the month's content as it stands, with the exception charts, and store it with the executive
       summary, lead director and recommendation as the snapshot; the key commentary still missing, if
       any, is recorded with the publication.
    3. Owe the PDF board pack: a worker prints it after the commit (a JobRun records it).
    """
    report = IprReport.objects.select_for_update().get(pk=report.pk)
    if report.status != IprReport.Status.APPROVED:
        raise ValidationError(f"Only an approved IPR can be published; this IPR is {report.status}.")
    now = timezone.now()
    words = ReportWords(
        executive_summary=report.executive_summary,
        lead_director=report.lead_director,
        recommendation=report.recommendation,
        approved_by=str(report.approved_by),
        approved_at=report.approved_at.isoformat() if report.approved_at else None,
        published_by=str(actor),
        published_at=now.isoformat(),
    )
    content = replace(draft_ipr_content(report.month, with_figures=True), report=words)
    why, missing = _missing_commentary(content, "Published")
    update_audited(
        report,
        actor=actor,
        verb="published",
        why=why,
        context=missing,
        audited=["month", *WORKFLOW_FIELDS],
        status=IprReport.Status.PUBLISHED,
        published_at=now,
        published_by=actor,
        snapshot=content.to_json(),
    )
    owe_pdf(BOARD_PACK_PRINT, report_id=report.pk)
    return report
