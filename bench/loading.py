"""Putting the generated large trust's tree and catalogue in the database."""

from __future__ import annotations

from datetime import date

import pandas as pd

from bench.large_trust import LargeTrust
from divisions.models import LEVEL_DEPTH, Level, OrgUnit
from divisions.services.org import save_org_unit
from kpis.models import Domain
from kpis.services.catalogue import save_domain, save_kpi, save_target
from pmf.periods import FinancialYear


def load_large_trust_structure(trust: LargeTrust) -> None:
    """Idempotently create the generated units, KPIs and one target per KPI per year."""
    units: dict[str, OrgUnit] = {}
    ordered = trust.units.sort_values("level", key=lambda s: s.map(lambda v: LEVEL_DEPTH[Level(v)]))
    for row in ordered.itertuples():
        units[row.code] = save_org_unit(
            actor=None,
            code=row.code,
            name=row.name,
            level=row.level,
            parent=units.get(row.parent_code),
            active_from=date(2016, 4, 1),
            is_synthetic=True,
        )
    domains = {d.code: d for d in Domain.objects.all()}
    for order, code in enumerate(sorted(set(trust.kpis["domain"]))):
        domains.setdefault(code, save_domain(actor=None, code=code, name=code.title(), order=order))
    months = pd.to_datetime(trust.measurements["month"])
    years = sorted({FinancialYear.containing(m.date()).label for m in (months.min(), months.max())})
    first, last = FinancialYear.parse(years[0]), FinancialYear.parse(years[-1])
    all_years = [FinancialYear(y).label for y in range(first.start_year, last.start_year + 1)]
    for row in trust.kpis.itertuples():
        kpi = save_kpi(
            actor=None,
            code=row.code,
            tags=[],
            name=row.name,
            domain=domains[row.domain],
            unit=row.unit,
            direction=row.direction,
            aggregation=row.aggregation,
            is_key=bool(row.is_key),
            data_is_synthetic=True,
        )
        if pd.notna(row.target):
            for year in all_years:
                save_target(
                    actor=None,
                    kpi=kpi,
                    org_unit=None,
                    financial_year=year,
                    value=float(row.target),
                    tolerance=0.0,
                    set_by="local",
                    effective_from=FinancialYear.parse(year).first_day,
                )
