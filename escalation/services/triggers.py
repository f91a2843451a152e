"""A KPI's trigger settings: what opens a case on it, and how the triggers and de-escalation are tuned."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kpis.models import Kpi
from pmf.services.audit import Actor, record_change, snapshot

from ..models import TriggerSetting
from ..models.cases import TRIGGER_SETTING_FIELDS as SETTING_FIELDS
from ..rules import TriggerSettings


@transaction.atomic
def save_trigger_setting(*, actor: Actor, kpi: Kpi, **values: Any) -> TriggerSetting:
    """Set ``kpi``'s own trigger settings (the fields of ``SETTING_FIELDS``), audited before and after.

    1. The values are checked as the rules check them, so nothing the rules would refuse is saved.
    2. A KPI with no settings yet gets a row (audited as created); a row saved unchanged writes no event.
    """
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(f"Not a trigger setting: {', '.join(sorted(unknown))}.")
    setting = TriggerSetting.objects.select_for_update().filter(kpi=kpi).first()
    before = snapshot(setting, SETTING_FIELDS) if setting is not None else None
    setting = setting or TriggerSetting(kpi=kpi)
    for name, value in values.items():
        setattr(setting, name, value)
    try:
        TriggerSettings(**{name: getattr(setting, name) for name in SETTING_FIELDS})
    except ValueError as error:
        raise ValidationError(str(error)) from error
    setting.save()
    record_change(
        actor=actor,
        instance=setting,
        before=before,
        verb="escalation triggers set",
        note=f"Trigger settings for {kpi.code}",
    )
    return setting
