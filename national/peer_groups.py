"""Stored peer groups, kept by the performance team: a hand-picked list of ODS codes, or a trust type, NHS
England region or ICB named by its code (``selectors.peer_sets_for`` offers them beside the standard three).

``save_peer_group`` checks everything before writing: a name not taken, hand-picked codes that are NHS trusts
in the ODS reference (every unknown one named), a criterion some English trust has. Saving and removing are
audited.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from divisions import ods
from pmf.services.audit import Actor, record_audit

from .models import PeerGroup

CRITERIA = {
    PeerGroup.Kind.TRUST_TYPE: "trust_type",
    PeerGroup.Kind.REGION: "region_code",
    PeerGroup.Kind.ICB: "icb_code",
}


def listed_codes(text: str) -> list[str]:
    """ODS codes written one per line or separated by commas or spaces, upper case, each once, in order."""
    return list(dict.fromkeys(code.upper() for code in re.split(r"[\s,;]+", text) if code))


def _problems(name: str, kind: str, criterion: str, members: list[str]) -> list[str]:
    problems = []
    if not name:
        problems.append("Give the group a name.")
    elif PeerGroup.objects.filter(name=name).exists():
        problems.append(f"There is a peer group called {name} already: choose another name.")
    if kind == PeerGroup.Kind.HAND_PICKED:
        unknown = [code for code in members if ods.find(code) is None]
        if not members:
            problems.append("List the ODS codes of the group's trusts.")
        elif unknown:
            problems.append(f"Not NHS trusts in the ODS reference: {', '.join(unknown)}.")
    elif kind in CRITERIA:
        known = {getattr(t, CRITERIA[PeerGroup.Kind(kind)]) for t in ods.all_trusts() if t.in_england}
        if criterion not in known:
            label = PeerGroup.Kind(kind).label.lower()
            problems.append(f"{criterion or 'A blank code'} is no {label} of any English trust.")
    else:
        problems.append(f"{kind!r} is not a kind of peer group.")
    return problems


@transaction.atomic
def save_peer_group(
    *, actor: Actor, name: str, kind: str, criterion: str = "", members: str = ""
) -> PeerGroup:
    """Store a new peer group, or raise ``ValidationError`` naming every problem (nothing written)."""
    name = name.strip()
    codes = listed_codes(members) if kind == PeerGroup.Kind.HAND_PICKED else []
    criterion = "" if kind == PeerGroup.Kind.HAND_PICKED else criterion.strip()
    if kind in (PeerGroup.Kind.REGION, PeerGroup.Kind.ICB):
        criterion = criterion.upper()
    problems = _problems(name, kind, criterion, codes)
    if problems:
        raise ValidationError(problems)
    group = PeerGroup.objects.create(name=name, kind=kind, criterion=criterion, members=codes)
    record_audit(
        actor=actor,
        verb="created",
        object_type=PeerGroup._meta.label,
        object_id=group.pk,
        after={"name": name, "kind": kind, "criterion": criterion, "members": codes},
    )
    return group


@transaction.atomic
def remove_peer_group(*, actor: Actor, group: PeerGroup) -> None:
    record_audit(
        actor=actor,
        verb="removed",
        object_type=PeerGroup._meta.label,
        object_id=group.pk,
        before={
            "name": group.name,
            "kind": group.kind,
            "criterion": group.criterion,
            "members": group.members,
        },
    )
    group.delete()
