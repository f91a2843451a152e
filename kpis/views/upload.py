"""The monthly data submission pages (performance team only): upload, progress, preview, publish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from divisions.models import OrgUnit
from pmf.exports import csv_response, xlsx_response
from pmf.feedback import tell
from pmf.formatting import format_value
from pmf.periods import parse_month
from pmf.permissions import can_manage_data, require, signed_in

from ..forms import TemplateMonthForm, UploadForm
from ..ingest.problems import PROBLEM_COLUMNS
from ..ingest.reader import COLUMNS
from ..ingest.template import template_frame
from ..models import Kpi, Upload
from ..selectors.ingest import template_month, template_rows
from ..services.queueing import recheck_upload, submit_upload
from ..services.submission import (
    ConfirmResult,
    PublishUploadResult,
    can_recheck,
    confirm_upload,
    publish_upload,
)
from ..upload_words import month_span, who_and_what

R = TypeVar("R")

NUMBER_COLUMNS = ("numerator", "denominator", "value")
# Problems listed on the page; the CSV download has every one.
PROBLEMS_SHOWN = 200
# What a stored warning is about, besides its line in the file.
WHO_COLUMNS = ("kpi_code", "org_code", "month")


@require(can_manage_data)
def upload_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = request.FILES.get("file")  # there: the form is valid
        received = submit_upload(
            actor=signed_in(request),
            content=form.cleaned_data["file"],
            name=upload_file.name if upload_file is not None and upload_file.name else "upload",
        )
        (messages.success if received.created else messages.info)(request, received.message)
        return redirect("upload-detail", pk=received.upload.pk)
    default_month = template_month(today=timezone.localdate())
    context = {
        "form": form,
        "template_form": TemplateMonthForm(initial={"month": default_month.strftime("%Y-%m")}),
        "uploads": [
            (upload, month_span(upload.months))
            for upload in Upload.objects.select_related("uploaded_by")[:50]
        ],
    }
    return render(request, "kpis/upload_list.html", context)


def _template_month(request: HttpRequest) -> date:
    """The month asked for, else the next unpublished one."""
    default_month = template_month(today=timezone.localdate())
    form = TemplateMonthForm(request.GET or {"month": default_month.strftime("%Y-%m")})
    return form.cleaned_data["month"] if form.is_valid() else default_month


@require(can_manage_data)
def upload_template(request: HttpRequest) -> HttpResponse:
    """Every expected KPI × unit row for the month, numbers blank, as CSV."""
    month = _template_month(request)
    frame = template_frame(template_rows(month), month)
    return csv_response(
        filename=f"pmf-template-{month:%Y-%m}.csv", header=list(COLUMNS), rows=frame.itertuples(index=False)
    )


@require(can_manage_data)
def upload_template_xlsx(request: HttpRequest) -> HttpResponse:
    """The same template as an Excel workbook: header frozen, number cells formatted as numbers."""
    month = _template_month(request)
    frame = template_frame(template_rows(month), month)
    return xlsx_response(
        filename=f"pmf-template-{month:%Y-%m}.xlsx",
        header=list(COLUMNS),
        rows=frame.itertuples(index=False),
        number_columns=NUMBER_COLUMNS,
    )


@require(can_manage_data)
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(Upload.objects.select_related("uploaded_by", "published_by"), pk=pk)
    context = {
        "upload": upload,
        "errors": upload.errors[:PROBLEMS_SHOWN],
        "warnings": named(upload.warnings[:PROBLEMS_SHOWN]),
        "months": month_span(upload.months),
        "latest_month": parse_month(max(upload.months)[:7]) if upload.months else None,
        "problems_shown": PROBLEMS_SHOWN,
        "restatements": [
            {**r, "old_text": old, "new_text": new}
            for r in (upload.summary or {}).get("restatements", [])
            for old, new in [told_apart(r["old"], r["new"], r.get("unit", ""))]
        ],
        "running": upload.status in (Upload.Status.RECEIVED, Upload.Status.VALIDATING),
        "can_recheck": can_recheck(upload),
    }
    return render(request, "kpis/upload_detail.html", context)


def named(problems: list[dict]) -> list[dict]:
    """The problems with their KPI's and unit's names, from the codes stored with them (two queries)."""
    kpi_codes = {p.get("kpi_code") for p in problems} - {None, ""}
    org_codes = {p.get("org_code") for p in problems} - {None, ""}
    kpi_names = dict(Kpi.objects.filter(code__in=kpi_codes).values_list("code", "name")) if kpi_codes else {}
    unit_names = (
        dict(OrgUnit.objects.filter(code__in=org_codes).values_list("code", "name")) if org_codes else {}
    )
    return [who_and_what(p, kpi_names=kpi_names, unit_names=unit_names) for p in problems]


def told_apart(old: float, new: float, unit: str) -> tuple[str, str]:
    """Old and new written in the KPI's unit, with enough decimals to show that they differ.

    A restatement below the unit's usual precision (63.41% → 63.44%) would otherwise read
    "63.4% → 63.4%", which explains nothing.

    1. The unit's usual way, if the two differ written so.
    2. Otherwise one more decimal at a time, up to six, until they differ.
    3. Otherwise (seconds are always whole, or a difference past the sixth decimal) the
       numbers as stored.
    """
    usual = format_value(old, unit), format_value(new, unit)
    if usual[0] != usual[1]:
        return usual
    for decimals in range(1, 7):
        finer = format_value(old, unit, decimals=decimals), format_value(new, unit, decimals=decimals)
        if finer[0] != finer[1]:
            return finer
    return repr(float(old)), repr(float(new))


@require(can_manage_data)
def upload_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx; when the check is done the page reloads to show the outcome."""
    upload = get_object_or_404(Upload, pk=pk)
    running = upload.status in (Upload.Status.RECEIVED, Upload.Status.VALIDATING)
    response = render(request, "kpis/_upload_progress.html", {"upload": upload, "running": running})
    if not running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require(can_manage_data)
