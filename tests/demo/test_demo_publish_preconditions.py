"""The demo loader's publish asks what a publish of an upload asks first: without the four rating criteria it
is refused with what to set up, and nothing is written (DESIGN §7, "a publish never half-happens")."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from demo.services import _publish_measurements
from kpis.models import Measurement, Upload
from kpis.services.catalogue import save_domain
from reviews.models import Criterion
from reviews.services.defaults import seed_rating_defaults
from tests.factories import KpiFactory, OrgUnitFactory, TrustFactory
from tests.world import DOMAINS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kept", [(), ("FIN", "QUAL", "PERF")], ids=["none", "three of four"])
def test_the_demo_publish_is_refused_without_the_four_criteria_and_writes_nothing(tmp_path: Path, kept):
    trust = TrustFactory(code="T")
    units: dict[str, Any] = {"T-DIV": OrgUnitFactory(code="T-DIV", parent=trust)}
    for order, (code, name) in enumerate(DOMAINS.items()):  # the default criteria select KPIs by domain
        save_domain(actor=None, code=code, name=name, order=order)
    kpis: dict[str, Any] = {"K1": KpiFactory(code="K1")}
    seed_rating_defaults(actor=None)
    Criterion.objects.exclude(code__in=kept).delete()
    path = tmp_path / "measurements.csv"
    path.write_text(
        "kpi_code,org_code,month,numerator,denominator,value,synthetic,source\n"
        f"K1,T-DIV,{date(2025, 4, 1)},,,12,1,made up\n"
    )

    with pytest.raises(ValidationError, match="need exactly 4 rating criteria"):
        _publish_measurements(path, units=units, kpis=kpis, publisher=None)

    assert not Measurement.objects.exists() and not Upload.objects.exists()
    seed_rating_defaults(actor=None)  # set up, the same file publishes
    assert _publish_measurements(path, units=units, kpis=kpis, publisher=None).added == 1
