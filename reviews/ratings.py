"""Division ratings, earned-autonomy positions and review frequency (DESIGN §4.5).

Pure: no Django. KPI outcomes come in as dataclasses (from :func:`kpis.assessment.assess`), and every result
says why in plain English, because a rating is what a division will challenge.

Positions run from 1 (maximum autonomy) to 4 (failing); a larger number is always worse. A division with a
criterion that cannot be assessed (no KPI with a plan for it that month) is not rated: it has no position
(``None``), so no freedoms, and it is reviewed monthly (DESIGN §7, "not rated is not autonomy").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

# The review frequencies are the trust's configuration (its profile holds the table); named here too, as the
# schedule, the meetings and the pages read them from here.
from divisions.review_frequencies import DEFAULT_BY_POSITION
from divisions.review_frequencies import Frequency as Frequency
from kpis.assessment import Outcome
from pmf.formatting import format_value
from pmf.words import TrustWords

POSITIONS = (1, 2, 3, 4)
CRITERIA_COUNT = 4

_ULHT_LABELS = {1: "Maximum autonomy", 2: "Performing", 3: "Under review", 4: "Failing"}
_YAS_CATEGORIES = {
    1: "Performing (earned freedoms)",
    2: "Performing (earned freedoms)",
    3: "Performance under review",
    4: "Underperforming / failing",
}
NOT_RATED = "Not rated"

# The generic words (DESIGN §4.5's position names, "division"), for a caller that passes no trust's words.
GENERIC_WORDS = TrustWords()

# The outcomes a rating counts against: the same set as ``kpis.assessment.Assessment.is_failure``.
FAILING_OUTCOMES = frozenset({Outcome.NOT_MET, Outcome.WITHIN_TOLERANCE, Outcome.NO_DATA})


def _check_position(position: int) -> None:
    if position not in POSITIONS:
        raise ValueError(f"{position!r} is not a position: positions run from 1 to 4")


def ulht_label(position: int | None) -> str:
    """The position's name in the ULHT framework: Maximum autonomy, Performing, Under review, Failing (or
    "Not rated" for a month with no position)."""
    if position is None:
        return NOT_RATED
    _check_position(position)
    return _ULHT_LABELS[position]


def yas_category(position: int | None) -> str:
    """The position's category in the YAS strategy (positions 1 and 2 share one; "Not rated" for none)."""
    if position is None:
        return NOT_RATED
    _check_position(position)
    return _YAS_CATEGORIES[position]


def named_position(position: int, words: TrustWords = GENERIC_WORDS) -> str:
    """``position 3 (under review)``, with the trust's name for the position (``position 1, performing
    (earned freedoms)`` where the name has brackets of its own)."""
    name = words.position_name(position).lower()
    return f"position {position}, {name}" if "(" in name else f"position {position} ({name})"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _the_division(words: TrustWords) -> str:
    """ "the division", in the trust's word for the level."""
    return f"the {words.division.lower()}"


