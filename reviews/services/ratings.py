"""Rating every division every month (DESIGN §4.5), and recording the accountability review.

``compute_ratings`` reads everything once (``reviews.selectors.rating_inputs``), rates each division month by
month with the pure rules of ``reviews.ratings``, and writes only the ratings that changed: each changed
decision with a "re-rated" AuditEvent, explanations that only read differently with one "explanations
reworded" event for the run. Running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from divisions.models import OrgUnit
from divisions.words import trust_words
from kpis.assessment import Outcome
from pmf.formatting import format_date, format_month
from pmf.locks import lock_until_commit
from pmf.models import AuditEvent, User
from pmf.periods import add_months
from pmf.services.audit import Actor, record_audit, snapshot
from pmf.words import TrustWords
from reviews.ratings import (
    AgreedPosition,
    KpiOutcome,
    consecutive_months_at,
    effective_steps,
    evaluate_criterion,
    frequency_for,
    position_for,
)

from ..ipr.store import forget_ipr_content
from ..models import AccountabilityReview, DivisionRating
from ..selectors.ratings import RatingInputs, earlier_ratings, published_months, rating_inputs, stored_ratings
from .meetings import sync_schedules

SUSTAIN_MONTHS = 3
SEVERE_AFTER_MONTHS = 2
CHANGE_FIELDS = [
    "criteria",
    "computed_position",
    "effective_position",
    "effective_reason",
    "review_frequency",
    "frequency_reason",
    "in_special_measures",
    "accountability_review_id",
    "explanation",
]
# What a rating decides, beside each criterion's outcomes (``_decision``). The other fields explain it.
DECISION_FIELDS = [
    "computed_position",
    "effective_position",
    "review_frequency",
    "in_special_measures",
    "accountability_review_id",
]


@dataclass(frozen=True)
class RatingRun:
    months: int
    divisions: int
    created: int
    updated: int  # re-rated: the decision changed
    unchanged: int
    reworded: int = 0  # the same decision, explained in other words

    def as_dict(self) -> dict[str, int]:
        return {
            "months": self.months,
            "divisions": self.divisions,
            "created": self.created,
            "updated": self.updated,
            "reworded": self.reworded,
            "unchanged": self.unchanged,
        }


RATINGS_LOCK = "pmf:division-ratings"


def months_to_rate(from_month: date | None = None) -> list[date]:
    """Every published month, or ``from_month`` and every published month after it."""
    return published_months(since=from_month)


def kpi_outcomes(inputs: RatingInputs, division: OrgUnit, month: date) -> dict[str, list[KpiOutcome]]:
    """Each criterion's KPIs for the division and month, met or not and why (DESIGN §4.3).

    1. A KPI counts when it is in force (in the year's suite, if there is one, and active), and the division
       reports it (it has published data for the division in some month).
    2. It is assessed against its plan as its standing says (``kpis.standing``); neutral KPIs and KPIs with no
       plan are not assessed.
    3. No value where data was expected (the KPI was reported for someone that month) is not met, reason
       "no data". No value where nobody reported the KPI that month is not assessed ("not reported this
       month").
    4. A criterion that counts policy breaches gets one more key line, not met, when a breach is recorded.
    """
    result: dict[str, list[KpiOutcome]] = {}
    for criterion in inputs.criteria:
        outcomes = []
        for kpi in inputs.kpis_by_criterion[criterion.code]:
            facts = inputs.facts(kpi, division, month)
            if facts is None:
                continue
            if facts.value is None and not facts.expected and kpi.direction != "neutral":
                outcome, reason = Outcome.NOT_ASSESSED, "not reported this month"
            else:
                outcome, reason = facts.assessment.outcome, facts.assessment.reason
            outcomes.append(
                KpiOutcome(
                    code=kpi.code,
                    is_key=facts.is_key,
                    outcome=outcome,
                    name=kpi.name,
                    value=facts.value,
                    plan=facts.plan,
                    reason=reason,
                    unit=kpi.unit,
                )
            )
        if criterion.counts_policy_breaches:
            breached = (division.pk, month) in inputs.breaches
            outcomes.append(
                KpiOutcome(
                    code="POLICY-BREACH",
                    is_key=True,
                    outcome=Outcome.NOT_MET if breached else Outcome.MET,
                    name="No policy breach recorded",
                    reason="a policy breach is recorded for the month" if breached else "no breach recorded",
                    is_kpi=False,
                )
            )
        result[criterion.code] = outcomes
    return result


def criteria_json(
    inputs: RatingInputs, outcomes: dict[str, list[KpiOutcome]], words: TrustWords
) -> list[dict[str, Any]]:
    """The stored explanation: criterion → KPI → value, plan, outcome and reason, in the trust's words."""
    names = {c.code: c.name for c in inputs.criteria}
    rows = []
    for code, kpis in outcomes.items():
        result = evaluate_criterion(kpis, words=words)
        rows.append(
            {
                "code": code,
                "name": names[code],
                "all_met": result.all_met,
                "key_met": result.key_met,
                "assessed": result.assessed,
                "explanation": result.explanation,
                "kpis": [
                    {
                        "code": k.code,
                        "name": k.name,
                        "is_key": k.is_key,
                        "value": k.value,
                        "plan": k.plan,
                        "outcome": str(k.outcome),
                        "reason": k.reason,
                        "unit": k.unit,
                        "is_kpi": k.is_kpi,
                    }
                    for k in kpis
                ],
            }
        )
    return rows


def outcomes_from_json(criteria: list[dict[str, Any]]) -> dict[str, list[KpiOutcome]]:
    """The stored explanation back as the pure rules' input (for "what would move this division up")."""
    return {
        c["code"]: [
            KpiOutcome(
                code=k["code"],
                is_key=k["is_key"],
                outcome=Outcome(k["outcome"]),
                name=k["name"],
                value=k["value"],
                plan=k["plan"],
                reason=k["reason"],
                # Explanations stored before units were kept write plain numbers.
                unit=k.get("unit", ""),
                # Explanations stored before "not rated" name the policy line by its code alone.
                is_kpi=k.get("is_kpi", k["code"] != "POLICY-BREACH"),
            )
            for k in c["kpis"]
        ]
        for c in criteria
    }


def _agreed(inputs: RatingInputs, division: OrgUnit, month: date) -> AccountabilityReview | None:
    """The latest accountability review in force for the month, if any."""
    in_force = [r for r in inputs.reviews.get(division.pk, []) if r.month <= month <= r.valid_until]
    return in_force[-1] if in_force else None


def _as_agreed(review: AccountabilityReview | None) -> AgreedPosition | None:
    if review is None:
        return None
    return AgreedPosition(
        review.agreed_position,
        review.computed_position,
        f"the accountability review of {format_date(review.held_on)}",
    )


def rate_months(
    inputs: RatingInputs, division: OrgUnit, earlier: list[DivisionRating], words: TrustWords
) -> list[DivisionRating]:
    """The division's ratings for ``inputs.months`` (unsaved), continuing from its stored earlier ratings,
    explained in the trust's ``words``."""
    reviews = [_agreed(inputs, division, month) for month in inputs.months]
    outcome_sets = [kpi_outcomes(inputs, division, month) for month in inputs.months]
    assessments = [
        position_for({name: evaluate_criterion(k, words=words) for name, k in outcomes.items()}, words=words)
        for outcomes in outcome_sets
    ]
    rated_before = [r.effective_position for r in earlier if r.effective_position is not None]
    steps = effective_steps(
        [a.position for a in assessments],
        [_as_agreed(r) for r in reviews],
        sustain_months=SUSTAIN_MONTHS,
        start=rated_before[-1] if rated_before else None,
        earlier_computed=[r.computed_position for r in earlier],
        earlier_agreed=[_as_agreed(_agreed(inputs, division, r.month)) for r in earlier],
    )
    effective = rated_before  # the weekly rule counts rated months only, as hysteresis does
    ratings = []
    now = timezone.now()
    for month, review, outcomes, assessment, step in zip(
        inputs.months, reviews, outcome_sets, assessments, steps, strict=True
    ):
        if step.effective is not None:
            effective.append(step.effective)
        special = inputs.in_special_measures(division, month)
        frequency = frequency_for(
            step.effective,
            all_failed=assessment.all_failed,
            in_special_measures=special,
            months_in_position_4=consecutive_months_at(effective, 4) if step.effective == 4 else 0,
            severe_after_months=SEVERE_AFTER_MONTHS,
            by_position=inputs.review_frequencies,
            words=words,
        )
        held = review is not None and step.reason.startswith(f"position {review.agreed_position} agreed at")
        ratings.append(
            DivisionRating(
                division=division,
                month=month,
                criteria=criteria_json(inputs, outcomes, words),
                computed_position=step.computed,
                effective_position=step.effective,
                effective_reason=step.reason,
                review_frequency=frequency.frequency,
                frequency_reason=frequency.reason,
                in_special_measures=special,
                accountability_review_id=review.pk if held and review is not None else None,
                explanation=assessment.explanation,
                computed_at=now,
            )
        )
    return ratings


def _changes(rating: DivisionRating) -> dict[str, Any]:
    return snapshot(rating, ["computed_position", "effective_position", "review_frequency", "explanation"])


def _decision(rating: DivisionRating) -> tuple[object, ...]:
    """What the rating decided: its positions, review frequency, special measures and agreed review, and each
    criterion's outcomes (all met, key met, and each line's key flag and outcome).

    Not its words: the reasons, the sentences and the values and plans written in them. When only those
    differ (values now written in their unit, a restated figure that still misses its plan), the rating is
    refreshed, but nothing about the division changed, so no "re-rated" event says it did.
    """
    criteria = tuple(
        (
            c["code"],
            c["all_met"],
            c["key_met"],
            tuple((k["code"], k["is_key"], k["outcome"]) for k in c["kpis"]),
        )
        for c in rating.criteria
    )
    return (*(getattr(rating, f) for f in DECISION_FIELDS), criteria)


@transaction.atomic
def compute_ratings(*, months: Iterable[date] | None = None, actor: Actor = None) -> RatingRun:
    """Rate every division for ``months`` (default: every published month), in order, and store the ratings.

    Earlier stored ratings are the history the new months continue from (hysteresis, the weekly rule, a
    review overridden by deterioration). A rating identical to the stored one is left alone, so running this
    twice changes nothing. Each rating created writes a "rated" AuditEvent, and each whose decision changed
    (``_decision``) a "re-rated" one with its positions, frequency and explanation before and after. Ratings
    whose decision stands but whose explanation reads differently are rewritten under one "explanations
    reworded" event for the run, naming them. The queries are fixed in number: those of ``rating_inputs``,
    ``stored_ratings`` (the months rated) and ``earlier_ratings`` (the positions before them), then one bulk
    write of each kind.
    """
    lock_until_commit(RATINGS_LOCK)  # one rating run at a time: the later reads what the earlier stored
    wanted = sorted(set(months)) if months is not None else months_to_rate()
    inputs = rating_inputs(wanted)
    if len(inputs.criteria) != 4:
        raise ValidationError(
            "a rating needs exactly four criteria (FIN, QUAL, PERF and POL);"
            f" {len(inputs.criteria)} are set up"
        )
    division_ids = [d.pk for d in inputs.divisions]
    stored = stored_ratings(division_ids, wanted)
    earlier = earlier_ratings(division_ids, wanted[0]) if wanted else {}
    words = trust_words()
    to_create: list[DivisionRating] = []
    to_update: list[DivisionRating] = []
    reworded: list[DivisionRating] = []
    events: list[AuditEvent] = []
    unchanged = 0
    username = actor.get_username() if actor is not None and actor.is_authenticated else ""
    for division in inputs.divisions:
        if not wanted:
            break
        for rating in rate_months(inputs, division, earlier.get(division.pk, []), words):
            old = stored.get((division.pk, rating.month))
            if old is None:
                to_create.append(rating)
                events.append(_event(username, "rated", rating, None))
                continue
            if all(getattr(old, f) == getattr(rating, f) for f in CHANGE_FIELDS):
                unchanged += 1
                continue
            before, decided = _changes(old), _decision(old) != _decision(rating)
            for name in [*CHANGE_FIELDS, "computed_at"]:
                setattr(old, name, getattr(rating, name))
            if decided:
                to_update.append(old)
                events.append(_event(username, "re-rated", old, before))
            else:
                reworded.append(old)
    if reworded:
        events.append(_reworded_event(username, reworded))
    DivisionRating.objects.bulk_create(to_create, batch_size=500)
    DivisionRating.objects.bulk_update(
        [*to_update, *reworded], [*CHANGE_FIELDS, "computed_at"], batch_size=500
    )
    AuditEvent.objects.bulk_create(events, batch_size=500)
    if to_create or to_update or reworded:
        forget_ipr_content()  # bulk writes send no model signal; the IPR shows each division's position
    return RatingRun(
        months=len(wanted),
        divisions=len(inputs.divisions),
        created=len(to_create),
        updated=len(to_update),
        unchanged=unchanged,
        reworded=len(reworded),
    )


def _reworded_event(actor: str, ratings: list[DivisionRating]) -> AuditEvent:
    """One event for the run's ratings whose explanation alone changed: a record that they were rewritten,
    not a claim that any division's rating changed."""
    return AuditEvent(
        actor=actor,
        verb="explanations reworded",
        object_type=DivisionRating._meta.label,
        after={"ratings": [f"{r.division.code} {r.month:%Y-%m}" for r in ratings]},
        note=(
            f"{len(ratings)} rating explanations rewritten; no position, review frequency or criterion"
            " outcome changed"
        ),
    )


def _event(actor: str, verb: str, rating: DivisionRating, before: dict[str, Any] | None) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        verb=verb,
        object_type=DivisionRating._meta.label,
        object_id=f"{rating.division.code} {rating.month:%Y-%m}",
        before=before,
        after=_changes(rating),
        note=rating.effective_reason,
    )


@transaction.atomic
def record_accountability_review(
    *,
    actor: User,
    division: OrgUnit,
    held_on: date,
    agreed_position: int,
    rationale: str,
    valid_until: date | None = None,
) -> AccountabilityReview:
    """Record the executives' agreed position for a division, and re-rate from the month it agreed on.

    The review is about the division's latest rating: its month and computed position are recorded with it.
    An agreed position that differs from the computed one needs a written rationale. The review holds for
    six months (to ``valid_until``) unless the division deteriorates.
    """
    latest = DivisionRating.objects.filter(division=division).order_by("-month").first()
    if latest is None:
        raise ValidationError(f"{division.name} has no rating yet to review.")
    if latest.computed_position is None:
        raise ValidationError(
            f"{division.name} was not rated in {format_month(latest.month)}: there is no computed position to"
            " agree on. Set up what its rating says is missing, and review it once it is rated."
        )
    if agreed_position not in (1, 2, 3, 4):
        raise ValidationError("The agreed position must be 1, 2, 3 or 4.")
    rationale = rationale.strip()
    if agreed_position != latest.computed_position and not rationale:
        raise ValidationError(
            f"The agreed position {agreed_position} differs from the computed position"
            f" {latest.computed_position}: write the rationale for the difference."
        )
    review = AccountabilityReview.objects.create(
        division=division,
        held_on=held_on,
        month=latest.month,
        computed_position=latest.computed_position,
        agreed_position=agreed_position,
        rationale=rationale,
        valid_until=valid_until or add_months(held_on.replace(day=1), 6),
        decided_by=actor,
    )
    record_audit(
        actor=actor,
        verb="agreed position",
        object_type=AccountabilityReview._meta.label,
        object_id=review.pk,
        after=snapshot(review),
        note=f"{division.name}: position {agreed_position} (computed {latest.computed_position})",
    )
    rerate_from(latest.month, actor=actor)
    return review


def rerate_from(month: date | None, *, actor: Actor) -> None:
    """A decision about a division (special measures, an agreed position) changes its ratings from ``month``
    at once, and with them, perhaps, its review frequency: re-rate and re-plan the meetings now, as the
    publish pipeline's ratings and schedules steps would. Cases and the IPR content read the new ratings."""
    compute_ratings(months=months_to_rate(month), actor=actor)
    sync_schedules(actor=actor)
