"""Template filters that write values, months and dates through ``pmf.formatting``, so a page, a PDF and an
explanation write the same figure the same way."""

from datetime import date

from django import template
from django.utils.safestring import SafeString, mark_safe

from pmf.formatting import format_date, format_delta, format_month, format_value

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
def kpi_delta(value: float | None, unit: str = "") -> str:
    """``{{ change|kpi_delta:k.unit }}``: +2.5 pp, −£12k."""
    return format_delta(value, unit)


@register.filter
def nhs_month(month: date | None) -> str:
    """``{{ m.month|nhs_month }}``: Mar 2026."""
    return format_month(month)


@register.filter
def nhs_date(day: date | None) -> str:
    """``{{ case.opened_on|nhs_date }}``: 31 Mar 2026."""
    return format_date(day)


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
