"""A year's KPI suite: copied from the year before as a draft, its KPIs chosen, then approved.

An approved suite is the record of what was agreed and is never edited: a change is a new draft for another
year. Approving is ``catalogue.approve_suite``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from pmf.periods import FinancialYear
from pmf.services.audit import Actor, record_audit
from pmf.services.records import upsert

from ..models import Kpi, KpiSuite, KpiSuiteEntry


def _refuse_if_approved(suite: KpiSuite) -> None:
    if suite.status == KpiSuite.Status.APPROVED:
        raise ValidationError(
            f"The {suite.financial_year} suite is approved and kept as it was agreed: "
            "copy it to a new draft for another year instead."
        )


@transaction.atomic
def copy_suite(*, actor: Actor, source: KpiSuite, financial_year: str) -> KpiSuite:
    """A draft suite for ``financial_year`` holding ``source``'s KPIs that are still in use that year.

    1. The year must be well formed and have no suite yet (a draft already there is edited, not replaced).
    2. Each KPI of ``source`` still active on the new year's first day is entered with its definition and
       key flag as the catalogue has them now, ready to be reviewed before approval.
    3. One event records the copy, and each entry its own creation.
    """
    year = FinancialYear.parse(financial_year)
    if KpiSuite.objects.filter(financial_year=year.label).exists():
        raise ValidationError(f"There is a {year.label} suite already: open it to change its KPIs.")
    suite = KpiSuite.objects.create(financial_year=year.label)
    kpis = list(
        Kpi.objects.filter(suite_entries__suite=source).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=year.first_day)
        )
    )
    for kpi in kpis:
        upsert(
            KpiSuiteEntry,
            actor=actor,
            lookup={"suite": suite, "kpi": kpi},
            values={"is_key": kpi.is_key, "definition": kpi.definition},
        )
    left_out = source.entries.count() - len(kpis)
    record_audit(
        actor=actor,
        verb="copied",
        object_type=KpiSuite._meta.label,
        object_id=suite.pk,
        before={"financial_year": source.financial_year},
        after={"financial_year": suite.financial_year, "kpis": sorted(kpi.code for kpi in kpis)},
        note=f"{left_out} KPI(s) retired before {year.label} left out" if left_out else "",
    )
    return suite


@transaction.atomic
def set_suite_kpis(
    *, actor: Actor, suite: KpiSuite, kpis: Iterable[Kpi], key: Iterable[Kpi]
) -> tuple[int, int]:
    """Make a draft suite hold exactly ``kpis``, with ``key`` the key ones; returns (entered, removed).

    An entry already there keeps its recorded definition; a new one takes the catalogue's.
    """
    _refuse_if_approved(suite)
    wanted, key_ids = {kpi.pk: kpi for kpi in kpis}, {kpi.pk for kpi in key}
    removed = list(suite.entries.exclude(kpi_id__in=wanted).select_related("kpi"))
    for entry in removed:
        record_audit(
            actor=actor,
            verb="removed from suite",
            object_type=KpiSuite._meta.label,
            object_id=suite.pk,
            before={"kpi": entry.kpi.code, "is_key": entry.is_key},
        )
        entry.delete()
    existing = {entry.kpi_id: entry for entry in suite.entries.all()}
    entered = 0
    for pk, kpi in wanted.items():
        definition = existing[pk].definition if pk in existing else kpi.definition
        _, changed = upsert(
            KpiSuiteEntry,
            actor=actor,
            lookup={"suite": suite, "kpi": kpi},
            values={"is_key": pk in key_ids, "definition": definition},
        )
        entered += changed
    return entered, len(removed)
