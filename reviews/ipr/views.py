"""The IPR pages: the report for a month, its exception pages, the workflow, the board pack, the public page.

Who may do what (docs/ipr.md): every internal reader reads a published IPR; drafts are for the performance
team and executives; the performance team and executives edit a draft; an executive approves; the
performance team or an executive publishes (the executive lead's approval has already been given); anyone,
signed in or not, reads the public summary of the latest published IPR.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kpis.models import Measurement
from pmf.feedback import tell
from pmf.permissions import can_prepare_ipr, executive, internal_reader, request_access, require, signed_in

from ..models import IprReport
from ..services.ipr import approve_ipr, publish_ipr, save_ipr_draft
from ..tasks import build_ipr_pack_task
from .content import IprContent
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
    context: dict[str, object] = {
        "report": report,
        "month": month,
        "can_prepare": can_prepare_ipr(access),
        "can_approve": executive(access),
        "other_reports": (
            IprReport.objects.all()
            if can_prepare_ipr(access)
            else IprReport.objects.filter(status="published")
        )
        .exclude(month=month)
        .order_by("-month"),
    }
    if content is not None:
        context.update(arranged(content, group_by=request.GET.get("group", "domain"), report=report))
        context["month"] = month
    if report is not None and report.status == IprReport.Status.PUBLISHED:
        context["restated_since"] = restated_since_published(report)
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
    return render(
        request, "reviews/ipr_exceptions.html", {"report": report, **arranged(content, report=report)}
    )


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
        ),
        done="The draft is saved.",
    )
    return redirect("ipr", month=month)


@require_POST
@require(executive)
def ipr_approve(request: HttpRequest, month: date) -> HttpResponse:
    report = get_object_or_404(IprReport, month=month)
    tell(
        request,
        lambda: approve_ipr(actor=signed_in(request), report=report),
        done="Approved: the performance team or an executive can now publish it.",
    )
    return redirect("ipr", month=month)


@require_POST
@require(can_prepare_ipr)
def ipr_publish(request: HttpRequest, month: date) -> HttpResponse:
    report = get_object_or_404(IprReport, month=month)
    tell(
        request,
        lambda: publish_ipr(actor=signed_in(request), report=report),
        done="Published: the snapshot is frozen and the board pack is being built.",
    )
    return redirect("ipr", month=month)


@require_POST
@require(can_prepare_ipr)
def ipr_build_pack(request: HttpRequest, month: date) -> HttpResponse:
    report = get_object_or_404(IprReport, month=month)
    build_ipr_pack_task.delay(report.pk)
    messages.success(request, "The board pack is being built; it appears here when it is ready.")
    return redirect("ipr", month=month)


@require(internal_reader)
def ipr_pack(request: HttpRequest, month: date) -> FileResponse:
    """The PDF board pack: a published one for every reader, a draft's for those who prepare it."""
    report = get_object_or_404(IprReport, month=month)
    if report.status != IprReport.Status.PUBLISHED and not can_prepare_ipr(request_access(request)):
        raise PermissionDenied
    if not report.pdf:
        raise Http404("The board pack has not been built yet.")
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
