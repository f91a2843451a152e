"""Formatting KPI values the way NHS reports write them."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

OUTCOME_LABELS = {
    "met": "✓ Met",
    "within_tolerance": "≈ Within tolerance",
    "not_met": "✗ Not met",
    "no_data": "? No data",
    "not_assessed": "– Not assessed",
}


@register.filter
def kpi_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "currency":
        return f"£{intcomma(round(value))}k"
    if unit == "seconds":
        minutes, seconds = divmod(round(value), 60)
        return f"{minutes}:{seconds:02d}"
    if unit in ("count",):
        return intcomma(round(value))
    return f"{value:,.2f}"


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
