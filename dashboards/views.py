"""The divisional dashboard and the commentary its triumvirate writes on its KPIs. Thin views over
``dashboards.selectors`` and ``kpis.services.commentary``. The templates are the division's
(``divisions/dashboard.html``, ``divisions/commentary.html``)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from divisions.models import Level, OrgUnit
from kpis.models import Kpi
from kpis.views.commentary import commentary_form
from pmf.formatting import format_month
from pmf.periods import parse_month
from pmf.permissions import internal_reader, request_access, require
from reviews.ipr.store import division_content

from .selectors import division_dashboard, parents_of


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError as error:
        raise Http404(str(error)) from error


@require(internal_reader)
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The division's scorecard by domain, position and why, open actions and escalation cases."""
    division = get_object_or_404(OrgUnit, code=code, level=Level.DIVISION)
    access = request_access(request)
    board = division_dashboard(
        division, access=access, month=_month(request.GET["month"]) if request.GET.get("month") else None
    )
    context = {"board": board, "can_write": access.can_write_for(division, parents_of(division))}
    return render(request, "divisions/dashboard.html", context)


@require(internal_reader)
def commentary(request: HttpRequest, code: str, kpi_code: str, month: str) -> HttpResponse:
    """Write the commentary on one of the division's KPIs for a month: its own triumvirate and the
    performance team only; anyone else gets 403 and nothing is written."""
    division = get_object_or_404(OrgUnit, code=code, level=Level.DIVISION)
    if not request_access(request).can_write_for(division, parents_of(division)):
        raise PermissionDenied
    when = _month(month)
    kpi = get_object_or_404(Kpi, code=kpi_code)
    row = division_content(when, division).row(kpi.code)
    if row is None:
        raise Http404(f"{division.name} has no published {kpi.name} for {format_month(when)}.")
    form, existing, saved = commentary_form(
        request, kpi=kpi, unit=division, month=when, sentence=row.sentence
    )
    if saved:
        messages.success(request, f"Commentary on {kpi.name} for {format_month(when)} saved.")
        url = reverse("division-dashboard", args=[division.code])
        return redirect(f"{url}?month={when:%Y-%m}#kpi-{kpi.code}")
    context = {
        "division": division,
        "kpi": kpi,
        "row": row,
        "month": when,
        "form": form,
        "existing": existing,
    }
    return render(request, "divisions/commentary.html", context)
