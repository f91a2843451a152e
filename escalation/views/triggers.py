"""What opens an escalation case, KPI by KPI: the list, and one KPI's settings for the performance team."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kpis.models import Kpi
from pmf.permissions import can_read_triggers, can_set_triggers, request_access, require, signed_in

from .. import selectors
from ..forms import TriggerSettingForm
from ..models import TriggerSetting
from ..services.triggers import save_trigger_setting


def _month() -> date:
    return selectors.latest_published_month() or timezone.localdate().replace(day=1)


@require(can_read_triggers)
def trigger_list(request: HttpRequest) -> HttpResponse:
    month = _month()
    context = {
        "rows": selectors.trigger_rows(month),
        "month": month,
        "can_set": can_set_triggers(request_access(request)),
    }
    return render(request, "escalation/trigger_list.html", context)


@require(can_set_triggers)
def trigger_edit(request: HttpRequest, code: str) -> HttpResponse:
    """One KPI's trigger settings; saving them is audited, and a KPI with none starts from the defaults."""
    kpi = get_object_or_404(Kpi, code=code)
    setting = TriggerSetting.objects.filter(kpi=kpi).first() or TriggerSetting(kpi=kpi)
    form = TriggerSettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save_trigger_setting(actor=signed_in(request), kpi=kpi, **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Trigger settings for {kpi.name} saved.")
            return redirect("escalation-triggers")
    return render(request, "escalation/trigger_edit.html", {"kpi": kpi, "form": form})
