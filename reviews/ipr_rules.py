"""The rules that arrange the Board's Integrated Performance Report (DESIGN §4.8). Pure: no Django.

- `place(variation_icon, assurance)`: a KPI's cell in the 3 × 3 SPC summary matrix, and why.
- `is_exception(...)`: which KPIs get an exception page.
- `needs_commentary(...)`: which key KPIs must have their owner's commentary.
- `improved(...)`: what goes under "what improved" in the highlight report.

The matrix rows are variation (concern, common cause, improvement) and its columns assurance (fail,
hit or miss, pass), both worst first, so the top-left cell is "special cause concern and consistently
failing" and reading the matrix left to right, top to bottom reads it concern-first.

Where a KPI has no icon of its own, it is placed by these rules, and the cell shows a note saying so:

1. A special cause on a KPI with no preferred direction ("neutral high/low") is neither a concern nor an
   improvement: it goes in the **common cause** row, noted "special cause, no direction".
2. Too few points for process limits (no variation icon) goes in the **common cause** row, noted
   "too few points".
3. No assurance icon — no target, a neutral KPI, or no process limits yet — goes in the **hit or miss**
   column: nothing assures that the target will be met, nor that it will be missed. Noted "no target" or
   "no limits".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VariationClass = Literal["concern", "common_cause", "improvement"]
AssuranceClass = Literal["fail", "inconsistent", "pass"]

VARIATION_ROWS: tuple[VariationClass, ...] = ("concern", "common_cause", "improvement")
ASSURANCE_COLUMNS: tuple[AssuranceClass, ...] = ("fail", "inconsistent", "pass")
VARIATION_LABELS: dict[VariationClass, str] = {
    "concern": "Special cause concern",
    "common_cause": "Common cause",
    "improvement": "Special cause improvement",
}
ASSURANCE_LABELS: dict[AssuranceClass, str] = {
    "fail": "Consistently fail",
    "inconsistent": "Hit or miss",
    "pass": "Consistently pass",
}
OFF_PLAN = ("not_met", "within_tolerance", "no_data")


@dataclass(frozen=True, slots=True)
class Placement:
    variation: VariationClass
    assurance: AssuranceClass
    note: str = ""

    @property
    def sort_key(self) -> tuple[int, int]:
        """Concern first, then failing assurance first: the order the Board reads the matrix in."""
        return VARIATION_ROWS.index(self.variation), ASSURANCE_COLUMNS.index(self.assurance)


def place(variation_icon: str | None, assurance: str | None, *, has_limits: bool = True) -> Placement:
    """The matrix cell of a KPI from its stored icons (see the module docstring for the placing rules)."""
    notes = []
    variation: VariationClass
    if variation_icon in ("concern_high", "concern_low"):
        variation = "concern"
    elif variation_icon in ("improvement_high", "improvement_low"):
        variation = "improvement"
    else:
        variation = "common_cause"
        if variation_icon in ("neutral_high", "neutral_low"):
            notes.append("special cause, no direction")
        elif not variation_icon:
            notes.append("too few points")
    column: AssuranceClass
    if assurance == "consistent_fail":
        column = "fail"
    elif assurance == "consistent_pass":
        column = "pass"
    else:
        column = "inconsistent"
        if not assurance:
            notes.append("no target" if has_limits else "no limits")
    return Placement(variation, column, "; ".join(notes))


def is_exception(variation_icon: str | None, assurance: str | None) -> bool:
    """An exception page for special cause concern or a process that will consistently fail its target."""
    return variation_icon in ("concern_high", "concern_low") or assurance == "consistent_fail"


def is_off_plan(outcome: str) -> bool:
    """Not met, within tolerance of plan, or no data where data was expected (DESIGN §4.3)."""
    return outcome in OFF_PLAN


def needs_commentary(*, is_key: bool, outcome: str, has_commentary: bool) -> bool:
    """A key KPI off plan must carry its owner's commentary; one without is flagged."""
    return is_key and is_off_plan(outcome) and not has_commentary


def improved(*, variation_icon: str | None, outcome: str, previous_outcome: str | None) -> bool:
    """Special cause improvement, or back on plan this month after missing it last month."""
    if variation_icon in ("improvement_high", "improvement_low"):
        return True
    return outcome == "met" and previous_outcome is not None and is_off_plan(previous_outcome)
