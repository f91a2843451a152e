"""The framework's five committees (DESIGN §3) as a new trust gets them, their remits in the trust's words.

The escalation app's migration seeded them before any trust had words; a remit that names a level is kept
here as a ``TrustWords.fill`` template, so that a trust's own words replace the generic ones, as seeded and
whenever it renames its levels, until it edits the remit itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from pmf.services.audit import Actor
from pmf.services.reword import reword_default
from pmf.words import TrustWords

from ..models import Committee

# code, name, purpose, order, weekday it meets (Monday = 0), week of the month it meets (-1 = the last)
Seeded = tuple[str, str, str, int, int, int]
SEEDED: list[Seeded] = import_module("escalation.migrations.0002_seed_committees").COMMITTEES

# The remits that name a level, by committee code (each reads as the migration wrote it in generic words).
REMITS = {"trust-board": "Is told of {divisions} in special measures and of cases under executive decision."}


def default_committees(words: TrustWords) -> list[Seeded]:
    """The five committees, each remit in the trust's ``words``."""
    return [
        (code, name, words.fill(REMITS.get(code, purpose)), order, weekday, week)
        for code, name, purpose, order, weekday, week in SEEDED
    ]


def reword_committees(*, before: TrustWords, after: TrustWords, actor: Actor = None, **_: Any) -> int:
    """The committees whose remit still reads as seeded in the trust's ``before`` words, rewritten in its
    ``after`` words, each audited (a receiver of ``divisions.signals.level_labels_changed``); returns how
    many."""
    return sum(
        reword_default(
            committee, {"purpose": REMITS[committee.code]}, before=before, after=after, actor=actor
        )
        for committee in Committee.objects.filter(code__in=list(REMITS)).order_by("pk")
    )
