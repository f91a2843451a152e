"""The KPI page: a unit's SPC chart, its icons and what it tells us."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from divisions.models import OrgUnit
from pmf.permissions import internal_reader, request_access, require, signed_in

from ..forms import RecalculationForm
from ..models import Kpi
from ..relationships.selectors import related_indicators
from ..selectors import kitemark_rows, units_with_chart
from ..selectors.sources import imported_from, official_file_notes
from ..services.spc import record_recalculation
from ..unit_chart import unit_chart
from .static import plotly_js_version


@require(internal_reader)
def kpi_chart(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    kpi = get_object_or_404(Kpi.objects.select_related("domain", "objective"), code=code)
    unit = get_object_or_404(OrgUnit, code=unit_code)
    access = request_access(request)
    form = RecalculationForm(request.POST or None)
    if request.method == "POST":
        if not access.can_manage_data:
            raise PermissionDenied
        if form.is_valid():
            try:
                record_recalculation(
                    actor=signed_in(request),
                    kpi=kpi,
                    org_unit_id=unit.pk,
                    month=form.cleaned_data["month"],
                    reason=form.cleaned_data["reason"],
                )
            except (ValidationError, IntegrityError) as error:
                message = (
                    "; ".join(getattr(error, "messages", []))
                    or "The chart is already recalculated from that month."
                )
                form.add_error(None, message)
            else:
                messages.success(
                    request, "Recalculation recorded; the chart now has new limits from that month."
                )
                return redirect("kpi-chart", code=kpi.code, unit_code=unit.code)

    chart = unit_chart(kpi, unit)
    data = chart.data
    context = {
        "kpi": kpi,
        "unit": unit,
        "data": data,
        "form": form,
        "can_recalculate": access.can_manage_data,
        "units": units_with_chart(kpi),
        "kitemark": kitemark_rows(kpi),
        "related": related_indicators(kpi, unit),
        "plotly_js_version": plotly_js_version(),
    }
    if data.latest is not None:
        context["imported"] = next(
            (i for i in imported_from(unit.pk, data.latest.month) if i.code == kpi.code), None
        )
        context["source_notes"] = official_file_notes(
            unit.pk, up_to=data.latest.month, kpi_id=kpi.pk, national_code=kpi.national_code or kpi.code
        )
    if chart.result is not None:
        context.update(result=chart.result, sentence=chart.sentence, chart=chart.html)
    return render(request, "kpis/kpi_chart.html", context)
