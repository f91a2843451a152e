"""The setup workbook on a page: download the setup, upload a workbook, see its preview, apply it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pmf.permissions import can_import_setup, require, signed_in

from ..forms.workbook import SetupWorkbookForm
from ..models import SetupImport
from ..workbook.imports import apply_setup_import, upload_setup
from ..workbook.report import LISTED
from ..workbook.service import export_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require(can_import_setup)
def workbook(request: HttpRequest) -> HttpResponse:
    form = SetupWorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        kept = upload_setup(
            actor=signed_in(request),
            content=form.cleaned_data["file"],
            name=upload.name if upload is not None and upload.name else "setup.xlsx",
        )
        return redirect("setup-workbook-import", pk=kept.pk)
    imports = SetupImport.objects.select_related("uploaded_by", "applied_by")[:20]
    return render(request, "trust_setup/workbook.html", {"form": form, "imports": imports})


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require(can_import_setup)
def workbook_download(request: HttpRequest) -> HttpResponse:
    """The setup as it is now: the workbook to edit and upload again."""
    return _download(export_xlsx(), f"pmf-setup-{timezone.localdate():%Y-%m-%d}.xlsx")


@require(can_import_setup)
def workbook_template(request: HttpRequest) -> HttpResponse:
    """The sheets and columns with no rows, and the notes sheet that explains each column."""
    return _download(export_xlsx(empty=True), "pmf-setup-template.xlsx")


@require(can_import_setup)
def workbook_import(request: HttpRequest, pk: int) -> HttpResponse:
    """One uploaded workbook's preview (from what was stored at upload: no query grows with the file)."""
    kept = get_object_or_404(SetupImport.objects.select_related("uploaded_by", "applied_by"), pk=pk)
    preview = kept.preview
    sheets = [
        {**sheet, "shown": sheet["changes"][:LISTED], "more": max(0, len(sheet["changes"]) - LISTED)}
        for sheet in preview.get("sheets", [])
    ]
    context = {"kept": kept, "preview": preview, "sheets": sheets, "ready": kept.status == kept.Status.READY}
    return render(request, "trust_setup/workbook_import.html", context)


@require_POST
@require(can_import_setup)
def workbook_apply(request: HttpRequest, pk: int) -> HttpResponse:
    kept = get_object_or_404(SetupImport, pk=pk)
    result = apply_setup_import(actor=signed_in(request), setup_import=kept)
    (messages.success if result.applied else messages.error)(request, result.message)
    return redirect("setup-workbook-import", pk=kept.pk)
