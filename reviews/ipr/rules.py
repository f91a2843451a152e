"""The rules that arrange the Board's Integrated Performance Report (DESIGN §4.8). Pure: no Django.

- `place(variation_icon, assurance)`: a KPI's cell in the 3 × 3 SPC summary matrix, and why. It is part of
  a KPI's standing, so it lives with it in `kpis.standing` (whose docstring gives the placing rules).
- `is_exception(...)`: which KPIs get an exception page.
- `needs_commentary(...)`: which key KPIs must have their owner's commentary.
- `improved(...)`: what goes under "what improved" in the highlight report.
"""

from __future__ import annotations

from kpis.standing import AssuranceClass, VariationClass

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
