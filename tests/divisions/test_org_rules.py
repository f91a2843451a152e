"""The model's rules, kept by the services and the admin with clear messages: one trust per deployment,
strictly level by level, moves only with a date, retiring by ``active_to``, roles where they belong."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from divisions.models import Level, OrgUnit, Role, RoleAssignment
from divisions.services.org import add_org_unit, retire_org_unit, save_org_unit, set_level_labels
from divisions.services.roles import assign_role, end_role
from pmf.models import AuditEvent, User

pytestmark = pytest.mark.django_db
START = date(2020, 4, 1)


@pytest.fixture
def tree():
    trust = save_org_unit(
        actor=None, code="T", name="Trust", level=Level.TRUST, parent=None, active_from=START
    )
    med = save_org_unit(
        actor=None, code="T-MED", name="Medicine", level=Level.DIVISION, parent=trust, active_from=START
    )
    cardio = save_org_unit(
        actor=None, code="T-CAR", name="Cardiology", level=Level.SERVICE, parent=med, active_from=START
    )
    return {"trust": trust, "med": med, "cardio": cardio}


def test_a_second_trust_is_refused_by_the_service(tree):
    with pytest.raises(ValidationError, match=r"already serves Trust \(T\); one deployment serves one trust"):
        add_org_unit(actor=None, code="T2", name="Other", level=Level.TRUST, parent=None, active_from=START)


def test_a_service_directly_under_the_trust_is_refused(tree):
    with pytest.raises(ValidationError, match="A service must sit directly under a division, not a trust"):
        add_org_unit(
            actor=None, code="T-X", name="X", level=Level.SERVICE, parent=tree["trust"], active_from=START
        )


def test_a_code_in_use_is_refused_with_whose_it_is(tree):
    with pytest.raises(ValidationError, match="The code T-CAR is already Cardiology's"):
        add_org_unit(
            actor=None, code="T-CAR", name="X", level=Level.SERVICE, parent=tree["med"], active_from=START
        )


def test_the_admin_refuses_a_second_trust_with_a_message_not_a_constraint_name(admin_client, tree):
    form = {"code": "T2", "name": "Other", "level": "trust", "active_from": "2020-04-01"}
    response = admin_client.post("/admin/divisions/orgunit/add/", {**form, **_no_labels()})
    assert response.status_code == 200
    assert "already serves Trust (T); one deployment serves one trust" in response.content.decode()
    assert not OrgUnit.objects.filter(code="T2").exists()


def test_the_admin_refuses_a_service_under_the_trust(admin_client, tree):
    form = {
        "code": "T-X",
        "name": "X",
        "level": "service",
        "parent": tree["trust"].pk,
        "active_from": "2020-04-01",
    }
    response = admin_client.post("/admin/divisions/orgunit/add/", {**form, **_no_labels()})
    assert "A service must sit directly under a division, not a trust." in response.content.decode()
    assert not OrgUnit.objects.filter(code="T-X").exists()


def test_the_admin_sends_a_change_of_parent_to_a_dated_move(admin_client, tree):
    surgery = save_org_unit(
        actor=None,
        code="T-SUR",
        name="Surgery",
        level=Level.DIVISION,
        parent=tree["trust"],
        active_from=START,
    )
    form = {
        "code": "T-CAR",
        "name": "Cardiology",
        "level": "service",
        "parent": surgery.pk,
        "active_from": "2020-04-01",
    }
    response = admin_client.post(
        f"/admin/divisions/orgunit/{tree['cardio'].pk}/change/", {**form, **_no_labels()}
    )
    assert "record a move with the date it takes effect" in response.content.decode()
    assert OrgUnit.objects.get(code="T-CAR").parent == tree["med"]


def test_the_admin_does_not_retire_a_division_with_an_active_service(admin_client, tree):
    form = {"code": "T-MED", "name": "Medicine", "level": "division", "parent": tree["trust"].pk}
    form |= {"active_from": "2020-04-01", "active_to": "2025-03-31"}
    response = admin_client.post(
        f"/admin/divisions/orgunit/{tree['med'].pk}/change/", {**form, **_no_labels()}
    )
    assert "still has active units under it after 31 Mar 2025: T-CAR" in response.content.decode()
    assert OrgUnit.objects.get(code="T-MED").active_to is None


def test_retiring_sets_the_last_day_and_is_audited(tree):
    retire_org_unit(actor=None, unit=tree["cardio"], last_day=date(2025, 3, 31))
    assert OrgUnit.objects.get(code="T-CAR").active_to == date(2025, 3, 31)
    assert AuditEvent.objects.filter(verb="retired", object_id=str(tree["cardio"].pk)).exists()


def test_a_division_with_an_active_service_is_not_retired(tree):
    with pytest.raises(
        ValidationError, match="still has active units under it .*: T-CAR. Retire or move them first"
    ):
        retire_org_unit(actor=None, unit=tree["med"], last_day=date(2025, 3, 31))
    assert OrgUnit.objects.get(code="T-MED").active_to is None


def test_divisional_roles_need_a_division_and_trust_wide_roles_none(tree):
    user = User.objects.create(username="someone")
    with pytest.raises(
        ValidationError, match="A clinical lead is held for one division: choose the division"
    ):
        assign_role(actor=None, user=user, role=Role.CLINICAL_LEAD, org_unit=tree["cardio"], start=START)
    with pytest.raises(ValidationError, match="Executive is a trust-wide role: leave the division blank"):
        assign_role(actor=None, user=user, role=Role.EXECUTIVE, org_unit=tree["med"], start=START)
    assert not RoleAssignment.objects.exists()


def test_ending_a_role_keeps_it_with_its_last_day(tree):
    user = User.objects.create(username="someone")
    held = assign_role(actor=None, user=user, role=Role.CLINICAL_LEAD, org_unit=tree["med"], start=START)
    with pytest.raises(ValidationError, match="before it starts"):
        end_role(actor=None, assignment=held, last_day=date(2019, 1, 1))
    end_role(actor=None, assignment=held, last_day=date(2025, 3, 31))
    assert RoleAssignment.objects.get().end == date(2025, 3, 31)
    assert AuditEvent.objects.filter(verb="role ended").count() == 1


def _no_labels():
    prefix = "level_labels"
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def test_the_messages_use_the_trusts_own_words(tree):
    set_level_labels(
        actor=None,
        trust=tree["trust"],
        labels={"division": ("Directorate", "Directorates"), "service": ("Service line", "Service lines")},
    )
    with pytest.raises(
        ValidationError, match="A service line must sit directly under a directorate, not a trust"
    ):
        add_org_unit(
            actor=None, code="T-X", name="X", level=Level.SERVICE, parent=tree["trust"], active_from=START
        )
    user = User.objects.create(username="someone")
    with pytest.raises(
        ValidationError, match="A clinical lead is held for one directorate: choose the directorate"
    ):
        assign_role(actor=None, user=user, role=Role.CLINICAL_LEAD, org_unit=None, start=START)
