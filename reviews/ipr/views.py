"""The IPR pages: the report for a month, its exception pages, the workflow, the board pack, the public page.

Who may do what (docs/ipr.md): every internal reader reads a published IPR; drafts are for the performance
team and executives; the performance team and executives edit a draft; an executive approves; the
performance team or an executive publishes (the executive lead's approval has already been given); anyone,
signed in or not, reads the public summary of the latest published IPR. The trust-level commentary on an
exception is written from the draft by the performance team and executives (the KPI's owner is an executive
lead); approving or publishing with key commentary missing asks first, and going on is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from divisions.selectors import default_trust
from kpis.models import Kpi, Measurement
from kpis.views.commentary import commentary_form
from pmf.feedback import tell
from pmf.formatting import format_month
from pmf.permissions import (
    Access,
    can_prepare_ipr,
    can_write_trust_commentary,
    executive,
    internal_reader,
    request_access,
    require,
    signed_in,
)

from ..models import IprReport
from ..services.ipr import approve_ipr, publish_ipr, save_ipr_draft
from ..services.pdf_jobs import BOARD_PACK_PRINT, latest_print, owe_pdf
from .content import IprContent, IprKpiRow
from .selectors import arranged, restated_since_published
from .store import draft_ipr_content


def _report(month: date) -> IprReport | None:
    return IprReport.objects.select_related("approved_by", "published_by").filter(month=month).first()


def _shown(
    request: HttpRequest, month: date, *, with_figures: bool
) -> tuple[IprReport | None, IprContent | None]:
    """The report and its content for this reader: the snapshot once published, the stored live content
    for a draft (only to those who prepare it; `reviews.ipr.store`), nothing for anyone else."""
    report = _report(month)
    if report is not None and report.status == IprReport.Status.PUBLISHED:
        return report, IprContent.from_json(report.snapshot) if report.snapshot else None
    if can_prepare_ipr(request_access(request)):
        return report, draft_ipr_content(month, with_figures=with_figures)
    return report, None


def _visible_reports(access: Access) -> QuerySet[IprReport]:
    """The reports this reader may open, newest first: every one for those who prepare them, else the
    published ones."""
    reports = (
        IprReport.objects.all() if can_prepare_ipr(access) else IprReport.objects.filter(status="published")
    )
    return reports.order_by("-month")


@require(internal_reader)
def ipr_latest(request: HttpRequest) -> HttpResponse:
    """The latest IPR this reader may see: the latest published month, or, for those who prepare it, the
    latest month with published data."""
    latest = IprReport.objects.filter(status=IprReport.Status.PUBLISHED).order_by("-month").first()
    month = latest.month if latest else None
    if can_prepare_ipr(request_access(request)):
        newest = Measurement.objects.filter(status=Measurement.Status.PUBLISHED).order_by("-month").first()
        if newest is not None and (month is None or newest.month > month):
            month = newest.month
    if month is None:
        return render(request, "reviews/ipr_none.html", {})
    return redirect("ipr", month=month)


@require(internal_reader)
def ipr(request: HttpRequest, month: date) -> HttpResponse:
    """The IPR for a month: summary, highlights, matrix, scorecard, exceptions, forecasts, data notes."""
    report, content = _shown(request, month, with_figures=False)
    access = request_access(request)
    other_reports = list(_visible_reports(access).exclude(month=month))
    context: dict[str, object] = {
        "report": report,
        "month": month,
        "can_prepare": can_prepare_ipr(access),
        "can_approve": executive(access),
        "other_reports": other_reports,
        "previous_report": next((r for r in other_reports if r.month < month), None),
        "next_report": next((r for r in reversed(other_reports) if r.month > month), None),
        "write_commentary": _may_write_commentary(access, report),
    }
    if content is not None:
        context.update(arranged(content, group_by=request.GET.get("group", "domain"), report=report))
        context["month"] = month
    if report is not None and report.status == IprReport.Status.PUBLISHED:
        context["restated_since"] = restated_since_published(report)
    if report is not None:
        context["board_pack_print"] = latest_print(BOARD_PACK_PRINT, report_id=report.pk)
    return render(request, "reviews/ipr.html", context)


@require(internal_reader)
def ipr_matrix(request: HttpRequest, month: date) -> HttpResponse:
    """The SPC summary matrix on its own page: every KPI in its cell, each linked to its chart."""
    report, content = _shown(request, month, with_figures=False)
    if content is None:
        raise Http404("This IPR has not been published.")
    return render(request, "reviews/ipr_matrix.html", {"report": report, **arranged(content, report=report)})


@require(internal_reader)
def ipr_exceptions(request: HttpRequest, month: date) -> HttpResponse:
    """One page per exception: the chart with target and trajectory, what it tells us, the commentary."""
    report, content = _shown(request, month, with_figures=True)
    if content is None:
        raise Http404("This IPR has not been published.")
    context = {
        "report": report,
        "write_commentary": _may_write_commentary(request_access(request), report),
        **arranged(content, report=report),
    }
    return render(request, "reviews/ipr_exceptions.html", context)


@require(internal_reader)
def ipr_archive(request: HttpRequest) -> HttpResponse:
    """Every month's IPR this reader may open, newest first, with its board pack."""
    reports = _visible_reports(request_access(request)).select_related("published_by")
    return render(request, "reviews/ipr_archive.html", {"reports": reports})