def _and_list(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- one criterion ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiOutcome:
    """One KPI's result for the month, as it counts towards a criterion."""

    code: str
    is_key: bool
    outcome: Outcome
    name: str = ""
    value: float | None = None
    plan: float | None = None
    # Usually ``kpis.assessment.Assessment.reason``: "63.1% against a plan of 78.0%".
    reason: str = ""
    # The catalogue unit the value and plan are in, so they are written as every page writes them.
    unit: str = ""
    # False for a line that is not a KPI (the policy-breach line): met, it is no evidence the criterion was
    # assessed; failed, it fails the criterion all the same.
    is_kpi: bool = True

    @property
    def is_failing(self) -> bool:
        return self.outcome in FAILING_OUTCOMES

    @property
    def is_assessed(self) -> bool:
        return self.outcome != Outcome.NOT_ASSESSED

    @property
    def assesses_criterion(self) -> bool:
        """Whether this line is evidence about its criterion: a KPI judged against a plan, or a failure."""
        return self.is_failing or (self.is_kpi and self.is_assessed)

    def describe(self) -> str:
        """e.g. ``key KPI AE4H not met (63.1% against a plan of 78.0%)``."""
        kind = "key KPI" if self.is_key else "KPI"
        why = self.reason
        if not why and self.outcome == Outcome.NO_DATA:
            why = "no data"
        elif not why and self.value is not None and self.plan is not None:
            value, plan = format_value(self.value, self.unit), format_value(self.plan, self.unit)
            why = f"{value} against a plan of {plan}"
        verdict = {
            Outcome.MET: "met",
            Outcome.WITHIN_TOLERANCE: "not met, within tolerance",
            Outcome.NOT_MET: "not met",
            Outcome.NO_DATA: "not met",
            Outcome.NOT_ASSESSED: "not assessed",
        }[self.outcome]
        if "within tolerance" in why:
            verdict = "not met"
        return f"{kind} {self.code} {verdict}" + (f" ({why})" if why else "")


@dataclass(frozen=True)
class CriterionResult:
    """A criterion's two results: every selected KPI met, and every selected key KPI met.

    A criterion not ``assessed`` (no KPI with a plan for the division that month) has neither result: it
    is not met, and the division is not rated. The optional fields carry the evidence when the result
    comes from :func:`evaluate_criterion`.
    """

    all_met: bool
    key_met: bool
    failing_key: tuple[str, ...] = ()
    failing_other: tuple[str, ...] = ()
    explanation: str = ""
    assessed: bool = True

    def __post_init__(self) -> None:
        if self.all_met and not self.key_met:
            raise ValueError("a criterion with every KPI met cannot fail on its key KPIs")
        if not self.assessed and (self.all_met or self.key_met):
            raise ValueError("a criterion not assessed is not met")


def evaluate_criterion(kpis: Sequence[KpiOutcome], *, words: TrustWords = GENERIC_WORDS) -> CriterionResult:
    """Evaluate one criterion (FIN, QUAL, PERF or POL) from its KPIs' outcomes for the month.

    1. A KPI counts against the criterion when it is not met, *including* within tolerance (DESIGN §4.3:
       "within tolerance if not met" — tolerance softens the colour, not the verdict) and no data where
       data was expected (not met, reason "no data").
    2. Neutral KPIs and KPIs with no plan arrive as ``not_assessed``: they neither meet nor fail.
    3. A criterion with no line that assesses it (no KPI judged against a plan, and nothing failed) is
       *not assessed*: neither met nor failed, and it says what is missing (DESIGN §7). (A criterion that
       loses its data shows up as ``no_data`` KPIs, which do fail.)
    4. ``all_met`` holds when no selected KPI fails; ``key_met`` when no selected *key* KPI fails
       (non-key KPIs are ignored for it).
    """
    failing_key = tuple(k.code for k in kpis if k.is_failing and k.is_key)
    failing_other = tuple(k.code for k in kpis if k.is_failing and not k.is_key)
    assessed = [k for k in kpis if k.is_assessed]
    met = sum(1 for k in assessed if not k.is_failing)
    if not any(k.assesses_criterion for k in kpis):
        return CriterionResult(
            all_met=False, key_met=False, explanation=_not_assessed_reason(kpis, words), assessed=False
        )
    if not failing_key and not failing_other:
        explanation = f"met: all {len(assessed)} assessed KPIs met"
    else:
        verdict = "fails at key level" if failing_key else "key KPIs met, but not every KPI"
        misses = "; ".join(k.describe() for k in kpis if k.is_failing and k.is_key)
        misses_other = "; ".join(k.describe() for k in kpis if k.is_failing and not k.is_key)
        detail = "; ".join(part for part in (misses, misses_other) if part)
        explanation = f"{verdict} ({met} of {len(assessed)} assessed KPIs met): {detail}"
    return CriterionResult(
        all_met=not failing_key and not failing_other,
        key_met=not failing_key,
        failing_key=failing_key,
        failing_other=failing_other,
        explanation=explanation,
    )


def _not_assessed_reason(kpis: Sequence[KpiOutcome], words: TrustWords) -> str:
    """Why a criterion could not be assessed, and what to set up so that it can."""
    selected = [k for k in kpis if k.is_kpi]
    if not selected:
        return (
            f"not assessed: none of its KPIs is reported for this {words.division.lower()}; add a KPI it"
            " selects (in its domain) to the year's suite and report it"
        )
    if all(k.plan is None for k in selected):
        # A neutral KPI has no direction, so no plan can be met: only the others can be given one.
        plannable = [k.code for k in selected if not k.reason.startswith("no direction")]
        if not plannable:
            return (
                "not assessed: its KPIs are neutral, with no plan to meet; add a KPI with a direction and a"
                " target to the year's suite"
            )
        return f"not assessed: no KPI with a plan; set a target or trajectory for {_and_list(plannable)}"
    return (
        f"not assessed: no KPI with a plan was reported this month ({_and_list([k.code for k in selected])});"
        " submit their figures, or set a target for one that is reported"
    )


# --- position -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """A division's computed position for a month, and why (``position`` None: not rated)."""

    position: int | None
    # Criteria failing at key level, in the order they were given.
    failed: list[str] = field(default_factory=list)
    # Criteria that meet every key KPI but miss a non-key one.
    not_all_met: list[str] = field(default_factory=list)
    explanation: str = ""
    # Criteria that could not be assessed: any makes the division not rated.
    not_assessed: list[str] = field(default_factory=list)

    @property
    def is_rated(self) -> bool:
        return self.position is not None

    @property
    def all_failed(self) -> bool:
        """Every criterion fails at key level: one of the two "severe" conditions for weekly review."""
        return len(self.failed) == CRITERIA_COUNT

    @property
    def label(self) -> str:
        return ulht_label(self.position)

    @property
    def yas_category(self) -> str:
        return yas_category(self.position)


def position_for(criteria: Mapping[str, CriterionResult], *, words: TrustWords = GENERIC_WORDS) -> Assessment:
    """The division's position from its four criteria (FIN, QUAL, PERF, POL or the trust's own names).

    1. Any criterion not assessed: the division is not rated (no position), and the explanation names
       those criteria and what to set up for each.
    2. Count the criteria that fail at key level (``key_met`` false).
    3. None fail: position 1 when every criterion is ``all_met``, else position 2.
    4. One or two fail: position 3. Three or four fail: position 4.
    5. Explain: the position, its name, the criteria that fail and, where a criterion carries its own
       explanation, the KPIs behind it.
    """
    if len(criteria) != CRITERIA_COUNT:
        raise ValueError(
            f"a rating needs exactly {CRITERIA_COUNT} criteria (FIN, QUAL, PERF and POL); got {len(criteria)}"
        )
    not_assessed = [name for name, result in criteria.items() if not result.assessed]
    if not_assessed:
        reasons = [f"{name}: {criteria[name].explanation}" for name in not_assessed]
        head = (
            f"Not rated: {_and_list(not_assessed)} {'is' if len(not_assessed) == 1 else 'are'} not assessed,"
            f" so {_the_division(words)} holds no position and no freedoms this month"
        )
        return Assessment(
            position=None, explanation=". ".join([head, *reasons]) + ".", not_assessed=not_assessed
        )
    failed = [name for name, result in criteria.items() if not result.key_met]
    not_all_met = [name for name, result in criteria.items() if result.key_met and not result.all_met]
    if len(failed) >= 3:
        position = 4
    elif failed:
        position = 3
    elif not_all_met:
        position = 2
    else:
        position = 1

    head = _capital(named_position(position, words))
    if position == 1:
        summary = f"{head}: all four criteria met in full"
    elif position == 2:
        summary = f"{head}: every key KPI met; {_and_list(not_all_met)} {_miss(not_all_met)} on non-key KPIs"
    elif len(failed) == CRITERIA_COUNT:
        summary = f"{head}: all four criteria ({_and_list(failed)}) fail at key level"
    else:
        summary = f"{head}: {_and_list(failed)} {_fail(failed)} at key level"
    details = [
        f"{name}: {result.explanation}"
        for name, result in criteria.items()
        if result.explanation and not result.all_met
    ]
    explanation = ". ".join([summary, *details]) + "."
    return Assessment(position=position, failed=failed, not_all_met=not_all_met, explanation=explanation)


def _fail(names: Sequence[str]) -> str:
    return "fails" if len(names) == 1 else "fail"


def _miss(names: Sequence[str]) -> str:
    return "misses" if len(names) == 1 else "miss"


def rate_division(
    kpis_by_criterion: Mapping[str, Sequence[KpiOutcome]], *, words: TrustWords = GENERIC_WORDS
) -> Assessment:
    """:func:`evaluate_criterion` for each criterion, then :func:`position_for`, explained in ``words``."""
    return position_for(
        {name: evaluate_criterion(kpis, words=words) for name, kpis in kpis_by_criterion.items()}, words=words
    )


# --- review frequency ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrequencyDecision:
    frequency: Frequency
    reason: str


def frequency_for(
    position: int | None,
    *,
    all_failed: bool,
    in_special_measures: bool,
    months_in_position_4: int,
    severe_after_months: int = 2,
    by_position: Mapping[int, Frequency] | None = None,
    words: TrustWords = GENERIC_WORDS,
) -> FrequencyDecision:
    """How often the division is reviewed, and why.

    ``position`` is the effective position; ``months_in_position_4`` counts the consecutive months at
    position 4 *including this one* (see :func:`consecutive_months_at`), so it is at least 1 at position 4.

    1. Special measures: weekly, whatever the position.
    1a. Not rated (``position`` None, including a division never rated yet): monthly, as a division under
       review is, until it can be rated.
    2. Position 4 is severe, and reviewed weekly, when every criterion failed at key level or the division
       has been at position 4 for ``severe_after_months`` consecutive months or more.
    3. Otherwise by position: 1 six-monthly, 2 quarterly, 3 and (not severe) 4 monthly, unless the trust
       sets its own frequency for a position in ``by_position`` (bi-monthly, say: the trust's table,
       ``TrustProfile.review_frequencies``); the reason then says it is the trust's choice.
       ``all_failed`` only counts at position 4, as the table in §4.5 reads.
    """
    if position is not None:
        _check_position(position)
    if severe_after_months < 1:
        raise ValueError("severe_after_months must be at least 1")
    if months_in_position_4 < 0:
        raise ValueError("months_in_position_4 cannot be negative")
    if position == 4 and months_in_position_4 < 1:
        raise ValueError("months_in_position_4 counts this month, so it is at least 1 at position 4")
    if in_special_measures:
        return FrequencyDecision("weekly", f"weekly: {_the_division(words)} is in special measures")
    if position is None:
        return FrequencyDecision(
            "monthly", "monthly: not rated this month, so no position earns a longer interval"
        )
    if position == 4 and all_failed:
        return FrequencyDecision("weekly", "weekly: position 4 with all four criteria failed at key level")
    if position == 4 and months_in_position_4 >= severe_after_months:
        return FrequencyDecision(
            "weekly",
            f"weekly: position 4 for {months_in_position_4} consecutive months"
            f" (weekly from {severe_after_months})",
        )
    frequency = {**DEFAULT_BY_POSITION, **(by_position or {})}[position]
    reason = f"{frequency}: {named_position(position, words)}"
    if frequency != DEFAULT_BY_POSITION[position]:
        reason += f", as the trust reviews position {position} (not {DEFAULT_BY_POSITION[position]})"
    if position == 4:
        month_word = "month" if months_in_position_4 == 1 else "months"
        reason += (
            f", not yet severe ({months_in_position_4} {month_word} at position 4 of the"
            f" {severe_after_months} that make it weekly)"
        )
    return FrequencyDecision(frequency, reason)


def review_frequency(
    position: int | None,
    *,
    all_failed: bool,
    in_special_measures: bool,
    months_in_position_4: int,
    severe_after_months: int = 2,
) -> Frequency:
    """The review frequency alone; :func:`frequency_for` gives the reason as well."""
    return frequency_for(
        position,
        all_failed=all_failed,
        in_special_measures=in_special_measures,
        months_in_position_4=months_in_position_4,
        severe_after_months=severe_after_months,
    ).frequency


def consecutive_months_at(positions: Sequence[int], position: int) -> int:
    """How many of the latest months, counting back from the last, were at ``position``."""
    count = 0
    for p in reversed(positions):
        if p != position:
            break
        count += 1
    return count


# --- hysteresis ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HysteresisStep:
    computed: int | None  # None: not rated that month
    effective: int | None
    reason: str


def next_effective(
    previous: int | None, recent_computed: Sequence[int], *, sustain_months: int = 3
) -> HysteresisStep:
    """This month's effective position from last month's and the latest computed positions.

    ``recent_computed`` ends with this month's computed position; only its last ``sustain_months`` entries
    matter, and fewer than that can never earn an improvement.

    1. No previous effective position (the first month): take the computed one.
    2. Computed worse than or equal to the previous effective position: take it at once.
    3. Computed better: move only when each of the last ``sustain_months`` computed positions is better than
       the previous effective one, and then to the worst of them; otherwise stay.
    """
    if sustain_months < 1:
        raise ValueError("sustain_months must be at least 1")
    if not recent_computed:
        raise ValueError("recent_computed must end with this month's computed position")
    for p in recent_computed:
        _check_position(p)
    if previous is not None:
        _check_position(previous)
    computed = recent_computed[-1]
    if previous is None:
        return HysteresisStep(computed, computed, f"first month: takes its computed position {computed}")
    if computed > previous:
        return HysteresisStep(
            computed, computed, f"computed position {computed} is worse: takes effect at once"
        )
    if computed == previous:
        return HysteresisStep(computed, computed, f"computed position {computed} is unchanged")
    window = list(recent_computed[-sustain_months:])
    held = consecutive_better(recent_computed, previous)
    if held >= sustain_months:
        worst = max(window)
        months = ", ".join(str(p) for p in window)
        return HysteresisStep(
            computed,
            worst,
            f"computed positions {months} were all better than {previous} for {sustain_months} months:"
            f" moves to {worst}, the worst of them",
        )
    return HysteresisStep(
        computed,
        previous,
        f"computed position {computed} is better, but held for {held} of the {sustain_months} months"
        f" needed: stays at {previous}",
    )


def consecutive_better(computed: Sequence[int], than: int) -> int:
    """How many of the latest computed positions, counting back, were better than ``than``."""
    count = 0
    for p in reversed(computed):
        if p >= than:
            break
        count += 1
    return count


def hysteresis_steps(
    computed: Sequence[int | None], *, sustain_months: int = 3, start: int | None = None
) -> list[HysteresisStep]:
    """:func:`next_effective` month by month, each step with its reason; a month not rated (None) is skipped
    (see :func:`effective_steps`, of which this is the case with no accountability review).

    ``start`` is the effective position before the first month (None: there is no history, so the first
    rated month takes its computed position). Only months in ``computed`` count towards ``sustain_months``,
    so to rate a new month pass the computed history that leads up to it.
    """
    return effective_steps(computed, [None] * len(computed), sustain_months=sustain_months, start=start)


def apply_hysteresis(
    computed: Sequence[int | None], *, sustain_months: int = 3, start: int | None = None
) -> list[int | None]:
    """The effective position for each month: worse at once, better only once sustained (see
    :func:`next_effective`); None for a month not rated."""
    return [s.effective for s in hysteresis_steps(computed, sustain_months=sustain_months, start=start)]


# --- what would move the division up ------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveUp:
    """The KPIs whose meeting would improve a division's position (positions None: not rated)."""

    position: int | None
    # Meet all of these to reach ``reaches`` (the same as ``position`` at position 1).
    kpis: tuple[KpiOutcome, ...]
    reaches: int | None
    # The fewest of them that lift the division at least one position, and where that lands.
    quickest: tuple[KpiOutcome, ...]
    quickest_reaches: int | None
    explanation: str


def _with_met(
    kpis_by_criterion: Mapping[str, Sequence[KpiOutcome]], codes: set[tuple[str, str]], words: TrustWords
) -> Assessment:
    return rate_division(
        {
            name: [replace(k, outcome=Outcome.MET) if (name, k.code) in codes else k for k in kpis]
            for name, kpis in kpis_by_criterion.items()
        },
        words=words,
    )


def _codes_by_criterion(kpis: Mapping[str, Sequence[KpiOutcome]], chosen: set[tuple[str, str]]) -> str:
    parts = []
    for name, outcomes in kpis.items():
        codes = [k.code for k in outcomes if (name, k.code) in chosen]
        if codes:
            parts.append(f"{name}: {', '.join(codes)}")
    return "; ".join(parts)


def what_would_move_up(
    kpis_by_criterion: Mapping[str, Sequence[KpiOutcome]], *, words: TrustWords = GENERIC_WORDS
) -> MoveUp:
    """The KPIs that, if met, would improve the division's computed position.

    1. Position 1: nothing to improve.
    2. Position 2: every failing (non-key) KPI; meeting them all gives position 1.
    3. Positions 3 and 4: the failing key KPIs of the criteria that fail at key level. Meeting them all
       gives position 2, or 1 if nothing else misses.
    4. The quickest step: at position 4, the failing key KPIs of just enough criteria to bring the number
       failing down to two (position 3), taking the criteria with the fewest failing key KPIs first; at
       positions 2 and 3 every listed KPI is needed, so the quickest step is the whole list.
    5. Every answer is checked by re-rating with those KPIs met, so "reaches" is never a guess.
    6. Not rated: no KPI can move it; what to set up comes first, as the explanation says.
    """
    current = rate_division(kpis_by_criterion, words=words)
    if current.position is None:
        return MoveUp(None, (), None, (), None, current.explanation)
    if current.position == 1:
        return MoveUp(1, (), 1, (), 1, f"Already at {named_position(1, words)}: nothing to move up to.")

    key_level = current.position >= 3
    chosen = {
        (name, k.code)
        for name, kpis in kpis_by_criterion.items()
        for k in kpis
        if k.is_failing and (k.is_key or not key_level)
    }
    pairs = [(name, k) for name, kpis in kpis_by_criterion.items() for k in kpis]
    ordered = tuple(k for name, k in pairs if (name, k.code) in chosen)
    reaches = _with_met(kpis_by_criterion, chosen, words).position

    quick = set(chosen)
    if current.position == 4:
        per_criterion = {
            name: {(name, k.code) for k in kpis if k.is_failing and k.is_key}
            for name, kpis in kpis_by_criterion.items()
            if name in current.failed
        }
        cheapest = sorted(current.failed, key=lambda name: len(per_criterion[name]))
        quick = set().union(*(per_criterion[name] for name in cheapest[: len(current.failed) - 2]))
    quickest = tuple(k for name, k in pairs if (name, k.code) in quick)
    quickest_reaches = _with_met(kpis_by_criterion, quick, words).position

    head = _capital(named_position(current.position, words))
    explanation = (
        f"{head}: meeting {_count(chosen)} ({_codes_by_criterion(kpis_by_criterion, chosen)})"
        f" would lift {_the_division(words)} to position {reaches}."
    )
    if quick != chosen:
        explanation += (
            f" The quickest step is {_count(quick)} ({_codes_by_criterion(kpis_by_criterion, quick)}),"
            f" which would lift it to position {quickest_reaches}."
        )
    return MoveUp(current.position, ordered, reaches, quickest, quickest_reaches, explanation)


def _count(chosen: set[tuple[str, str]]) -> str:
    kind = "KPI" if len(chosen) == 1 else "KPIs"
    return f"{len(chosen)} {kind}"


# --- the accountability review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedPosition:
    """The effective position agreed at an accountability review, for the months it is in force.

    ``computed`` is the computed position put to the review. ``review`` names the review in reasons ("the
    accountability review of 12 March 2025") and tells one review from another, so that an override lasts
    for the rest of that review.
    """

    position: int
    computed: int
    review: str

    @property
    def deteriorated_beyond(self) -> int:
        """A computed position worse than this one is a deterioration: worse than both what was agreed and
        what the review saw computed (an agreed position better than the computed one is not undone by the
        computed position the review already weighed)."""
        return max(self.position, self.computed)


NOT_RATED_STEP = "not rated this month: no position, so no freedoms; hysteresis skips the month"


def effective_steps(
    computed: Sequence[int | None],
    agreed: Sequence[AgreedPosition | None],
    *,
    sustain_months: int = 3,
    start: int | None = None,
    earlier_computed: Sequence[int | None] = (),
    earlier_agreed: Sequence[AgreedPosition | None] = (),
) -> list[HysteresisStep]:
    """The effective position month by month, with hysteresis and the accountability review.

    ``agreed[i]`` is the review in force in month ``i`` (None when there is none). To continue a history
    already settled, pass its effective position as ``start`` and its months as ``earlier_computed`` and
    ``earlier_agreed``: they count towards "sustained" and towards overriding a review, and get no steps.
    ``start`` is the effective position of the last month that was rated.

    0. A month not rated (computed None) has no position, effective or computed, whatever the review, and
       hysteresis skips it: the months rated either side of it are consecutive for ``sustain_months``, and
       the next rated month continues from the last rated month's effective position.
    1. No review in force, or one a deterioration has overridden: :func:`next_effective` (hysteresis).
    2. A review in force: its agreed position, better or worse than the computed one.
    3. Unless the computed position is worse than both the agreed position and the computed position the
       review saw: the division has deteriorated, so the computed position takes effect at once and the
       review no longer holds for its remaining months.
    """
    if len(agreed) != len(computed) or len(earlier_agreed) != len(earlier_computed):
        raise ValueError("give one agreed position (or None) for every computed month")
    steps: list[HysteresisStep] = []
    effective = start
    history = [c for c in earlier_computed if c is not None]
    overridden = {
        a
        for c, a in zip(earlier_computed, earlier_agreed, strict=True)
        if a and c is not None and c > a.deteriorated_beyond
    }
    for position, review in zip(computed, agreed, strict=True):
        if position is None:
            steps.append(HysteresisStep(None, None, NOT_RATED_STEP))
            continue
        history.append(position)
        if review is not None:
            _check_position(review.position)
            _check_position(review.computed)
        if review is None or review in overridden:
            step = next_effective(effective, history, sustain_months=sustain_months)
        elif position > review.deteriorated_beyond:
            overridden.add(review)
            step = HysteresisStep(
                position,
                position,
                f"computed position {position} is worse than position {review.deteriorated_beyond} at"
                f" {review.review}: the deterioration overrides the review and takes effect at once",
            )
        else:
            step = HysteresisStep(
                position, review.position, f"position {review.position} agreed at {review.review}"
            )
        steps.append(step)
        effective = step.effective
    return steps
