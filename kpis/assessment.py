"""Met or not met against plan (DESIGN §4.3). Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pmf.formatting import format_delta, format_value


class Outcome(StrEnum):
    MET = "met"
    WITHIN_TOLERANCE = "within_tolerance"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    reason: str

    @property
    def is_met(self) -> bool:
        return self.outcome == Outcome.MET

    @property
    def is_failure(self) -> bool:
        """Not met, within tolerance or not, or missing: what a rating counts against."""
        return self.outcome in (Outcome.NOT_MET, Outcome.WITHIN_TOLERANCE, Outcome.NO_DATA)


def assess(
    value: float | None, plan: float | None, direction: str, tolerance: float = 0.0, *, unit: str = ""
) -> Assessment:
    """Compare a month's value with its plan.

    1. Neutral KPIs and KPIs with no plan are never met or missed.
    2. No value where one was expected is not met, for the reason "no data".
    3. Met if the value is at least the plan (higher is better) or at most it (lower
       is better); otherwise within tolerance if no further than ``tolerance`` away.

    The reason writes the figures in the KPI's `unit` ("63.1% against a plan of 78.0%"), as every page does.
    """
    if direction == "neutral":
        return Assessment(Outcome.NOT_ASSESSED, "no direction, so no plan to meet")
    if plan is None:
        return Assessment(Outcome.NOT_ASSESSED, "no target or trajectory")
    if value is None:
        return Assessment(Outcome.NO_DATA, "no data")
    gap = value - plan if direction == "higher_is_better" else plan - value
    shown, planned = format_value(value, unit), format_value(plan, unit)
    if gap >= 0:
        return Assessment(Outcome.MET, f"{shown} against a plan of {planned}")
    if -gap <= tolerance:
        distance = format_delta(gap, unit, signed=False)
        return Assessment(
            Outcome.WITHIN_TOLERANCE, f"{shown} is {distance} from the plan of {planned}, within tolerance"
        )
    return Assessment(Outcome.NOT_MET, f"{shown} against a plan of {planned}")