def _may_write_commentary(access: Access, report: IprReport | None) -> bool:
    """The trust commentary is written on a draft: a published report's snapshot is what the Board saw."""
    published = report is not None and report.status == IprReport.Status.PUBLISHED
    return can_write_trust_commentary(access) and not published


@require(can_write_trust_commentary)
def ipr_commentary(request: HttpRequest, month: date, code: str) -> HttpResponse:
    """The trust-level commentary on one KPI of the month's IPR, by its owner, an executive or the
    performance team (audited by ``save_commentary``). Once the IPR is published nothing is written: the
    page says so and links to the report."""
    report = _report(month)
    kpi = get_object_or_404(Kpi, code=code)
    row = draft_ipr_content(month).row(kpi.code)
    trust = default_trust()
    if row is None or trust is None:
        raise Http404(f"The trust has no published {kpi.name} for {format_month(month)}.")
    if not _may_write_commentary(request_access(request), report):
        context = {"kpi": kpi, "row": row, "month": month, "trust": trust, "published": True}
        return render(
            request, "reviews/ipr_commentary.html", context, status=409 if request.method == "POST" else 200
        )
    form, existing, saved = commentary_form(request, kpi=kpi, unit=trust, month=month, sentence=row.sentence)
    if saved:
        messages.success(request, f"The trust commentary on {kpi.name} for {format_month(month)} is saved.")
        return redirect(f"{reverse('ipr', kwargs={'month': month})}#exception-{kpi.code}")
    context = {"kpi": kpi, "row": row, "month": month, "trust": trust, "form": form, "existing": existing}
    return render(request, "reviews/ipr_commentary.html", context)


def _asked_first(request: HttpRequest, month: date, *, step: str) -> HttpResponse | None:
    """The confirmation page when key KPIs off plan still have no commentary at any level and the person
    has not yet chosen to go on; None when nothing is missing or they have (the service audits it)."""
    if request.POST.get("go_on_without_commentary") == "yes":
        return None
    content = draft_ipr_content(month)
    missing: list[IprKpiRow] = content.rows(content.summary.missing_commentary)
    if not missing:
        return None
    context = {
        "month": month,
        "missing": missing,
        "step": step,
        "action": reverse(f"ipr-{step}", kwargs={"month": month}),
        "write_commentary": can_write_trust_commentary(request_access(request)),
    }
    return render(request, "reviews/ipr_confirm.html", context)


