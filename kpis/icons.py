"""The variation and assurance icons, drawn as inline SVG.

In the spirit of the Making Data Count icons, drawn afresh: a ring in the icon's colour around a letter, so an
icon reads the same without colour. Variation: "C" common cause; "H" or "L" for a special cause with high or
low values, with an arrow above (high) or below (low) the letter, and a "+" for improvement or a "!" for
concern beside it (nothing for a measure with no preferred direction). Assurance: "P" pass, "F" fail, "?" hit
or miss. Letters are drawn in a darker shade of the ring colour, so they meet WCAG AA contrast on white.

Every icon is an image to assistive technology, with an `aria-label` and a `<title>` that say what it means.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# Making Data Count colours, and a darker shade of each for letters and outlines: the shades have at least
# 4.5:1 contrast with white (WCAG AA), where the light hues alone have about 2.5:1. Charts use this palette.
IMPROVEMENT = "#00B0F0"
CONCERN = "#E46C0A"
COMMON_CAUSE = "#A6A6A6"
NEITHER = "#490092"
IMPROVEMENT_DARK = "#00658A"
CONCERN_DARK = "#9A4500"
COMMON_CAUSE_DARK = "#595959"
FONT = "Arial, Helvetica, sans-serif"


@dataclass(frozen=True, slots=True)
class IconSpec:
    """What one icon shows: its meaning in words, its colours, its letter and its marks."""

    label: str
    ring: str
    ink: str
    letter: str
    # +1 an arrow above the letter (high values), -1 below (low values), 0 none.
    arrow: int = 0
    # "+" improvement, "!" concern, "" neither.
    mark: str = ""


VARIATION_ICONS: dict[str, IconSpec] = {
    "common_cause": IconSpec("Common cause variation", COMMON_CAUSE, COMMON_CAUSE_DARK, "C"),
    "improvement_high": IconSpec(
        "Special cause variation — improvement (high values)", IMPROVEMENT, IMPROVEMENT_DARK, "H", 1, "+"
    ),
    "improvement_low": IconSpec(
        "Special cause variation — improvement (low values)", IMPROVEMENT, IMPROVEMENT_DARK, "L", -1, "+"
    ),
    "concern_high": IconSpec(
        "Special cause variation — concern (high values)", CONCERN, CONCERN_DARK, "H", 1, "!"
    ),
    "concern_low": IconSpec(
        "Special cause variation — concern (low values)", CONCERN, CONCERN_DARK, "L", -1, "!"
    ),
    "neutral_high": IconSpec(
        "Special cause variation — neither improvement nor concern (high values)", NEITHER, NEITHER, "H", 1
    ),
    "neutral_low": IconSpec(
        "Special cause variation — neither improvement nor concern (low values)", NEITHER, NEITHER, "L", -1
    ),
}
NO_VARIATION_ICON = IconSpec(
    "No variation icon: not enough data points for process limits yet", "#AEB7BD", "#4C6272", "–"
)

ASSURANCE_ICONS: dict[str, IconSpec] = {
    "consistent_pass": IconSpec(
        "Assurance — the process will consistently meet the target", IMPROVEMENT, IMPROVEMENT_DARK, "P"
    ),
    "consistent_fail": IconSpec(
        "Assurance — the process will consistently fail to meet the target", CONCERN, CONCERN_DARK, "F"
    ),
    "inconsistent": IconSpec(
        "Assurance — hit or miss: the process will sometimes meet and sometimes miss the target",
        COMMON_CAUSE,
        COMMON_CAUSE_DARK,
        "?",
    ),
}
NO_ASSURANCE_ICON = IconSpec(
    "No assurance icon: no target to assess, or no process limits yet", "#AEB7BD", "#4C6272", "–"
)


def _svg(spec: IconSpec, *, kind: str, key: str, size: int) -> str:
    """Draw one icon on a 48 × 48 grid, scaled to `size` pixels."""
    label = html.escape(spec.label, quote=True)
    dashed = ' stroke-dasharray="4 3"' if spec.letter == "–" else ""
    # With a "+" or "!" beside it the letter moves left to make room.
    letter_x = 20 if spec.mark else 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 48 48" '
        f'role="img" aria-label="{label}" focusable="false" class="spc-icon spc-icon-{kind} spc-icon-{key}">',
        f"<title>{html.escape(spec.label)}</title>",
        f'<circle cx="24" cy="24" r="21" fill="#FFFFFF" stroke="{spec.ring}" stroke-width="3.5"{dashed}/>',
    ]
    if spec.arrow > 0:
        parts.append(f'<polygon points="24,7 29.5,13.5 18.5,13.5" fill="{spec.ring}"/>')
    elif spec.arrow < 0:
        parts.append(f'<polygon points="24,41 29.5,34.5 18.5,34.5" fill="{spec.ring}"/>')
    parts.append(
        f'<text x="{letter_x}" y="31" text-anchor="middle" font-family="{FONT}" font-size="20" '
        f'font-weight="700" fill="{spec.ink}">{html.escape(spec.letter)}</text>'
    )
    if spec.mark:
        parts.append(
            f'<text x="34" y="28" text-anchor="middle" font-family="{FONT}" font-size="17" '
            f'font-weight="700" fill="{spec.ink}">{html.escape(spec.mark)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def icon_spec(kind: str, key: str | None) -> IconSpec:
    """What the icon shows: ``kind`` "variation" (an `SpcResult.variation_icon` such as "concern_low") or
    "assurance" (an `SpcResult.assurance` such as "consistent_fail"); None is the placeholder."""
    icons, placeholder = (
        (VARIATION_ICONS, NO_VARIATION_ICON) if kind == "variation" else (ASSURANCE_ICONS, NO_ASSURANCE_ICON)
    )
    if key is None:
        return placeholder
    try:
        return icons[key]
    except KeyError:
        raise ValueError(f"unknown {kind} icon {key!r}") from None


def variation_icon_svg(icon: str | None, *, size: int = 48) -> str:
    """The variation icon for an `SpcResult.variation_icon` ("concern_low", ...); None draws a placeholder."""
    spec = icon_spec("variation", icon)
    return _svg(spec, kind="variation", key=(icon or "none").replace("_", "-"), size=size)


def assurance_icon_svg(assurance: str | None, *, size: int = 48) -> str:
    """The assurance icon for an `SpcResult.assurance` ("consistent_fail", ...); None draws a placeholder."""
    spec = icon_spec("assurance", assurance)
    return _svg(spec, kind="assurance", key=(assurance or "none").replace("_", "-"), size=size)
