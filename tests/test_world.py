"""The small world the tests stand on: built through the services, rolled up, charted and rated."""

import pytest

from divisions.models import Role
from kpis.models import Measurement, Upload
from tests.world import LATEST, MONTHS, PEOPLE, SUBMITTING, figures

pytestmark = pytest.mark.django_db


def test_the_world_is_published_rolled_up_to_the_divisions_and_the_trust(world):
    assert world.upload.status == Upload.Status.PUBLISHED
    published = Measurement.objects.filter(status="published")
    assert published.filter(is_rollup=False).count() == 4 * len(SUBMITTING) * len(MONTHS)
    trust_ae = published.get(kpi__code="AE-4H", org_unit=world.trust, month=LATEST)
    july = [figures("AE-4H", u, len(MONTHS) - 1) for u in range(len(SUBMITTING))]
    numerators, denominators = [n for n, _ in july], [d for _, d in july]
    assert trust_ae.is_rollup
    assert float(trust_ae.value) == pytest.approx(100 * sum(numerators) / sum(denominators), abs=1e-4)
    surgery_att = published.get(kpi__code="ATT", org_unit=world.surgery, month=LATEST)
    assert float(surgery_att.value) == sum(figures("ATT", u, len(MONTHS) - 1)[0] for u in (0, 1))


def test_each_person_holds_their_role(world):
    for username, role, division in PEOPLE:
        held = world.users[username].role_assignments.get()
        assert (held.role, held.org_unit.code if held.org_unit else None) == (role, division)
    assert world.users["perf"].role_assignments.get().role == Role.PERFORMANCE_TEAM


# The next two tests are a pair, in this order (the tests of a module run in file order; the second checks
# it): the first empties the trust's values, the second finds them all again. Each also stands alone.
WRITER = "test_a_test_may_change_the_world"


def test_a_test_may_change_the_world(world):
    trust = Measurement.objects.filter(org_unit=world.trust)
    assert trust.count() == 4 * len(MONTHS)

    trust.delete()

    assert not Measurement.objects.filter(org_unit=world.trust).exists()


def test_the_next_test_finds_the_world_as_it_was_built(world, request):
    order = [item.name for item in request.session.items]
    if WRITER in order:  # run with the test before: it must have run first, or this proves nothing of it
        assert order.index(WRITER) < order.index(request.node.name)
    assert Measurement.objects.filter(org_unit=world.trust).count() == 4 * len(MONTHS)
