"""Template tag for a KPI's sparkline: `{% load sparklines %}{% sparkline values plan=k.plan label="…" %}`."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from kpis.sparkline import sparkline_svg

register = template.Library()


@register.simple_tag
def sparkline(values: list | None, plan: float | None = None, label: str = "") -> SafeString:
    # The SVG is built from numbers; its only text, the label, is escaped by sparkline_svg.
    return mark_safe(sparkline_svg(values or [], plan=plan, label=label))  # noqa: S308  # nosec
