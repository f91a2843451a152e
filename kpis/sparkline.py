"""A KPI's recent months as a small inline SVG line, drawn on the server (no script: the CSP allows none).

Pure: no Django. The only text in the SVG is the accessible label, which is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

LINE = "#005EB8"  # NHS blue
PLAN = "#768692"  # NHS mid grey
PAD = 2.0


def _scale(value: float, low: float, high: float, height: float) -> float:
    """The y coordinate of ``value``: the top of the box is ``high``, the bottom ``low``."""
    if high == low:
        return height / 2
    return PAD + (high - value) / (high - low) * (height - 2 * PAD)


def sparkline_svg(
    values: Sequence[float | None],
    *,
    plan: float | None = None,
    label: str = "",
    width: int = 120,
    height: int = 28,
) -> str:
    """The line of ``values`` (oldest first), with the plan as a dashed line when given.

    1. Scale to the smallest box holding every value and the plan.
    2. Draw one line per run of consecutive values: a missing month breaks the line rather than joining
       across it, so a gap in the data shows as a gap.
    3. Mark the latest value with a dot, so the eye finds "now".
    An empty series gives an empty box with its label, so the table keeps its shape.
    """
    known = [v for v in values if v is not None]
    title = f"<title>{escape(label)}</title>" if label else ""
    opening = (
        f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label, quote=True)}">{title}'
    )
    if not known:
        return opening + "</svg>"
    low = min([*known, *([plan] if plan is not None else [])])
    high = max([*known, *([plan] if plan is not None else [])])
    step = (width - 2 * PAD) / max(len(values) - 1, 1)
    runs: list[list[str]] = [[]]
    last: tuple[float, float] | None = None
    for i, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        x, y = PAD + i * step, _scale(value, low, high, height)
        runs[-1].append(f"{x:.1f},{y:.1f}")
        last = (x, y)
    parts = [opening]
    if plan is not None:
        y = _scale(plan, low, high, height)
        parts.append(
            f'<line x1="{PAD}" y1="{y:.1f}" x2="{width - PAD}" y2="{y:.1f}" stroke="{PLAN}" '
            'stroke-width="1" stroke-dasharray="3 2"/>'
        )
    for run in runs:
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}" stroke-width="1.5" '
                'stroke-linejoin="round"/>'
            )
    if last is not None:
        parts.append(f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)
