"""A data pack's page and its PDF: the page shows the print under way, failed or done; the download serves
the stored file, and the performance team asks for a print (`reviews.services.pdf_jobs`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pmf.permissions import can_prepare_packs, can_read_meetings, request_access, require

from ..meeting_forms import PackEditForm
from ..services.packs import pack_context
from ..services.pdf_jobs import PACK_PRINT, latest_print, owe_pdf
from .meetings import _pack_for


@require(can_read_meetings)
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The data pack as a web page; the performance team edits its lines of enquiry here until issue."""
    p = _pack_for(request, pk)
    form = PackEditForm(
        initial={"lines": "\n".join(line["text"] for line in p.lines_of_enquiry), "risks": p.risks}
    )
    context = pack_context(p)
    return render(
        request,
        "reviews/pack.html",
        {
            **context,
            "form": form,
            "can_manage": can_prepare_packs(request_access(request)),
            "pack_print": latest_print(PACK_PRINT, pack_id=p.pk),
        },
    )


@require(can_read_meetings)
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored PDF (the frozen snapshot as issued, or as circulated, or a draft as printed); a worker
    prints it, never this request: with none stored yet, the pack page says it is being printed."""
    p = _pack_for(request, pk)
    if not p.pdf:
        messages.info(request, "The PDF is being printed; its link appears here when it is ready.")
        return redirect("pack", pk=p.meeting_id)
    return FileResponse(
        p.pdf.open("rb"),
        filename=f"pack-{p.meeting.division.code}-{p.meeting.scheduled_for:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


@require_POST
@require(can_prepare_packs)
def pack_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Owe a print of the pack as it stands (a draft to check, or a failed print) and return at once."""
    p = _pack_for(request, pk)
    last = latest_print(PACK_PRINT, pack_id=p.pk)
    if last is None or last.status != last.Status.RUNNING:
        owe_pdf(PACK_PRINT, pack_id=p.pk)
    return redirect("pack", pk=p.meeting_id)
