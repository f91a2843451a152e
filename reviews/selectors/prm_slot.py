"""The trust's PRM slot and review frequencies, read from its profile (``divisions.TrustProfile``), for
planning schedules and rating."""

from __future__ import annotations

from divisions.models import TrustProfile
from divisions.review_frequencies import default_review_frequencies

from ..schedule import DEFAULT_PRM_SLOT, PrmSlot


def prm_slot() -> PrmSlot:
    """The day PRMs fall on: the trust profile's slot, or ``DEFAULT_PRM_SLOT`` for a trust with no profile."""
    slot = TrustProfile.objects.values_list("prm_weekday", "prm_week_of_month").first()
    return PrmSlot(*slot) if slot is not None else DEFAULT_PRM_SLOT


def review_frequency_table() -> dict[str, str]:
    """How often a division at each position is reviewed ({"1": "6-monthly", …}): the trust profile's table,
    or the table of DESIGN §4.5 for a trust with no profile (one query)."""
    table = TrustProfile.objects.values_list("review_frequencies", flat=True).first()
    return dict(table) if table else default_review_frequencies()
