"""PRM data packs: build a frozen snapshot, edit its lines of enquiry, issue (−7 days), circulate (−2 days).

Every step writes an AuditEvent. A pack is edited only until it is issued; the PDF is rendered from the
snapshot when it is issued (and again when it is circulated, for its cover's status), so later restatements of
the data never change what the division received. Printing is a worker's job (`reviews.services.pdf_jobs`):
issuing or circulating owes a print and returns at once; a stored PDF out of date (a draft edited, an issued
pack circulated) is dropped when it goes out of date, so no stale file is served.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from kpis.printing import draw_report_charts, html_to_pdf
from pmf.formatting import format_date, format_month
from pmf.services.audit import Actor, record_audit, snapshot, update_audited
from reviews.lines_of_enquiry import parse_edited
from reviews.schedule import pack_deadlines

from ..ipr.content import IprContent
from ..ipr.selectors import arranged
from ..models import DataPack, Invitation, Meeting
from ..selectors.packs import meetings_needing_packs, pack_content, pack_period
from .pdf_jobs import PACK_PRINT, owe_pdf

STATE_FIELDS = ["issued_to_division_at", "circulated_at", "issued_late", "circulated_late"]


def _audit(actor: Actor, verb: str, pack: DataPack, before: dict[str, Any] | None, note: str = "") -> None:
    record_audit(
        actor=actor,
        verb=verb,
        object_type=DataPack._meta.label,
        object_id=pack.pk,
        before=before,
        after={
            **snapshot(pack, ["meeting_id", "period", *STATE_FIELDS]),
            "lines": len(pack.lines_of_enquiry),
        },
        note=note,
    )


@transaction.atomic
def build_pack(*, meeting: Meeting, actor: Actor = None, today: date | None = None) -> DataPack:
    """Build (or, before issue, rebuild) the meeting's pack from the data as it stands.

    1. The period is the latest rated month before the meeting's month.
    2. The snapshot holds the cover, position and why, scorecard, exception charts, commentary, open actions
       and escalations; the generated lines of enquiry become the editable list.
    3. An issued pack is never rebuilt.
    """
    today = today or timezone.localdate()
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(f"Packs are built for planned meetings; this one is {meeting.status}.")
    period = pack_period(meeting.division, meeting.scheduled_for)
    if period is None:
        raise ValidationError(f"{meeting.division.name} has no rated month to report yet.")
    existing = DataPack.objects.select_for_update().filter(meeting=meeting).first()
    if existing is not None and existing.is_issued:
        raise ValidationError("This pack has been issued: it is frozen and cannot be rebuilt.")
    content = pack_content(meeting, period, today=today)
    deadlines = pack_deadlines(meeting.scheduled_for)
    pack = existing or DataPack(meeting=meeting)
    _drop_pdf(pack)
    pack.period, pack.snapshot = period, json.loads(json.dumps(content, default=str))
    pack.lines_of_enquiry = content["generated_lines"]
    pack.built_at, pack.built_by = timezone.now(), actor if actor and actor.is_authenticated else None
    pack.due_to_division, pack.due_to_invitees = deadlines.to_division, deadlines.to_invitees
    pack.save()
    _audit(
        actor,
        "pack built" if existing is None else "pack rebuilt",
        pack,
        None,
        f"data for {format_month(period)}",
    )
    return pack


@transaction.atomic
def edit_pack(*, pack: DataPack, actor: Actor, lines: str, risks: str) -> DataPack:
    """The performance team's edits before issue: the key lines of enquiry (one per line) and key risks."""
    pack = DataPack.objects.select_for_update().get(pk=pack.pk)
    if pack.is_issued:
        raise ValidationError("This pack has been issued: it is frozen.")
    _drop_pdf(pack)
    pack.save(update_fields=["pdf"])
    update_audited(
        pack, actor=actor, verb="pack edited", lines_of_enquiry=parse_edited(lines), risks=risks.strip()
    )
    return pack


def pack_context(pack: DataPack) -> dict[str, Any]:
    """What the pack templates show, from the snapshot alone (no queries)."""
    data = pack.snapshot
    content = arranged(IprContent.from_json(data["content"]))
    return {
        **content,
        "pack": pack,
        "data": data,
        "division": data["division"],
        "rating": data.get("rating"),
        "previous_rating": data.get("previous_rating"),
        "actions": [{**a, "due_date": date.fromisoformat(a["due_date"])} for a in data.get("actions", [])],
        "escalations": data.get("escalations", []),
        "meeting_day": date.fromisoformat(data["meeting"]["scheduled_for"]),
        "period": date.fromisoformat(data["period"]),
        "commented": [r for r in content["content"].kpis if r.commentary],
        "national": data.get("national"),
    }


def render_pack_pdf(pack: DataPack) -> bytes:
    """The pack as a PDF: its exception charts are drawn by the system Chromium while WeasyPrint lays out
    the printable HTML (`kpis.printing`)."""
    context = {**pack_context(pack), "printing": True}
    charts = draw_report_charts(context["exceptions"], height=340)
    return html_to_pdf(render_to_string("reviews/pack_pdf.html", context), charts=charts)


def _drop_pdf(pack: DataPack) -> None:
    """Forget the stored PDF, now out of date (not yet saved)."""
    if pack.pdf:
        pack.pdf.delete(save=False)