def upload_problems(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(Upload, pk=pk)
    problems = upload.errors + upload.warnings
    # A warning also says which KPI, unit and month it is about (an error's line may not name real ones).
    columns = [*PROBLEM_COLUMNS, *WHO_COLUMNS]
    return csv_response(
        filename=f"upload-{upload.pk}-problems.csv",
        header=columns,
        rows=([p.get(c) for c in columns] for p in problems),
    )


@require_POST
@require(can_manage_data)
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_upload_step(request, pk, service=confirm_upload, done=_confirmed)


def _take_upload_step(
    request: HttpRequest, pk: int, *, service: Callable[..., R], done: Callable[[R], str]
) -> HttpResponse:
    """Run a submission step (confirm or publish) on the upload, say how it went, and show the upload."""
    upload = get_object_or_404(Upload, pk=pk)
    tell(request, lambda: service(actor=signed_in(request), upload=upload), done=done)
    return redirect("upload-detail", pk=pk)


def _confirmed(result: ConfirmResult) -> str:
    """What confirming wrote, from the confirmation itself (the preview may be older)."""
    superseded = len(result.superseded_uploads)
    replaced = (
        f" They replace the drafts of {superseded} earlier confirmed upload{'s' if superseded != 1 else ''}."
        if superseded
        else ""
    )
    counts = f"{result.new:,} new, {result.restated:,} restated, {result.unchanged:,} unchanged"
    return f"Confirmed as drafts: {counts}.{replaced} Publish to make them visible."


@require_POST
@require(can_manage_data)
def upload_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_upload_step(request, pk, service=publish_upload, done=_published)


def _published(result: PublishUploadResult) -> str:
    values = f"{result.published:,} value{'s' if result.published != 1 else ''}"
    restated = f"{result.restated:,} restatement{'s' if result.restated != 1 else ''}"
    return (
        f"Published {values}{f' ({restated})' if result.restated else ''}. The roll-up is up to date; "
        "the charts, ratings and escalations follow: see After publishing."
    )


@require_POST
@require(can_manage_data)
def upload_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an upload again after its check failed, was lost, or found errors."""
    upload = get_object_or_404(Upload, pk=pk)
    tell(
        request,
        lambda: recheck_upload(actor=signed_in(request), upload=upload),
        done="Checking the file again.",
    )
    return redirect("upload-detail", pk=pk)
