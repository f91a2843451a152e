"""Template filters that write values, months and dates through ``pmf.formatting``, so a page, a PDF and an
explanation write the same figure the same way."""

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from pmf.formatting import (
    format_date,
    format_datetime,
    format_delta,
    format_estimate,
    format_month,
    format_value,
    format_weekday_date,
)
from pmf.words import TrustWords

register = template.Library()

OUTCOME_LABELS = {
    "met": "✓ Met",
    "within_tolerance": "≈ Within tolerance",
    "not_met": "✗ Not met",
    "no_data": "? No data",
    "not_assessed": "– Not assessed",
}


@register.filter
def kpi_value(value: float | None, unit: str = "") -> str:
    """``{{ k.value|kpi_value:k.unit }}``: 63.4%, £1,250k, 1:06:40; an en dash for no value."""
    return format_value(value, unit)


@register.filter
def kpi_estimate(value: float | None, unit: str = "") -> str:
    """``{{ f.most_likely|kpi_estimate:k.unit }}``: a forecast, counts whole (85,506); an en dash for none."""
    return format_estimate(value, unit)


@register.filter
def kpi_delta(value: float | None, unit: str = "") -> str:
    """``{{ change|kpi_delta:k.unit }}``: +2.5 pp, −£12k."""
    return format_delta(value, unit)


@register.filter
def kpi_gap(value: float | None, unit: str = "") -> str:
    """``{{ distance|kpi_gap:k.unit }}``: the size of a difference, no sign: 2.5 pp, £12k, 0:45."""
    return format_delta(value, unit, signed=False)


def _local(moment: date | str | None) -> date | None:
    """A date as it is; a moment in the reader's time zone (as Django's own ``date`` filter shows it); an ISO
    date or moment read from a stored snapshot; None for nothing (an empty string included)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment) if moment.strip() else None
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


@register.filter
def nhs_month(month: date | str | None) -> str:
    """``{{ m.month|nhs_month }}``: Mar 2026."""
    return format_month(_local(month))


@register.filter
def nhs_date(day: date | str | None) -> str:
    """``{{ case.opened_on|nhs_date }}``: 31 Mar 2026 (a moment: the day it fell on, locally)."""
    return format_date(_local(day))


@register.filter
def nhs_weekday_date(day: date | str | None) -> str:
    """``{{ meeting.scheduled_for|nhs_weekday_date }}``: Tue 14 Apr 2026."""
    return format_weekday_date(_local(day))


@register.filter
def nhs_datetime(moment: datetime | str | None) -> str:
    """``{{ upload.uploaded_at|nhs_datetime }}``: 31 Mar 2026, 14:05, in local time."""
    local = _local(moment)
    if local is not None and not isinstance(local, datetime):
        return format_date(local)
    return format_datetime(local)


@register.simple_tag(takes_context=True)
def position_name(context: dict[str, Any], position: int | None) -> str:
    """``{% position_name r.effective_position %}``: what the trust calls the position ("Performing (earned
    freedoms)"), from the ``trust_words`` every page has; the DESIGN §4.5 name where it named none."""
    words = context.get("trust_words") or TrustWords()
    return str(words.position_name(position))


@register.filter
def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(str(outcome), str(outcome))


POINT_TYPE_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause — improvement",
    "special_cause_concern": "Special cause — concern",
    "special_cause_neutral_high": "Special cause — high",
    "special_cause_neutral_low": "Special cause — low",
}


@register.filter
def point_type_label(point_type: str) -> str:
    return POINT_TYPE_LABELS.get(point_type, point_type)


@register.simple_tag
def synthetic_badge() -> SafeString:
    """The badge on a figure generated for demonstration rather than published."""
    # Fixed markup, no data in it.
    return mark_safe(  # noqa: S308  # nosec
        '<span class="badge badge-synthetic" title="Generated for demonstration: not published figures">'
        "Synthetic</span>"
    )
