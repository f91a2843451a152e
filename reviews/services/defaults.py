"""The default rating criteria (DESIGN §4.5) and scheme of delegation, created once in the trust's words and
then left to the performance team to edit in the admin."""

from __future__ import annotations

from typing import Any

from divisions.words import trust_words
from kpis.models import Domain, Tag
from pmf.services.audit import Actor, record_change
from pmf.services.reword import reword_default
from pmf.words import TrustWords

from ..models import Criterion, Freedom

# code, name, domain code, tag, counts policy breaches
DEFAULT_CRITERIA = [
    ("FIN", "Adherence to financial plan", "finance", None, False),
    ("QUAL", "Quality indicators met", "quality", None, False),
    ("PERF", "Performance indicators met", "operational", None, False),
    ("POL", "Adherence to Trust policies and protocols", "workforce", "policy", True),
]

# position (held at that position and better), name, detail (the levels as ``TrustWords.fill`` placeholders:
# ``freedoms(words)`` writes them in the trust's words)
DEFAULT_FREEDOMS = [
    (
        2,
        "Revenue authorisation limit",
        "Authorise revenue spend within the {division}'s budget up to its limit.",
    ),
    (2, "Flexible staffing budget", "Use the staffing budget flexibly across the {division}'s {services}."),
    (2, "Pay ↔ non-pay moves", "Move budget between pay and non-pay lines without executive approval."),
    (1, "Own capital allocation", "Prioritise and spend the {division}'s share of the capital programme."),
    (1, "Supplier and commissioner contracts", "Negotiate and sign supplier and commissioner contracts."),
    (1, "New services within trust rules", "Develop and start new services within the trust's rules."),
]


def freedoms(words: TrustWords) -> list[tuple[int, str, str]]:
    """The default freedoms (position, name, detail), their details in the trust's words."""
    return [(position, name, words.fill(detail)) for position, name, detail in DEFAULT_FREEDOMS]


def seed_rating_defaults(*, actor: Actor = None, words: TrustWords | None = None) -> int:
    """Create the default criteria and freedoms that do not exist yet, in the trust's ``words`` (read when not
    given); return how many were created.

    Existing rows are never changed, so the performance team's edits survive. A criterion whose domain does
    not exist is skipped.
    """
    created = 0
    domains = {d.code: d for d in Domain.objects.all()}
    for order, (code, name, domain_code, tag_slug, breaches) in enumerate(DEFAULT_CRITERIA):
        if domain_code not in domains or Criterion.objects.filter(code=code).exists():
            continue
        tag = Tag.objects.get_or_create(slug=tag_slug)[0] if tag_slug else None
        criterion = Criterion.objects.create(
            code=code,
            name=name,
            order=order,
            domain=domains[domain_code],
            tag=tag,
            counts_policy_breaches=breaches,
        )
        record_change(actor=actor, instance=criterion, before=None, note="default rating criterion")
        created += 1
    for order, (position, name, detail) in enumerate(freedoms(words or trust_words())):
        freedom, made = Freedom.objects.get_or_create(
            position=position, name=name, defaults={"detail": detail, "order": order}
        )
        if made:
            record_change(actor=actor, instance=freedom, before=None, note="default freedom")
            created += 1
    return created


def reword_freedoms(*, before: TrustWords, after: TrustWords, actor: Actor = None, **_: Any) -> int:
    """The default freedoms whose detail still reads as seeded in the trust's ``before`` words, rewritten in
    its ``after`` words, each audited; a detail the trust edited is left alone. Returns how many changed.
    (A receiver of ``divisions.signals.level_labels_changed``.)"""
    templates = {(position, name): detail for position, name, detail in DEFAULT_FREEDOMS}
    return sum(
        reword_default(freedom, {"detail": templates[key]}, before=before, after=after, actor=actor)
        for freedom in Freedom.objects.filter(name__in=[name for _, name in templates]).order_by("pk")
        if (key := (freedom.position, freedom.name)) in templates
    )