def store_pack_pdf(pack: DataPack) -> DataPack:
    """Print the pack as it now stands and store the PDF with it: a worker's job, never a request's.

    The pack is printed when it is issued and again when it is circulated: the snapshot is frozen, so the
    two differ only in the cover's status, which says what happened to the pack and when."""
    pdf = render_pack_pdf(pack)
    _drop_pdf(pack)
    pack.pdf.save(
        f"pack-{pack.meeting.division.code}-{pack.meeting.scheduled_for:%Y-%m-%d}.pdf",
        ContentFile(pdf),
        save=False,
    )
    pack.save(update_fields=["pdf"])
    return pack


@dataclass
class Notice:
    subject: str
    body: str
    to: list[str] = field(default_factory=list)


def _notify(notices: list[Notice]) -> int:
    messages = [(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, n.to) for n in notices if n.to]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _emails(pack: DataPack, *, division_only: bool) -> list[str]:
    invitations = Invitation.objects.filter(meeting=pack.meeting).select_related("user")
    if division_only:
        invitations = invitations.filter(role__in=["managing_director", "clinical_director", "clinical_lead"])
    return sorted({i.user.email for i in invitations if i.user.email})


def _pack_url(pack: DataPack) -> str:
    return f"{getattr(settings, 'PMF_SITE_URL', '').rstrip('/')}/meetings/{pack.meeting_id}/pack/"


@transaction.atomic
def issue_pack(*, pack: DataPack, actor: Actor = None, now: datetime | None = None) -> DataPack:
    """Issue the pack to the division: freeze it, owe its PDF, e-mail the triumvirate, flag it late if it
    went out after its deadline (7 calendar days before the meeting)."""
    now = now or timezone.now()
    pack = DataPack.objects.select_for_update().select_related("meeting__division").get(pk=pack.pk)
    if pack.is_issued:
        raise ValidationError("This pack has already been issued.")
    before = snapshot(pack, STATE_FIELDS)
    pack.issued_to_division_at = now
    pack.issued_late = pack.issued_late or timezone.localdate(now) > pack.due_to_division
    _drop_pdf(pack)  # a draft's print
    pack.save()
    owe_pdf(PACK_PRINT, pack_id=pack.pk)  # printed after the issue is set, so the cover says "Issued"
    meeting = pack.meeting
    _notify(
        [
            Notice(
                f"Data pack issued: {meeting}",
                f"The data pack for the {meeting} is ready to read: {_pack_url(pack)}\n"
                f"Data for {format_month(pack.period)}."
                f"{' This pack was issued late.' if pack.issued_late else ''}",
                _emails(pack, division_only=True),
            )
        ]
    )
    _audit(actor, "pack issued", pack, before, "late" if pack.issued_late else "on time")
    return pack


@transaction.atomic
def circulate_pack(*, pack: DataPack, actor: Actor = None, now: datetime | None = None) -> DataPack:
    """Circulate the issued pack to every invitee (due 2 calendar days before the meeting), its PDF owed
    again from the frozen snapshot so that its cover says when it was circulated."""
    now = now or timezone.now()
    pack = DataPack.objects.select_for_update().select_related("meeting__division").get(pk=pack.pk)
    if not pack.is_issued:
        raise ValidationError(f"Issue the pack to {pack.meeting.division.name} before circulating it.")
    if pack.circulated_at is not None:
        raise ValidationError("This pack has already been circulated.")
    before = snapshot(pack, STATE_FIELDS)
    pack.circulated_at = now
    pack.circulated_late = pack.circulated_late or timezone.localdate(now) > pack.due_to_invitees
    _drop_pdf(pack)  # its cover says "Issued"
    pack.save(update_fields=["circulated_at", "circulated_late", "pdf"])
    owe_pdf(PACK_PRINT, pack_id=pack.pk)
    _notify(
        [
            Notice(
                f"Data pack circulated: {pack.meeting}",
                f"The data pack for the {pack.meeting} is circulated to invitees: {_pack_url(pack)}",
                _emails(pack, division_only=False),
            )
        ]
    )
    _audit(actor, "pack circulated", pack, before, "late" if pack.circulated_late else "on time")
    return pack


@dataclass
class DeadlineRun:
    built: list[int] = field(default_factory=list)
    circulated: list[int] = field(default_factory=list)
    flagged_late: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[int]]:
        return {"built": self.built, "circulated": self.circulated, "flagged_late": self.flagged_late}


def run_pack_deadlines(*, today: date | None = None) -> DeadlineRun:
    """The daily job. Safe to run twice a day: each step happens once.

    1. Build a draft pack for each planned meeting within the build horizon that has none (and tell the
       performance team it is ready to check).
    2. A pack not issued by its deadline to the division is flagged late (and the team told).
    3. An issued pack reaching its circulation date is circulated to invitees; one that missed it is flagged.
    """
    today = today or timezone.localdate()
    run = DeadlineRun()
    for meeting in meetings_needing_packs(today):
        pack = DataPack.objects.filter(meeting=meeting).first()
        if pack is None:
            try:
                pack = build_pack(meeting=meeting, today=today)
            except ValidationError:
                continue
            run.built.append(pack.pk)
        if not pack.is_issued and today > pack.due_to_division and not pack.issued_late:
            DataPack.objects.filter(pk=pack.pk).update(issued_late=True)
            record_audit(
                actor=None,
                verb="pack late",
                object_type=DataPack._meta.label,
                object_id=pack.pk,
                note=f"not issued by {format_date(pack.due_to_division)}",
            )
            run.flagged_late.append(pack.pk)
        if pack.is_issued and pack.circulated_at is None and today >= pack.due_to_invitees:
            circulate_pack(pack=pack)
            run.circulated.append(pack.pk)
    return run
