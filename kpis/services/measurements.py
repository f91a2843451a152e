"""Publishing measurements: new rows, restatements as new revisions (``revisions``), then the roll-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db import transaction

from pmf.services.audit import Actor, record_audit

from ..models import Measurement, Upload
from ..selectors.published import current_values
from ..signals import data_published, stored_data_changed
from .revisions import apply_changes
from .rollup import RollupResult, refresh_rollups


@dataclass(frozen=True)
class PublishResult:
    added: int
    restated: int
    unchanged: int
    rollup: RollupResult


def announce_publish(
    *,
    kpi_ids: list[int] | None,
    months: list[date],
    reason: str,
    upload: Upload | None = None,
    actor: Actor = None,
) -> None:
    """Say, inside the publishing transaction, that these KPIs' published values changed from the earliest
    of ``months`` (by ``upload``, published by ``actor``). Every publish path (an upload, an import, the demo
    loader) calls this; the follow-on work is the publish pipeline's, which records it as owed in the same
    transaction, with the upload's warnings as data-quality issues (``kpis.signals``)."""
    data_published.send(
        sender=Measurement,
        kpi_ids=kpi_ids,
        first_month=min(months) if months else None,
        reason=reason,
        upload=upload,
        actor=actor,
    )


@transaction.atomic
def publish_frame(*, actor: Actor, upload: Upload, frame: pd.DataFrame) -> PublishResult:
    """Publish submitted rows (KEY + VALUE_COLUMNS + ``is_synthetic``) from ``upload``.

    A row identical to the current published one is left alone, so publishing the
    same data twice changes nothing; a different value becomes a new revision and the
    old one is kept as superseded.
    """
    frame = frame.copy()
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    months = sorted(frame["month"].unique())
    existing = current_values(months=months, is_rollup=False)
    added, restated, unchanged = apply_changes(
        incoming=frame, existing=existing, upload=upload, is_rollup=False, extra=["is_synthetic"]
    )
    rollup = refresh_rollups(months=months)
    if added or restated or rollup.changed:  # the same figures published again change nothing downstream
        stored_data_changed.send(sender=Measurement)
        announce_publish(
            kpi_ids=sorted(int(k) for k in frame["kpi_id"].unique()),
            months=months,
            reason=f"upload {upload.pk} published",
            upload=upload,
            actor=actor,
        )
    if added or restated:
        record_audit(
            actor=actor,
            verb="published",
            object_type=Upload._meta.label,
            object_id=upload.pk,
            after={"added": added, "restated": restated, "unchanged": unchanged, "rollup": rollup.as_dict()},
        )
    return PublishResult(added=added, restated=restated, unchanged=unchanged, rollup=rollup)