def _day_month_year(request: HttpRequest, name: str) -> date | None:
    """The date typed into the ``name`` day, month and year fields; None when all three are blank."""
    parts = [request.POST.get(f"{name}_{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return None
    try:
        day, month, year = (int(part) for part in parts)
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            "Enter the day of the Board meeting as a real day, month and year, for example 25 9 2025."
        ) from None


@require_POST
@require(can_prepare_ipr)
def ipr_save(request: HttpRequest, month: date) -> HttpResponse:
    tell(
        request,
        lambda: save_ipr_draft(
            actor=signed_in(request),
            month=month,
            executive_summary=request.POST.get("executive_summary", ""),
            lead_director=request.POST.get("lead_director", ""),
            recommendation=request.POST.get("recommendation", ""),
            board_meeting=_day_month_year(request, "board_meeting"),
        ),
        done="The draft is saved.",
    )
    return redirect("ipr", month=month)


@require_POST
@require(executive)
def ipr_approve(request: HttpRequest, month: date) -> HttpResponse:
    return _take_workflow_step(request, month, step="approve")


@require_POST
@require(can_prepare_ipr)
def ipr_publish(request: HttpRequest, month: date) -> HttpResponse:
    return _take_workflow_step(request, month, step="publish")


@dataclass(frozen=True)
class _WorkflowStep:
    asks_from: IprReport.Status  # the status from which missing key commentary is asked about first
    service: Callable[..., IprReport]
    done: str


_WORKFLOW_STEPS = {
    "approve": _WorkflowStep(
        IprReport.Status.DRAFT,
        approve_ipr,
        "Approved: the performance team or an executive can now publish it.",
    ),
    "publish": _WorkflowStep(
        IprReport.Status.APPROVED,
        publish_ipr,
        "Published: the snapshot is frozen and the board pack is being built.",
    ),
}


def _take_workflow_step(request: HttpRequest, month: date, *, step: str) -> HttpResponse:
    """Approve or publish the month's report: from the step's ``asks_from`` status the confirmation page
    comes first when key commentary is missing (``_asked_first``); otherwise the service runs and says how it
    went."""
    workflow = _WORKFLOW_STEPS[step]
    report = get_object_or_404(IprReport, month=month)
    if report.status == workflow.asks_from and (asked := _asked_first(request, month, step=step)):
        return asked
    tell(request, lambda: workflow.service(actor=signed_in(request), report=report), done=workflow.done)
    return redirect("ipr", month=month)


@require_POST
@require(can_prepare_ipr)
def ipr_build_pack(request: HttpRequest, month: date) -> HttpResponse:
    """Owe a print of the board pack (unless one is under way) and return at once: a worker prints it."""
    report = get_object_or_404(IprReport, month=month)
    last = latest_print(BOARD_PACK_PRINT, report_id=report.pk)
    if last is None or last.status != last.Status.RUNNING:
        owe_pdf(BOARD_PACK_PRINT, report_id=report.pk)
    messages.success(request, "The board pack is being printed; it appears here when it is ready.")
    return redirect("ipr", month=month)


@require(internal_reader)
def ipr_pack(request: HttpRequest, month: date) -> HttpResponseBase:
    """The PDF board pack: a published one for every reader, a draft's for those who prepare it."""
    report = get_object_or_404(IprReport, month=month)
    if report.status != IprReport.Status.PUBLISHED and not can_prepare_ipr(request_access(request)):
        raise PermissionDenied
    if not report.pdf:  # never printed in a request
        messages.info(request, "The board pack is being printed; its link appears here when it is ready.")
        return redirect("ipr", month=month)
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=f"IPR board pack {month:%B %Y}.pdf",
        content_type="application/pdf",
    )


def public_ipr(request: HttpRequest) -> HttpResponse:
    """The summary of the latest published IPR, for the public: no sign-in (DESIGN §1, YAS)."""
    report = IprReport.objects.filter(status=IprReport.Status.PUBLISHED).order_by("-month").first()
    context: dict[str, object] = {"report": report}
    if report is not None and report.snapshot:
        context.update(arranged(IprContent.from_json(report.snapshot)))
        context["restated_since"] = restated_since_published(report)
    return render(request, "reviews/ipr_public.html", context)
