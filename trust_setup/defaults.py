"""The editable defaults a new trust starts with (DESIGN §7), in one place for ``start_trust`` and the demo.

Level labels and the names of the rating positions follow the trust's type: an acute trust has divisions,
specialties and wards (as ULHT), an ambulance trust directorates, service lines and teams, and the YAS
categories for its positions. The criteria and freedoms (DESIGN §4.5), the committees (DESIGN §3) and the
meetings' terms of reference are the framework's own, kept where the apps that use them define them, their
texts in the trust's words (an ambulance trust's freedoms speak of the directorate's budget);
this module names them so a new trust gets every one.
"""

from __future__ import annotations

from divisions.models import Level, TrustType
from escalation.services.defaults import default_committees
from reviews.ratings import yas_category
from reviews.services.defaults import DEFAULT_CRITERIA, freedoms
from reviews.services.meetings import DEFAULT_TERMS, terms_in

__all__ = [
    "DEFAULT_CRITERIA",
    "DEFAULT_TERMS",
    "DOMAINS",
    "LEVEL_LABELS",
    "default_committees",
    "freedoms",
    "position_names",
    "terms_in",
]

# The balanced scorecard's four domains (DESIGN §3); the criteria select KPIs by them.
DOMAINS = (
    ("finance", "Finance"),
    ("workforce", "Workforce"),
    ("quality", "Quality"),
    ("operational", "Operational"),
)

_TRUST = ("Trust", "Trusts")
_HOSPITAL_WORDS: dict[str, tuple[str, str]] = {
    Level.TRUST: _TRUST,
    Level.DIVISION: ("Division", "Divisions"),
    Level.SERVICE: ("Specialty", "Specialties"),
    Level.TEAM: ("Ward", "Wards"),
}
_SERVICE_WORDS: dict[str, tuple[str, str]] = {
    Level.TRUST: _TRUST,
    Level.DIVISION: ("Division", "Divisions"),
    Level.SERVICE: ("Service", "Services"),
    Level.TEAM: ("Team", "Teams"),
}
# What each kind of trust calls its levels (singular, plural); every label can be edited afterwards.
LEVEL_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    TrustType.ACUTE: _HOSPITAL_WORDS,
    TrustType.SPECIALIST: _HOSPITAL_WORDS,
    TrustType.AMBULANCE: {
        Level.TRUST: _TRUST,
        Level.DIVISION: ("Directorate", "Directorates"),
        Level.SERVICE: ("Service line", "Service lines"),
        Level.TEAM: ("Team", "Teams"),
    },
    TrustType.MENTAL_HEALTH: _SERVICE_WORDS,
    TrustType.COMMUNITY: _SERVICE_WORDS,
}


def position_names(trust_type: str) -> dict[str, str]:
    """What the trust calls its rating positions: an ambulance trust the YAS categories; others the
    framework's own names (none stored, so the generic names of DESIGN §4.5 show)."""
    if trust_type == TrustType.AMBULANCE:
        return {str(position): yas_category(position) for position in (1, 2, 3, 4)}
    return {}
