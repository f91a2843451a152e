"""Template tags for the SPC icons: `{% load spc_icons %}`.

{% spc_variation_icon series.variation_icon %}
{% spc_assurance_icon series.assurance size=32 %}
{% spc_icons series.variation_icon series.assurance 28 %}  (the pair, side by side)

On a page the icon is inline SVG. In a printed report (a context with ``printing``) it is an image named
for `kpis.printing`: drawn once and placed wherever it recurs, where inline SVG is laid out afresh each time.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kpis.icons import assurance_icon_svg, icon_spec, variation_icon_svg
from kpis.printing import icon_src

register = template.Library()


# The SVG is drawn by kpis.icons from fixed shapes; the only text in it (labels and letters) is escaped there,
# so marking it safe cannot let markup through.


def _printed(kind: str, key: str | None, size: int) -> SafeString:
    return format_html(
        '<img class="spc-icon" src="{}" style="width: {}px; height: {}px" alt="{}">',
        icon_src(kind, key),
        size,
        size,
        icon_spec(kind, key).label,
    )


@register.simple_tag(takes_context=True)
def spc_variation_icon(context: template.Context, icon: str | None, size: int = 48) -> SafeString:
    if context.get("printing"):
        return _printed("variation", icon or None, int(size))
    return mark_safe(variation_icon_svg(icon or None, size=int(size)))  # noqa: S308  # nosec


@register.simple_tag(takes_context=True)
def spc_assurance_icon(context: template.Context, assurance: str | None, size: int = 48) -> SafeString:
    if context.get("printing"):
        return _printed("assurance", assurance or None, int(size))
    return mark_safe(assurance_icon_svg(assurance or None, size=int(size)))  # noqa: S308  # nosec


@register.simple_tag(takes_context=True)
def spc_icons(
    context: template.Context, variation_icon: str | None, assurance: str | None, size: int = 48
) -> SafeString:
    """Both icons side by side: a tag rather than an included template, because a scorecard draws a pair in
    each of hundreds of rows."""
    return format_html(
        '<span class="spc-icons">{}{}</span>',
        spc_variation_icon(context, variation_icon, size),
        spc_assurance_icon(context, assurance, size),
    )
