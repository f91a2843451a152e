"""Default texts that follow the trust's words: a row seeded from a template with level placeholders
(``pmf.words.TrustWords.fill``) is rewritten when the trust renames its levels, unless the trust has edited
it since."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from pmf.words import TrustWords, reworded

from .audit import Actor, update_audited

REWORDED = "a default text, written again in the trust's new words for its levels"


def reword_default(
    instance: models.Model,
    templates: Mapping[str, str],
    *,
    before: TrustWords,
    after: TrustWords,
    actor: Actor = None,
) -> bool:
    """Rewrite each field of ``instance`` named in ``templates`` (field → the default's template) that still
    reads as the template filled with ``before``, filled with ``after`` instead; one audited save for the row.
    Returns whether anything changed."""
    fields: dict[str, Any] = {
        name: new
        for name, template in templates.items()
        if (new := reworded(getattr(instance, name), template, before, after)) is not None
    }
    if fields:
        update_audited(instance, actor=actor, verb="reworded", why=REWORDED, **fields)
    return bool(fields)
