"""Template tags for the SPC icons: `{% load spc_icons %}`.

{% spc_variation_icon series.variation_icon %}
{% spc_assurance_icon series.assurance size=32 %}
{% include "_components/spc_icons.html" with variation_icon=... assurance=... %}
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from kpis.icons import assurance_icon_svg, variation_icon_svg

register = template.Library()


# The SVG is drawn by kpis.icons from fixed shapes; the only text in it (labels and letters) is escaped there,
# so marking it safe cannot let markup through.


@register.simple_tag
def spc_variation_icon(icon: str | None, size: int = 48) -> SafeString:
    return mark_safe(variation_icon_svg(icon or None, size=int(size)))  # noqa: S308  # nosec


@register.simple_tag
def spc_assurance_icon(assurance: str | None, size: int = 48) -> SafeString:
    return mark_safe(assurance_icon_svg(assurance or None, size=int(size)))  # noqa: S308  # nosec
