"""The page's imports: an uploaded workbook is kept with its preview, and applied from the kept bytes."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from pmf.models import User
from pmf.services.audit import record_audit, update_audited

from ..models import SetupImport
from .files import UnreadableFile
from .plan import Plan
from .service import apply_setup, preview, read_content, sha256_of, unreadable


def _checked(content: bytes, name: str) -> Plan:
    try:
        return preview(read_content(content, name))
    except UnreadableFile as error:
        return unreadable(error)


@transaction.atomic
def upload_setup(*, actor: User, content: bytes, name: str) -> SetupImport:
    """Keep the file with its SHA-256 and its preview (every problem, or every change); write nothing else."""
    plan = _checked(content, name)
    kept = SetupImport(
        original_name=name[:255],
        sha256=sha256_of(content),
        uploaded_by=actor,
        status=SetupImport.Status.READY if plan.ok else SetupImport.Status.REFUSED,
        preview=plan.as_json(),
        preview_digest=plan.digest() if plan.ok else "",
    )
    kept.file.save(
        f"setup-{kept.sha256[:16]}.{'zip' if name.lower().endswith('.zip') else 'xlsx'}",
        ContentFile(content),
        save=False,
    )
    kept.save()
    record_audit(
        actor=actor,
        verb="uploaded a setup workbook",
        object_type=SetupImport._meta.label,
        object_id=kept.pk,
        after={"file": kept.original_name, "sha256": kept.sha256, "status": kept.status, **plan.totals()},
    )
    return kept


@dataclass(frozen=True)
class Applied:
    setup_import: SetupImport
    applied: bool
    message: str


@transaction.atomic
def apply_setup_import(*, actor: User, setup_import: SetupImport) -> Applied:
    """Apply the kept file if it is still the file previewed and its changes are still the ones previewed.

    1. Read the kept bytes and check their SHA-256 against the one taken at upload.
    2. Check and plan again; if the stored setup has changed since so that the changes differ, store the new
       preview and apply nothing: the performance team looks again.
    3. Otherwise apply everything (``apply_setup``) and mark the import applied, audited.
    """
    kept = SetupImport.objects.select_for_update().get(pk=setup_import.pk)
    if kept.status != SetupImport.Status.READY:
        return Applied(
            kept, False, f"This workbook is {kept.get_status_display().lower()}: nothing to apply."
        )
    with kept.file.open("rb") as handle:
        content = handle.read()
    if sha256_of(content) != kept.sha256:
        return Applied(
            kept, False, "The kept file is not the one uploaded (its SHA-256 differs): upload it again."
        )
    try:
        sheets = read_content(content, kept.original_name)
    except UnreadableFile as error:
        return Applied(kept, False, str(error))
    plan = apply_setup(
        sheets, actor=actor, sha256=kept.sha256, name=kept.original_name, expected_digest=kept.preview_digest
    )
    if not plan.ok or plan.digest() != kept.preview_digest:
        status = SetupImport.Status.READY if plan.ok else SetupImport.Status.REFUSED
        update_audited(
            kept,
            actor=actor,
            verb="checked a setup workbook again",
            why="the setup changed after the preview",
            audited=["status", "preview_digest"],
            status=status,
            preview=plan.as_json(),
            preview_digest=plan.digest() if plan.ok else "",
        )
        return Applied(
            kept, False, "The setup changed after this preview: nothing was applied. Check the new preview."
        )
    totals = plan.totals()
    update_audited(
        kept,
        actor=actor,
        verb="applied a setup workbook",
        audited=["status", "applied_at", "applied_by_id"],
        status=SetupImport.Status.APPLIED,
        applied_at=timezone.now(),
        applied_by=actor,
    )
    return Applied(
        kept,
        True,
        f"Applied: {totals['added']} added, {totals['changed']} changed, {totals['retired']} retired.",
    )
