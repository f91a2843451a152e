"""A KPI's standing for one unit and month: the one place it is worked out. Pure: no Django.

A standing is what every page, pack, rating and escalation says about a KPI at a unit in a month:

- its **value**, a submitted figure or a roll-up of the unit's children. Where both are published for the
  same month, **the submitted value wins** over the roll-up (DESIGN §3: the unit's own figure is the one it
  answers for; the roll-up is only the sum of what its children sent);
- its **plan** (the trajectory, else the target in force) and tolerance;
- **met / within tolerance / not met / no data** against that plan (``kpis.assessment``);
- its stored chart's **point type**, **variation icon** and **assurance**, and so its **matrix cell**;
- its **kitemark**: how far its data quality is assured.

``kpis.selectors.standings`` reads the inputs in a fixed number of queries and calls ``stand`` here.

The matrix cell rules (DESIGN §4.8). The matrix rows are variation (concern, common cause, improvement)
and its columns assurance (fail, hit or miss, pass), both worst first, so the top-left cell is "special
cause concern and consistently failing" and reading the matrix left to right, top to bottom reads it
concern-first. Where a KPI has no icon of its own, it is placed by these rules, and the cell shows a note
saying so:

1. A special cause on a KPI with no preferred direction ("neutral high/low") is neither a concern nor an
   improvement: it goes in the **common cause** row, noted "special cause, no direction".
2. Too few points for process limits (no variation icon) goes in the **common cause** row, noted
   "too few points".
3. No assurance icon — no target, a neutral KPI, or no process limits yet — goes in the **hit or miss**
   column: nothing assures that the target will be met, nor that it will be missed. Noted "no target" or
   "no limits".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from .assessment import Assessment, Outcome, assess

Key = tuple[int, int, date]  # (kpi id, unit id, month)

VariationClass = Literal["concern", "common_cause", "improvement"]
AssuranceClass = Literal["fail", "inconsistent", "pass"]

VARIATION_ROWS: tuple[VariationClass, ...] = ("concern", "common_cause", "improvement")
ASSURANCE_COLUMNS: tuple[AssuranceClass, ...] = ("fail", "inconsistent", "pass")


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


@dataclass(frozen=True, slots=True)
class Reading:
    """One published value of a KPI for a unit and month, with what the pages say about where it came from."""

    kpi_id: int
    unit_id: int
    month: date
    value: float
    is_rollup: bool = False
    is_synthetic: bool = False
    revision: int = 1
    children_contributing: int | None = None
    children_expected: int | None = None

    @property
    def key(self) -> Key:
        return self.kpi_id, self.unit_id, self.month

    @property
    def is_complete(self) -> bool:
        """A roll-up is complete when every expected child contributed."""
        return not self.is_rollup or self.children_contributing == self.children_expected

    @property
    def is_restated(self) -> bool:
        return self.revision > 1


def chosen_readings(readings: Iterable[Reading]) -> dict[Key, Reading]:
    """One reading per (KPI, unit, month): the submitted one where a roll-up was published as well.

    The order of ``readings`` does not matter: a submitted reading replaces a roll-up, never the reverse.
    """
    chosen: dict[Key, Reading] = {}
    for reading in readings:
        held = chosen.get(reading.key)
        if held is None or (held.is_rollup and not reading.is_rollup):
            chosen[reading.key] = reading
    return chosen


def latest_keys(readings: Iterable[Reading]) -> list[Key]:
    """For each (KPI, unit) with a reading, the key of its latest month."""
    latest: dict[tuple[int, int], date] = {}
    for r in readings:
        if r.month > latest.get((r.kpi_id, r.unit_id), date.min):
            latest[(r.kpi_id, r.unit_id)] = r.month
    return [(kpi_id, unit_id, month) for (kpi_id, unit_id), month in latest.items()]


@dataclass(frozen=True, slots=True)
class Plan:
    """The plan in force for a month: the trajectory if there is one, else the target."""

    plan: float | None = None
    tolerance: float = 0.0
    target: float | None = None
    trajectory: float | None = None


NO_PLAN = Plan()


@dataclass(frozen=True, slots=True)
class SpcSummary:
    """What the stored chart says of a month: its point's type, and (for the chart's latest month, the one the
    stored icons judge) the variation and assurance icons."""

    point_type: str | None = None
    variation_icon: str | None = None
    assurance: str | None = None
    has_limits: bool = False


NO_CHART = SpcSummary()


@dataclass(frozen=True, slots=True)
class KitemarkSummary:
    """How many of the kitemark's dimensions are assured, of how many assessed and how many there are."""

    assured: int
    assessed: int
    of: int
    status: Literal["validated", "provisional"]


