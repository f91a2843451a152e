"""Writing the KPI owner's commentary for a month (audited, one row per KPI, unit and month)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from divisions.models import OrgUnit
from pmf.models import User
from pmf.services.records import upsert

from ..models import Commentary, Kpi


def save_commentary(
    *,
    actor: User,
    kpi: Kpi,
    org_unit: OrgUnit,
    month: date,
    what_the_chart_tells_us: str = "",
    issues: str = "",
    actions: str = "",
    mitigations: str = "",
    recovery_date: date | None = None,
) -> Commentary:
    """Create or replace the commentary on ``kpi`` for ``org_unit`` and ``month``, written by ``actor``."""
    texts = {
        "what_the_chart_tells_us": what_the_chart_tells_us.strip(),
        "issues": issues.strip(),
        "actions": actions.strip(),
        "mitigations": mitigations.strip(),
    }
    if not any(texts.values()):
        raise ValidationError("Write at least one part of the commentary.")
    commentary, _ = upsert(
        Commentary,
        actor=actor,
        lookup={"kpi": kpi, "org_unit": org_unit, "month": month},
        values={**texts, "recovery_date": recovery_date, "author": actor},
    )
    return commentary
