"""The monthly data submission pages (performance team only): upload, progress, preview, publish."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pmf.exports import csv_response, xlsx_response
from pmf.feedback import tell
from pmf.periods import add_months, month_start
from pmf.permissions import can_manage_data, require, signed_in

from .forms import TemplateMonthForm, UploadForm
from .ingest.problems import PROBLEM_COLUMNS
from .ingest.reader import COLUMNS
from .ingest.template import template_frame
from .models import Upload
from .selectors_ingest import expected_rows
from .services.submission import (
    can_recheck,
    confirm_upload,
    publish_upload,
    recheck_upload,
    submit_upload,
)

NUMBER_COLUMNS = ("numerator", "denominator", "value")
# Problems listed on the page; the CSV download has every one.
PROBLEMS_SHOWN = 200


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
    last_month = add_months(month_start(timezone.localdate()), -1)
    context = {
        "form": form,
        "template_form": TemplateMonthForm(initial={"month": last_month.strftime("%Y-%m")}),
        "uploads": Upload.objects.select_related("uploaded_by")[:50],
    }
    return render(request, "kpis/upload_list.html", context)


def _template_month(request: HttpRequest) -> date:
    """The month asked for, else last month."""
    last_month = add_months(month_start(timezone.localdate()), -1)
    form = TemplateMonthForm(request.GET or {"month": last_month.strftime("%Y-%m")})
    return form.cleaned_data["month"] if form.is_valid() else last_month


@require(can_manage_data)
def upload_template(request: HttpRequest) -> HttpResponse:
    """Every expected KPI × unit row for the month, numbers blank, as CSV."""
    month = _template_month(request)
    frame = template_frame(expected_rows([month]), month)
    return csv_response(
        filename=f"pmf-template-{month:%Y-%m}.csv", header=list(COLUMNS), rows=frame.itertuples(index=False)
    )


@require(can_manage_data)
def upload_template_xlsx(request: HttpRequest) -> HttpResponse:
    """The same template as an Excel workbook: header frozen, number cells formatted as numbers."""
    month = _template_month(request)
    frame = template_frame(expected_rows([month]), month)
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
        "warnings": upload.warnings[:PROBLEMS_SHOWN],
        "problems_shown": PROBLEMS_SHOWN,
        "running": upload.status in (Upload.Status.RECEIVED, Upload.Status.VALIDATING),
        "can_recheck": can_recheck(upload),
    }
    return render(request, "kpis/upload_detail.html", context)


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
    return csv_response(
        filename=f"upload-{upload.pk}-problems.csv",
        header=PROBLEM_COLUMNS,
        rows=([p.get(c) for c in PROBLEM_COLUMNS] for p in problems),
    )


@require_POST
@require(can_manage_data)
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(Upload, pk=pk)
    tell(
        request,
        lambda: confirm_upload(actor=signed_in(request), upload=upload),
        done="Confirmed as drafts (the counts are below). Publish to make them visible.",
    )
    return redirect("upload-detail", pk=pk)


@require_POST
@require(can_manage_data)
def upload_publish(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(Upload, pk=pk)
    tell(
        request,
        lambda: publish_upload(actor=signed_in(request), upload=upload),
        done="Published. The roll-up is up to date; the charts and ratings follow within minutes.",
    )
    return redirect("upload-detail", pk=pk)


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
