"""Revisions stay unique when a computed value is withdrawn and later computed again."""

from datetime import date

import pandas as pd
import pytest

from divisions.models import Level
from kpis.models import Measurement, Upload
from kpis.services.measurements import publish_frame
from kpis.services.rollup import refresh_rollups
from tests.factories import KpiFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)
COLUMNS = ["kpi_id", "org_unit_id", "month", "numerator", "denominator", "value", "is_synthetic"]


def test_a_withdrawn_rollup_computed_again_takes_the_next_revision():
    division = OrgUnitFactory()
    service = OrgUnitFactory(parent=division, level=Level.SERVICE)
    team = OrgUnitFactory(parent=service, level=Level.TEAM)
    kpi = KpiFactory()
    upload = Upload.objects.create(original_name="july.csv", sha256="a" * 64)

    def submit(numerator):
        frame = pd.DataFrame([(kpi.pk, team.pk, JULY, numerator, 100, numerator, False)], columns=COLUMNS)
        publish_frame(actor=None, upload=upload, frame=frame)

    def service_rows():
        rows = Measurement.objects.filter(kpi=kpi, org_unit=service, is_rollup=True)
        return sorted(rows.values_list("revision", "status", "value"))

    submit(40)
    assert service_rows() == [(1, "published", 40.0)]
    # The team's figure is withdrawn, so the service's computed value goes too.
    Measurement.objects.filter(kpi=kpi, org_unit=team).update(status="superseded")
    refresh_rollups(months=[JULY])
    assert service_rows() == [(1, "superseded", 40.0)]
    submit(45)
    assert service_rows() == [(1, "superseded", 40.0), (2, "published", 45.0)]
