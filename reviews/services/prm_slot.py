"""Moving the trust's PRM slot, and re-planning every division's future PRMs onto it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from divisions.models import Level, OrgUnit, TrustProfile
from pmf.periods import FinancialYear
from pmf.services.audit import Actor, update_audited

from ..models import DivisionRating, Meeting, MeetingKind
from .meetings import ScheduleChange, plan_schedule


@transaction.atomic
def change_prm_slot(
    *, actor: Actor, weekday: int, week_of_month: int, today: date | None = None
) -> list[ScheduleChange]:
    """Set the PRM slot on the trust's profile and re-plan future PRMs onto it.

    1. The profile's slot is set and audited with its before and after; the same slot again changes nothing.
    2. Every division with a rating has its PRMs of this financial year, and of the next where some are
       planned already, re-planned at its latest review frequency: future planned meetings move to the new
       day (one with a pack already built is cancelled with the reason), held and cancelled ones stay.
    """
    if weekday not in range(5) or week_of_month not in range(1, 5):
        raise ValidationError(
            "PRMs fall on a weekday (Monday to Friday) of the first to fourth week of a month."
        )
    today = today or date.today()
    profile = TrustProfile.objects.select_for_update().first()
    if profile is None:
        raise ValidationError(
            "This deployment has no trust yet: start it with start_trust, then set the slot."
        )
    event = update_audited(
        profile,
        actor=actor,
        verb="PRM slot changed",
        only_if_changed=True,
        prm_weekday=weekday,
        prm_week_of_month=week_of_month,
    )
    if event is None:
        return []
    latest: dict[int, str] = {}
    for division_id, frequency in DivisionRating.objects.order_by("division_id", "-month").values_list(
        "division_id", "review_frequency"
    ):
        latest.setdefault(division_id, frequency)
    this_year = FinancialYear.containing(today)
    changes = []
    for division in OrgUnit.objects.filter(level=Level.DIVISION, pk__in=list(latest)).order_by("code"):
        for year in (this_year, this_year.next()):
            planned = Meeting.objects.filter(
                division=division,
                kind=MeetingKind.PRM,
                scheduled_for__gte=year.first_day,
                scheduled_for__lte=year.last_day,
            )
            if year != this_year and not planned.exists():
                continue
            changes.append(
                plan_schedule(
                    division=division,
                    financial_year=year,
                    frequency=latest[division.pk],  # type: ignore[arg-type]
                    today=today,
                    actor=actor,
                    why="the PRM slot moved",
                )
            )
    return changes
