"""The performance team's page for a month's published file: read, checked, then the upload's own preview."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from divisions.models import TrustProfile
from kpis.models import Upload
from pmf.permissions import can_manage_data, require, signed_in

from .forms_import import NationalFileForm
from .importing import NationalImportError, import_national_files


@require(can_manage_data)
def national_import(request: HttpRequest) -> HttpResponse:
    profile = TrustProfile.objects.first()
    form = NationalFileForm(
        request.POST or None, request.FILES or None, initial={"ods": getattr(profile, "ods_code", "")}
    )
    problems: list[str] = []
    outcomes = []
    if request.method == "POST" and form.is_valid():
        uploaded = request.FILES.get("file")
        name = uploaded.name if uploaded is not None and uploaded.name else "published file"
        try:
            outcomes = import_national_files(
                actor=signed_in(request),
                ods=form.cleaned_data["ods"],
                files=[(name, form.cleaned_data["file"])],
            )
        except NationalImportError as error:
            problems = list(error.messages)
        else:
            outcome = outcomes[0]
            if outcome.upload is not None and outcome.upload.status == Upload.Status.VALID:
                peers = f" Peers: {outcome.peers.summary()}." if outcome.peers is not None else ""
                messages.success(request, f"{outcome.message}{peers}")
                return redirect("upload-detail", pk=outcome.upload.pk)
    national = Upload.objects.exclude(source_file="").select_related("uploaded_by")[:20]
    context = {"form": form, "problems": problems, "outcomes": outcomes, "national_uploads": national}
    return render(request, "national/import.html", context)
