"""The commentary form one page or another offers on a KPI for a unit and month: a division's triumvirate
on its dashboard (``dashboards``), the KPI's owner from the Board's IPR (``reviews.ipr``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from divisions.models import OrgUnit
from pmf.permissions import signed_in

from ..forms import CommentaryForm
from ..models import Commentary, Kpi
from ..services.commentary import save_commentary


def commentary_form(
    request: HttpRequest, *, kpi: Kpi, unit: OrgUnit, month: date, sentence: str
) -> tuple[CommentaryForm, Commentary | None, bool]:
    """The form on ``kpi`` for ``unit`` and ``month``, the commentary it replaces, and whether a POST saved.

    The form starts from the commentary already written, or, with none, from the chart's ``sentence``. A
    valid POST is saved through ``save_commentary`` (audited); a refusal is put on the form in words.
    """
    existing = Commentary.objects.filter(kpi=kpi, org_unit=unit, month=month).select_related("author").first()
    initial = (
        {name: getattr(existing, name) for name in CommentaryForm.base_fields}
        if existing
        else {"what_the_chart_tells_us": sentence}
    )
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return form, existing, False
    try:
        save_commentary(actor=signed_in(request), kpi=kpi, org_unit=unit, month=month, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, "; ".join(error.messages))
        return form, existing, False
    return form, existing, True
