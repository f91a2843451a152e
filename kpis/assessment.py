"""Met or not met against plan (DESIGN §4.3). Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


def assess(value: float | None, plan: float | None, direction: str, tolerance: float = 0.0) -> Assessment:
    """Compare a month's value with its plan.

    1. Neutral KPIs and KPIs with no plan are never met or missed.
    2. No value where one was expected is not met, for the reason "no data".
    3. Met if the value is at least the plan (higher is better) or at most it (lower
       is better); otherwise within tolerance if no further than ``tolerance`` away.
    """
    if direction == "neutral":
        return Assessment(Outcome.NOT_ASSESSED, "no direction, so no plan to meet")
    if plan is None:
        return Assessment(Outcome.NOT_ASSESSED, "no target or trajectory")
    if value is None:
        return Assessment(Outcome.NO_DATA, "no data")
    gap = value - plan if direction == "higher_is_better" else plan - value
    if gap >= 0:
        return Assessment(Outcome.MET, f"{value:g} against a plan of {plan:g}")
    if -gap <= tolerance:
        return Assessment(
            Outcome.WITHIN_TOLERANCE, f"{value:g} is {-gap:g} from the plan of {plan:g}, within tolerance"
        )
    return Assessment(Outcome.NOT_MET, f"{value:g} against a plan of {plan:g}")
