"""The open escalation cases a data pack and the FPEC summary paper list.

Cases are the escalation app's, a floor above this one, and the rows that describe them are composed there
(``escalation.selectors.open_case_rows``). This module names what a pack needs and lets the app that owns
cases supply it when it starts (``EscalationConfig.ready`` calls ``supply_open_cases``), so the pack never
imports upwards. Asking before a reader is supplied is a mistake in the set-up: it says so rather than build
a pack that silently lists no cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from divisions.models import OrgUnit

# Open cases of one division (or of all, for None), oldest first, each a JSON-ready dict.
OpenCaseReader = Callable[[OrgUnit | None], list[dict[str, Any]]]

_readers: list[OpenCaseReader] = []


def supply_open_cases(reader: OpenCaseReader) -> None:
    """Called once by the app that owns escalation cases, as it starts."""
    _readers[:] = [reader]


def open_escalations(division: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Open escalation cases (of one division, or all), oldest first, as the owner of cases lists them."""
    if not _readers:
        raise ImproperlyConfigured("No app supplies open escalation cases: is 'escalation' installed?")
    return _readers[0](division)
