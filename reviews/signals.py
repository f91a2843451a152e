"""What makes the stored draft IPR content out of date (`reviews.ipr.store`).

Saving or deleting anything the content is built from — the catalogue, targets and trajectories,
measurements and uploads, commentary, kitemarks, recalculations, the organisation and the trust's national
profile, division ratings, a published report — and a bulk change of stored charts or peer values
(`kpis.signals.stored_data_changed`, sent by the charts' refresh and by a load of peer values) raise the
content's version. Bulk writes that send no model signal say so themselves: the charts' refresh sends
`stored_data_changed`, and the ratings run calls `forget_ipr_content`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from divisions.models import OrgUnit, TrustProfile
from kpis.models import (
    Commentary,
    Domain,
    Kitemark,
    Kpi,
    KpiSuite,
    KpiSuiteEntry,
    Measurement,
    Recalculation,
    StrategicObjective,
    Target,
    Trajectory,
    Upload,
)
from kpis.signals import stored_data_changed

from .ipr.store import changed_scope, forget_ipr_content
from .models import DivisionRating, IprReport

SOURCES = (
    Commentary,
    Domain,
    DivisionRating,
    Kitemark,
    Kpi,
    KpiSuite,
    KpiSuiteEntry,
    Measurement,
    OrgUnit,
    Recalculation,
    StrategicObjective,
    Target,
    Trajectory,
    TrustProfile,
    Upload,
)


def _changed(sender: type, instance: Any = None, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading a fixture: the data is not live yet
        return
    if isinstance(instance, IprReport) and instance.status != IprReport.Status.PUBLISHED:
        return  # a draft's words are not part of the content; a published report is (restatements)
    forget_ipr_content(**changed_scope(instance))  # only the copies the change can touch


def connect() -> None:
    for model in (*SOURCES, IprReport):
        post_save.connect(_changed, sender=model, dispatch_uid=f"ipr-content-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"ipr-content-delete-{model.__name__}")
    stored_data_changed.connect(_changed, dispatch_uid="ipr-content-stored-data")
