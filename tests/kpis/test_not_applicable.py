"""A KPI the catalogue does not expect of a unit is "not applicable" there, not "no data" (issue 18, item 5).

The rule is pure (``kpis.standing.applies``); the IPR's division × KPI grid marks the cells it covers and
leaves them out of the divisions' "no data" counts. On the small world (``tests.world``).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from divisions.models import Level
from kpis.models import Kpi, Measurement
from kpis.selectors.standing import applies_at
from kpis.standing import applies
from reviews.ipr.divisions import grid_counts
from reviews.ipr.selectors import ipr_content
from tests.factories import OrgUnitFactory
from tests.world import LATEST

pytestmark = pytest.mark.django_db

TRUST, DIVISION, SERVICE, TEAM = 0, 1, 2, 3


@pytest.mark.parametrize(
    ("reporting_depth", "rolls_up", "unit_depth", "expected"),
    [
        (None, True, DIVISION, True),  # no level named: inferred from what was reported, so it may apply
        (None, False, TRUST, True),
        (SERVICE, True, SERVICE, True),  # the level that submits it
        (SERVICE, True, DIVISION, True),  # answered for above by the roll-up
        (SERVICE, True, TRUST, True),
        (SERVICE, True, TEAM, False),  # nothing below the level submits it
        (SERVICE, False, DIVISION, False),  # a median is not rolled up: it is the services' alone
        (TRUST, False, DIVISION, False),
        (TRUST, True, DIVISION, False),
        (TRUST, False, TRUST, True),
    ],
)
def test_a_kpi_applies_at_its_reporting_level_and_above_it_only_when_it_rolls_up(
    reporting_depth, rolls_up, unit_depth, expected
):
    assert applies(reporting_depth=reporting_depth, rolls_up=rolls_up, unit_depth=unit_depth) is expected


def test_a_kpi_applies_only_while_it_and_the_unit_are_active(world):
    kpi, surgery = world.kpis["AE-4H"], world.surgery
    assert applies_at(kpi, surgery, LATEST)
    kpi.active_to = date(2025, 5, 31)
    assert applies_at(kpi, surgery, date(2025, 5, 1)) and not applies_at(kpi, surgery, LATEST)
    kpi.active_to = None
    surgery.active_to = date(2025, 6, 30)
    assert not applies_at(kpi, surgery, LATEST)
    kpi.reporting_level, kpi.aggregation = Level.TRUST, Kpi.Aggregation.NONE
    surgery.active_to = None
    assert not applies_at(kpi, surgery, LATEST) and applies_at(kpi, world.trust, LATEST)


def _grid(content):
    breakdown = content.divisional
    order = [d["code"] for d in breakdown["divisions"]]
    cells = {
        (row["code"], code): cell["state"]
        for row in breakdown["grid"]
        for code, cell in zip(order, row["cells"], strict=True)
    }
    counts = dict(zip(order, grid_counts(breakdown), strict=True))
    return cells, counts


def _drop(kpi, unit):
    Measurement.objects.filter(kpi=kpi, org_unit=unit, month=LATEST).delete()


def test_a_missing_value_the_catalogue_expects_stays_no_data(world):
    _drop(world.kpis["AE-4H"], world.surgery)
    cells, counts = _grid(ipr_content(LATEST, with_forecasts=False))
    assert cells[("AE-4H", "WLD-SUR")] == "no_data"
    assert counts["WLD-SUR"]["no_data"] == 1


def test_a_kpi_submitted_at_another_level_only_is_not_applicable_and_not_counted_as_no_data(world, client):
    kpi = world.kpis["AE-4H"]
    _drop(kpi, world.surgery)
    # A median-like figure the services submit and that is never rolled up: a division does not answer for it.
    Kpi.objects.filter(pk=kpi.pk).update(reporting_level=Level.SERVICE, aggregation=Kpi.Aggregation.NONE)
    cells, counts = _grid(ipr_content(LATEST, with_forecasts=False))
    assert cells[("AE-4H", "WLD-SUR")] == "not_applicable"
    assert cells[("AE-4H", "WLD-MED")] != "not_applicable"  # a value published there is still shown
    assert counts["WLD-SUR"]["no_data"] == 0

    client.force_login(world.users["exec"])
    body = client.get(reverse("ipr", kwargs={"month": LATEST.strftime("%Y-%m")})).content.decode()
    grid = body.split('class="data-table division-grid"', 1)[1]
    row = grid.split('data-kpi="AE-4H"', 1)[1].split("</tr>", 1)[0]
    assert 'title="The catalogue does not expect this KPI of this division">Not applicable' in row
    assert "No data" not in row


def test_a_closed_division_s_cells_are_not_applicable_and_its_no_data_count_is_nil(world):
    closed = OrgUnitFactory(
        code="WLD-OLD", name="Closed Division", parent=world.trust, active_to=date(2025, 5, 31)
    )
    cells, counts = _grid(ipr_content(LATEST, with_forecasts=False))
    mine = {state for (_, code), state in cells.items() if code == closed.code}
    assert mine == {"not_applicable"}
    assert counts[closed.code] == {"met": 0, "not_met": 0, "no_data": 0}
    assert {state for (_, code), state in cells.items() if code == "WLD-SUR"} <= {
        "met",
        "not_met",
        "not_assessed",
    }


def test_telling_them_apart_reads_nothing_more(world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            ipr_content(LATEST, with_forecasts=False)
        return len(captured.captured_queries)

    before = queries()
    kpi = world.kpis["AE-4H"]
    _drop(kpi, world.surgery)
    Kpi.objects.filter(pk=kpi.pk).update(reporting_level=Level.SERVICE, aggregation=Kpi.Aggregation.NONE)
    OrgUnitFactory(code="WLD-OLD", name="Closed Division", parent=world.trust, active_to=date(2025, 5, 31))
    assert _grid(ipr_content(LATEST, with_forecasts=False))[0][("AE-4H", "WLD-SUR")] == "not_applicable"
    assert queries() == before
