"""The default rating criteria (DESIGN §4.5) and scheme of delegation, created once and then left to the
performance team to edit in the admin."""

from __future__ import annotations

from kpis.models import Domain, Tag
from pmf.services.audit import Actor, record_change

from ..models import Criterion, Freedom

# code, name, domain code, tag, counts policy breaches
DEFAULT_CRITERIA = [
    ("FIN", "Adherence to financial plan", "finance", None, False),
    ("QUAL", "Quality indicators met", "quality", None, False),
    ("PERF", "Performance indicators met", "operational", None, False),
    ("POL", "Adherence to Trust policies and protocols", "workforce", "policy", True),
]

# position (held at that position and better), name, detail
DEFAULT_FREEDOMS = [
    (
        2,
        "Revenue authorisation limit",
        "Authorise revenue spend within the division's budget up to its limit.",
    ),
    (2, "Flexible staffing budget", "Use the staffing budget flexibly across the division's services."),
    (2, "Pay ↔ non-pay moves", "Move budget between pay and non-pay lines without executive approval."),
    (1, "Own capital allocation", "Prioritise and spend the division's share of the capital programme."),
    (1, "Supplier and commissioner contracts", "Negotiate and sign supplier and commissioner contracts."),
    (1, "New services within trust rules", "Develop and start new services within the trust's rules."),
]


def seed_rating_defaults(*, actor: Actor = None) -> int:
    """Create the default criteria and freedoms that do not exist yet; return how many were created.

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
    for order, (position, name, detail) in enumerate(DEFAULT_FREEDOMS):
        freedom, made = Freedom.objects.get_or_create(
            position=position, name=name, defaults={"detail": detail, "order": order}
        )
        if made:
            record_change(actor=actor, instance=freedom, before=None, note="default freedom")
            created += 1
    return created