def kitemark_summary(ratings: Mapping[str, str], *, dimensions: int) -> KitemarkSummary:
    """The kitemark from the latest rating of each dimension: validated once its validation is assured."""
    return KitemarkSummary(
        assured=sum(r == "assured" for r in ratings.values()),
        assessed=sum(r != "not_assessed" for r in ratings.values()),
        of=dimensions,
        status="validated" if ratings.get("validation") == "assured" else "provisional",
    )


@dataclass(frozen=True, slots=True)
class KpiStanding:
    """A KPI's standing for one unit and month (see the module docstring)."""

    kpi_id: int
    unit_id: int
    month: date
    reading: Reading | None
    plan: Plan
    assessment: Assessment
    spc: SpcSummary
    placement: Placement
    kitemark: KitemarkSummary | None = None

    @property
    def value(self) -> float | None:
        return self.reading.value if self.reading else None

    @property
    def outcome(self) -> Outcome:
        return self.assessment.outcome

    @property
    def variation_icon(self) -> str | None:
        return self.spc.variation_icon

    @property
    def assurance(self) -> str | None:
        return self.spc.assurance


def stand(
    *,
    kpi_id: int,
    unit_id: int,
    month: date,
    direction: str,
    reading: Reading | None,
    plan: Plan = NO_PLAN,
    value_unit: str = "",
    spc: SpcSummary = NO_CHART,
    kitemark: KitemarkSummary | None = None,
) -> KpiStanding:
    """The standing from its inputs.

    1. The value is the reading's: already the submitted one where there is a roll-up too
       (``chosen_readings``).
    2. Assess it against the plan, with the plan's tolerance, in the KPI's direction; its reason writes the
       values in the KPI's unit (``value_unit``).
    3. Place it in the matrix from the chart's icons.
    """
    return KpiStanding(
        kpi_id=kpi_id,
        unit_id=unit_id,
        month=month,
        reading=reading,
        plan=plan,
        assessment=assess(
            reading.value if reading else None, plan.plan, direction, plan.tolerance, unit=value_unit
        ),
        spc=spc,
        placement=place(spc.variation_icon, spc.assurance, has_limits=spc.has_limits),
        kitemark=kitemark,
    )


def applies(*, reporting_depth: int | None, rolls_up: bool, unit_depth: int) -> bool:
    """Whether the catalogue expects a KPI at a unit of this depth (trust 0, division 1, service 2, team 3).

    The catalogue's rule (``kpis.ingest.template.catalogue_pairs``, steps 2 and 3): a KPI whose entry names
    its reporting level is submitted by the units at that level, and a KPI that rolls up is answered for
    above it too, by the roll-up of those units; it does not apply below that level, nor above it when it
    cannot be rolled up. A KPI with no level named (``reporting_depth`` None) is inferred from what was
    reported, so it applies wherever it may have been.
    """
    if reporting_depth is None:
        return True
    return unit_depth == reporting_depth or (rolls_up and unit_depth < reporting_depth)


def with_chart(standing: KpiStanding, spc: SpcSummary) -> KpiStanding:
    """The standing judged by another chart: an earlier month's, re-run on the points known then."""
    return replace(
        standing, spc=spc, placement=place(spc.variation_icon, spc.assurance, has_limits=spc.has_limits)
    )
