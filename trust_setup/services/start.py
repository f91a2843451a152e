"""``start_trust``: an empty deployment for one NHS trust, with every default the framework needs.

Steps:
1. Read the trust from the ODS reference: a code that is not an open NHS trust in England is refused with the
   reason. So is a deployment that already serves another trust (one deployment serves one trust).
2. Create what is missing, and only what is missing, so the performance team's edits survive and a second
   run changes nothing: the trust unit and its profile (ODS code, type, region, ICB, the PRM slot, the names
   of the rating positions), its level labels, the four domains, the four rating criteria and the freedoms,
   the five committees, the meetings' terms of reference, and a first performance-team account if one is
   named.
3. Audit each row created, and the start itself with the list of what it created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from divisions.models import Level, LevelLabel, OrgUnit, Role, TrustProfile
from divisions.ods import NhsTrust, NotAnOpenTrust, open_trust
from divisions.services.org import check_one_trust, save_org_unit
from divisions.services.roles import add_user, assign_role
from divisions.signals import level_labels_changed
from divisions.words import trust_words
from escalation.models import Committee
from kpis.models import Domain
from kpis.services.catalogue import save_domain
from pmf.models import User
from pmf.services.audit import Actor, record_audit, record_change
from pmf.words import TrustWords
from reviews.models import Criterion, Freedom, TermsOfReference
from reviews.services.defaults import seed_rating_defaults
from reviews.services.meetings import terms_of_reference

from .. import defaults

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class StartRefused(Exception):
    """The deployment cannot be started for this code; the message says why."""


@dataclass(frozen=True)
class StartResult:
    trust: OrgUnit
    nhs_trust: NhsTrust
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


@transaction.atomic
def start_trust(
    *, ods_code: str, today: date, actor: Actor = None, performance_lead: str = "", lead_email: str = ""
) -> StartResult:
    """Start (or confirm) the deployment for the trust ``ods_code`` (steps in the module docstring)."""
    try:
        nhs = open_trust(ods_code, on=today)
        _check_serves_no_other_trust(nhs)
    except (NotAnOpenTrust, ValidationError) as refusal:
        raise StartRefused(_message(refusal)) from refusal
    created: list[str] = []
    trust = OrgUnit.objects.filter(level=Level.TRUST, code=nhs.code).first()
    if trust is None:
        trust = save_org_unit(
            actor=actor,
            code=nhs.code,
            name=nhs.name,
            level=Level.TRUST,
            parent=None,
            active_from=nhs.open_date,
        )
        created.append(f"the trust {trust.name} ({trust.code})")
    created += _profile(actor, trust, nhs)
    before = trust_words()
    created += _level_labels(actor, trust, nhs.trust_type)
    words = trust_words()
    if words != before:  # the committees seeded with the database, in generic words, take the trust's
        level_labels_changed.send(sender=LevelLabel, before=before, after=words, actor=actor)
    created += _domains(actor)
    created += _rating_defaults(actor, words)
    created += _committees(actor, words)
    created += _terms_of_reference(actor)
    if performance_lead:
        created += _performance_lead(actor, performance_lead, lead_email, today)
    if created:
        record_audit(
            actor=actor,
            verb="trust started",
            object_type=OrgUnit._meta.label,
            object_id=trust.pk,
            after={"ods_code": nhs.code, "created": created},
        )
    return StartResult(trust=trust, nhs_trust=nhs, created=created)


def _message(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal)


def _check_serves_no_other_trust(nhs: NhsTrust) -> None:
    profile = TrustProfile.objects.select_related("trust").first()
    if profile is not None and profile.ods_code != nhs.code:
        raise StartRefused(
            f"This deployment already serves {profile.trust.name} ({profile.ods_code}); one deployment "
            f"serves one trust. Start {nhs.code} in a deployment of its own."
        )
    check_one_trust(nhs.code)


def _profile(actor: Actor, trust: OrgUnit, nhs: NhsTrust) -> list[str]:
    if TrustProfile.objects.filter(trust=trust).exists():
        return []
    profile = TrustProfile(
        trust=trust,
        ods_code=nhs.code,
        trust_type=nhs.trust_type,
        region_code=nhs.region_code,
        region_name=nhs.region_name,
        icb_code=nhs.icb_code,
        icb_name=nhs.icb_name,
        position_names=defaults.position_names(nhs.trust_type),
    )
    profile.full_clean()
    profile.save()
    record_change(actor=actor, instance=profile, before=None, note="from the ODS reference")
    kind = profile.get_trust_type_display().lower()
    slot = f"{WEEKDAYS[profile.prm_weekday]} of week {profile.prm_week_of_month}"
    return [
        f"its profile ({kind} trust, {nhs.region_name}, {nhs.icb_name or nhs.icb_code} ICB; PRMs on {slot})"
    ]


def _level_labels(actor: Actor, trust: OrgUnit, trust_type: str) -> list[str]:
    have = set(LevelLabel.objects.filter(trust=trust).values_list("level", flat=True))
    made = []
    for level, (singular, plural) in defaults.LEVEL_LABELS[trust_type].items():
        if level in have:
            continue
        label = LevelLabel.objects.create(trust=trust, level=level, singular=singular, plural=plural)
        record_change(actor=actor, instance=label, before=None, note="default level label")
        made.append(singular)
    return [f"level labels {' / '.join(made)}"] if made else []


def _domains(actor: Actor) -> list[str]:
    have = set(Domain.objects.values_list("code", flat=True))
    made = [
        save_domain(actor=actor, code=code, name=name, order=order).name
        for order, (code, name) in enumerate(defaults.DOMAINS)
        if code not in have
    ]
    return [f"domains {', '.join(made)}"] if made else []


def _rating_defaults(actor: Actor, words: TrustWords) -> list[str]:
    """The default rating criteria and freedoms that were missing, said by what was made."""
    criteria = set(Criterion.objects.values_list("code", flat=True))
    freedoms = Freedom.objects.count()
    seed_rating_defaults(actor=actor, words=words)
    made = [code for code in Criterion.objects.values_list("code", flat=True) if code not in criteria]
    new_freedoms = Freedom.objects.count() - freedoms
    return [
        *([f"rating criteria {', '.join(made)}"] if made else []),
        *([f"{new_freedoms} freedom{'s' if new_freedoms != 1 else ''}"] if new_freedoms else []),
    ]


def _committees(actor: Actor, words: TrustWords) -> list[str]:
    have = set(Committee.objects.values_list("code", flat=True))
    made = []
    for code, name, purpose, order, weekday, week in defaults.default_committees(words):
        if code in have:
            continue
        committee = Committee.objects.create(
            code=code, name=name, purpose=purpose, order=order, meets_weekday=weekday, meets_week=week
        )
        record_change(actor=actor, instance=committee, before=None, note="default committee")
        made.append(name)
    return [f"committees {', '.join(made)}"] if made else []


def _terms_of_reference(actor: Actor) -> list[str]:
    have = set(TermsOfReference.objects.values_list("kind", flat=True))
    made = []
    for kind in defaults.DEFAULT_TERMS:
        if kind in have:
            continue
        terms = terms_of_reference(kind)
        record_change(actor=actor, instance=terms, before=None, note="default terms of reference")
        made.append(terms.get_kind_display().lower())
    return [f"terms of reference of the {' and the '.join(made)}"] if made else []


def _performance_lead(actor: Actor, username: str, email: str, today: date) -> list[str]:
    user = User.objects.filter(username=username).first()
    made = []
    if user is None:
        user = add_user(actor=actor, username=username, first_name="", last_name="", email=email)
        made.append(f"the user {username}")
    if not user.role_assignments.filter(role=Role.PERFORMANCE_TEAM).exists():
        assign_role(actor=actor, user=user, role=Role.PERFORMANCE_TEAM, org_unit=None, start=today)
        made.append(f"{username}'s performance-team role")
    return made
