"""The dashboard of a division, a service or a team, and the commentary its own people write on its KPIs.
Thin views over ``dashboards.selectors`` and ``kpis.services.commentary``. The templates are the division's
(``divisions/dashboard.html``, ``divisions/commentary.html``), which serve every level."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from divisions.words import request_words
from kpis.models import Kpi
from kpis.views.commentary import commentary_form
from pmf.formatting import format_month
from pmf.periods import parse_month
from pmf.permissions import internal_reader, request_access, require
from reviews.ipr.store import unit_content

from .selectors import dashboard_unit, parents_of, unit_dashboard


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError as error:
        raise Http404(str(error)) from error


@require(internal_reader)
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A division's, service's or team's scorecard by domain, a division's position and why, open actions
    and escalation cases, the units above it and those under it. Every internal reader reads the published
    figures; the work is shown to those whose it is (``dashboards.selectors.unit_dashboard``)."""
    unit = dashboard_unit(code)
    if unit is None:
        raise Http404(f"No division, service or team has the code {code}.")
    access = request_access(request)
    board = unit_dashboard(
        unit, access=access, month=_month(request.GET["month"]) if request.GET.get("month") else None
    )
    words = request_words(request)
    below = board.children[0].level if board.children else ""
    context = {
        "board": board,
        "can_write": access.can_write_for(unit, parents_of(unit)),
        "unit_word": words.level(unit.level),
        "children_word": words.level(below, many=True),
    }
    return render(request, "divisions/dashboard.html", context)


@require(internal_reader)
def commentary(request: HttpRequest, code: str, kpi_code: str, month: str) -> HttpResponse:
    """Write the commentary on one of a unit's KPIs for a month: the division's own triumvirate, the managers
    of the service or team (for it and what is under it) and the performance team only; anyone else gets 403
    and nothing is written."""
    division = dashboard_unit(code)
    if division is None:
        raise Http404(f"No division, service or team has the code {code}.")
    if not request_access(request).can_write_for(division, parents_of(division)):
        raise PermissionDenied
    when = _month(month)
    kpi = get_object_or_404(Kpi, code=kpi_code)
    row = unit_content(when, division).row(kpi.code)
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
