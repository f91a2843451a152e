"""The divisional dashboard and the commentary its triumvirate writes on its KPIs. Thin views over
``dashboards.selectors`` and ``kpis.services.commentary``. The templates are the division's
(``divisions/dashboard.html``, ``divisions/commentary.html``)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from divisions.models import Level, OrgUnit
from kpis.models import Commentary, Kpi
from kpis.services.commentary import save_commentary
from pmf.periods import parse_month
from pmf.permissions import internal_reader, request_access, require, signed_in
from reviews.ipr.store import division_content

from .forms import CommentaryForm
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
        raise Http404(f"{division.name} has no published {kpi.name} for {when:%B %Y}.")
    existing = Commentary.objects.filter(kpi=kpi, org_unit=division, month=when).first()
    initial = (
        {name: getattr(existing, name) for name in CommentaryForm.base_fields}
        if existing
        else {"what_the_chart_tells_us": row.sentence}
    )
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_commentary(
                actor=signed_in(request),
                kpi=kpi,
                org_unit=division,
                month=when,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, "; ".join(error.messages))
        else:
            messages.success(request, f"Commentary on {kpi.name} for {when:%B %Y} saved.")
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
