"""Changing how often a division at each position is reviewed: the trust's table, then the ratings and PRMs
that follow from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from divisions.models import TrustProfile
from divisions.review_frequencies import review_frequency_problems
from pmf.services.audit import Actor, update_audited

from ..models import DivisionRating
from .meetings import ScheduleChange, sync_schedules
from .prm_slot import change_prm_slot
from .ratings import RatingRun, compute_ratings


@dataclass(frozen=True)
class FrequencyChange:
    """What a change of the table did: the re-rating run (None when nothing was rated yet) and re-plans."""

    changed: bool
    ratings: RatingRun | None = None
    schedules: tuple[ScheduleChange, ...] = ()

    def summary(self) -> str:
        if not self.changed:
            return "The review frequencies are as they were: nothing re-rated or re-planned."
        rerated = self.ratings.updated if self.ratings is not None else 0
        return (
            f"The review frequencies are saved: {rerated} rating(s) re-rated and {len(self.schedules)}"
            " schedule(s) re-planned."
        )


@transaction.atomic
def change_review_frequencies(
    *, actor: Actor, frequencies: Mapping[str, str], today: date | None = None
) -> FrequencyChange:
    """Set the trust's review frequency for each position, then re-rate and re-plan.

    1. The table is checked (``divisions.review_frequencies``): every problem refuses it, nothing written.
    2. The profile's table is set, audited with its before and after; the same table again changes nothing.
    3. Every rated month is rated again with the new table (``compute_ratings``: the table has no dates, so
       every month is rated with the trust's table as it is now; each rating whose frequency changes gets a
       "re-rated" event), then this year's PRM schedules follow each division's latest frequency
       (``sync_schedules``: future planned PRMs re-planned, held and cancelled ones kept, audited).
    """
    table = {str(position): frequency for position, frequency in frequencies.items()}
    if problems := review_frequency_problems(table):
        raise ValidationError(problems)
    profile = TrustProfile.objects.select_for_update().first()
    if profile is None:
        raise ValidationError(
            "This deployment has no trust yet: start it with start_trust, then set the review frequencies."
        )
    event = update_audited(
        profile,
        actor=actor,
        verb="review frequencies changed",
        only_if_changed=True,
        review_frequencies=table,
    )
    if event is None:
        return FrequencyChange(changed=False)
    return follow_review_frequencies(actor=actor, today=today)


def follow_review_frequencies(*, actor: Actor, today: date | None = None) -> FrequencyChange:
    """Re-rate every rated month with the trust's table as stored, then bring this year's PRM schedules in
    line: what a change of the table owes, wherever it was made (the PRM slot page, the setup workbook).

    With nothing rated yet there is nothing to follow: the first rating run reads the table.
    """
    if not DivisionRating.objects.exists():
        return FrequencyChange(changed=True)
    run = compute_ratings(actor=actor)
    schedules = tuple(sync_schedules(today=today, actor=actor))
    return FrequencyChange(changed=True, ratings=run, schedules=schedules)


@dataclass(frozen=True)
class PrmSettingsChange:
    slot: list[ScheduleChange]
    frequencies: FrequencyChange

    def summary(self) -> str:
        slot = (
            f"PRMs now fall on the new slot: {len(self.slot)} schedule(s) re-planned, "
            f"{sum(c.added for c in self.slot)} meeting(s) planned and {sum(c.dropped for c in self.slot)} "
            "taken off."
            if self.slot
            else "The PRM slot is as it was."
        )
        return f"{slot} {self.frequencies.summary()}"


@transaction.atomic
def change_prm_settings(
    *,
    actor: Actor,
    weekday: int,
    week_of_month: int,
    frequencies: Mapping[str, str],
    today: date | None = None,
) -> PrmSettingsChange:
    """The PRM slot and the review frequencies together, as the PRM settings page saves them: both, or
    neither."""
    slot = change_prm_slot(actor=actor, weekday=weekday, week_of_month=week_of_month, today=today)
    return PrmSettingsChange(
        slot, change_review_frequencies(actor=actor, frequencies=frequencies, today=today)
    )
