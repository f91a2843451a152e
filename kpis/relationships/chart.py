"""The relationship page's chart: one bar of r per lag with its 95% interval as whiskers, drawn as inline SVG.

Pure: no Django (the CSP allows no script, so it is drawn on the server, as the sparklines are). A lag with
too few paired months has no bar, only the words "too few", so no reader takes an empty bar for r = 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from pmf.formatting import format_number

from .correlation import LagCorrelation

BAR = "#005EB8"  # NHS blue
FAINT = "#768692"  # NHS mid grey: a bar whose interval crosses zero
AXIS = "#425563"
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 420, 220, 44, 12, 36


def _y(r: float) -> float:
    """The y coordinate of ``r`` on the -1 to 1 axis."""
    return TOP + (1 - r) / 2 * (HEIGHT - TOP - BOTTOM)


def correlation_svg(correlations: Sequence[LagCorrelation], *, label: str) -> str:
    """The bars of r at each lag, whiskers for the interval, and the lag's months beneath.

    1. The axis runs from -1 to 1 with a line at 0.
    2. A bar from 0 to r, blue where the interval excludes 0, grey where it does not.
    3. Whiskers from the interval's low to its high end.
    4. "too few" in place of a bar where the lag has fewer paired months than the rule needs.
    """
    slot = (WIDTH - LEFT - 8) / max(len(correlations), 1)
    parts = [
        f'<svg class="correlation-chart" xmlns="http://www.w3.org/2000/svg" '
        f'width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label, quote=True)}">'
        f"<title>{escape(label)}</title>"
    ]
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        y = _y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="{AXIS}" '
            f'stroke-width="{1 if tick == 0 else 0.3}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{AXIS}">'
            f"{format_number(tick, 1)}</text>"
        )
    for i, c in enumerate(correlations):
        middle = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{middle:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
            f'fill="{AXIS}">{c.lag}</text>'
        )
        if c.r is None:
            parts.append(
                f'<text x="{middle:.1f}" y="{_y(0) - 6:.1f}" text-anchor="middle" font-size="10" '
                f'fill="{AXIS}">{"too few" if not c.enough_pairs else "flat"}</text>'
            )
            continue
        top, bottom = sorted((_y(c.r), _y(0)))
        colour = BAR if c.excludes_zero else FAINT
        parts.append(
            f'<rect x="{middle - slot * 0.3:.1f}" y="{top:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{max(bottom - top, 0.5):.1f}" fill="{colour}"/>'
        )
        if c.low is not None and c.high is not None:
            low, high = _y(c.low), _y(c.high)
            parts.append(
                f'<path d="M{middle:.1f} {low:.1f}V{high:.1f}M{middle - 5:.1f} {low:.1f}h10'
                f'M{middle - 5:.1f} {high:.1f}h10" stroke="#212B32" stroke-width="1.2" fill="none"/>'
            )
    parts.append(
        f'<text x="{(LEFT + WIDTH) / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" font-size="11" '
        f'fill="{AXIS}">Lag (months the lag KPI is read after the lead)</text></svg>'
    )
    return "".join(parts)
