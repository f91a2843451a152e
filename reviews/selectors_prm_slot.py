"""The trust's PRM slot, read from its profile (``divisions.TrustProfile``), for planning schedules."""

from __future__ import annotations

from divisions.models import TrustProfile

from .schedule import DEFAULT_PRM_SLOT, PrmSlot


def prm_slot() -> PrmSlot:
    """The day PRMs fall on: the trust profile's slot, or ``DEFAULT_PRM_SLOT`` for a trust with no profile."""
    slot = TrustProfile.objects.values_list("prm_weekday", "prm_week_of_month").first()
    return PrmSlot(*slot) if slot is not None else DEFAULT_PRM_SLOT
