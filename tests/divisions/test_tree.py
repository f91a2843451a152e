from datetime import date

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from divisions.models import Level, OrgUnit, RoleAssignment
from divisions.selectors import descendant_ids, structure_frame
from divisions.services.org import move_org_unit, save_org_unit
from pmf.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    def unit(code, level, parent):
        return save_org_unit(
            actor=None, code=code, name=code, level=level, parent=parent, active_from=date(2020, 4, 1)
        )

    trust = unit("T", Level.TRUST, None)
    med, sur = unit("MED", Level.DIVISION, trust), unit("SUR", Level.DIVISION, trust)
    ent = unit("ENT", Level.SERVICE, sur)
    return {"trust": trust, "med": med, "sur": sur, "ent": ent, "ward": unit("W1", Level.TEAM, ent)}


def test_save_org_unit_is_idempotent_and_audited_once(tree):
    events = AuditEvent.objects.count()
    again = save_org_unit(
        actor=None,
        code="ENT",
        name="ENT",
        level=Level.SERVICE,
        parent=tree["sur"],
        active_from=date(2020, 4, 1),
    )
    assert again.pk == tree["ent"].pk
    assert AuditEvent.objects.count() == events


def test_a_unit_must_sit_directly_under_the_level_above(tree):
    with pytest.raises(ValidationError, match="directly under a division"):
        save_org_unit(
            actor=None,
            code="X",
            name="X",
            level=Level.SERVICE,
            parent=tree["trust"],
            active_from=date(2020, 4, 1),
        )


def test_only_a_trust_has_no_parent_in_the_database(tree):
    with pytest.raises(IntegrityError):
        OrgUnit.objects.create(code="ORPHAN", name="Orphan", level=Level.DIVISION, parent=None)


def test_active_to_cannot_precede_active_from(tree):
    with pytest.raises(IntegrityError):
        OrgUnit.objects.create(
            code="BAD",
            name="Bad",
            level=Level.DIVISION,
            parent=tree["trust"],
            active_from=date(2021, 4, 1),
            active_to=date(2020, 3, 31),
        )


def test_descendants_of_a_division(tree):
    assert descendant_ids(tree["sur"]) == {tree["sur"].pk, tree["ent"].pk, tree["ward"].pk}


def test_moved_unit_keeps_its_old_parent_for_earlier_months(tree):
    move_org_unit(actor=None, unit=tree["ent"], new_parent=tree["med"], effective_from=date(2024, 4, 1))
    frame = structure_frame([date(2024, 3, 1), date(2024, 4, 1)]).set_index(["unit_id", "month"])
    assert frame.loc[(tree["ent"].pk, pd.Timestamp("2024-03-01")), "parent_id"] == tree["sur"].pk
    assert frame.loc[(tree["ent"].pk, pd.Timestamp("2024-04-01")), "parent_id"] == tree["med"].pk
    assert AuditEvent.objects.filter(verb="moved", object_id=str(tree["ent"].pk)).exists()


def test_moves_take_effect_on_the_first_of_april_only(tree):
    with pytest.raises(ValidationError, match="1 April"):
        move_org_unit(actor=None, unit=tree["ent"], new_parent=tree["med"], effective_from=date(2024, 7, 1))


def test_structure_leaves_out_units_that_were_not_active(tree):
    save_org_unit(
        actor=None,
        code="OLD",
        name="Old",
        level=Level.DIVISION,
        parent=tree["trust"],
        active_from=date(2020, 4, 1),
        active_to=date(2022, 3, 31),
    )
    old = OrgUnit.objects.get(code="OLD")
    frame = structure_frame([date(2022, 3, 1), date(2022, 4, 1)])
    assert set(frame.loc[frame["unit_id"] == old.pk, "month"]) == {pd.Timestamp("2022-03-01")}


def test_triumvirate_roles_need_a_division(tree):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role="clinical_lead", org_unit=None, start=date(2024, 4, 1))
