"""The performance team edits what ratings and PRMs are set up with: criteria, freedoms, committees, terms of
reference and the PRM slot, on its pages and in the admin, with no superuser; a triumvirate member cannot.
Moving the PRM slot re-plans future PRMs. Every change is audited."""

import re
from datetime import date

import pytest
from django.urls import reverse

from divisions.models import TrustProfile
from escalation.models import Committee
from pmf.models import AuditEvent, User
from reviews.models import Criterion, Freedom, Meeting, MeetingKind
from reviews.services.meetings import plan_schedule
from reviews.services.prm_slot import change_prm_slot

pytestmark = pytest.mark.django_db


def perf_client(client):
    client.force_login(User.objects.get(username="perf"))
    return client


def test_the_settings_page_shows_which_kpis_each_criterion_selects(client, world):
    page = perf_client(client).get(reverse("setup-reviews")).content.decode()
    assert "AE-4H, ATT, RTT-18" in page  # PERF: the operational domain
    assert "none</strong>: the criterion cannot be assessed" in page  # FIN: no finance KPI in this world


def test_a_criterion_takes_another_selection_and_the_change_is_audited(client, world):
    criterion = Criterion.objects.get(code="PERF")
    post = {"name": criterion.name, "order": criterion.order, "domain": criterion.domain_id, "key_only": "on"}

    response = perf_client(client).post(reverse("setup-criterion", args=["PERF"]), post)

    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.key_only
    event = AuditEvent.objects.filter(object_type="reviews.Criterion", verb="updated").latest("id")
    assert (event.actor, event.before["key_only"], event.after["key_only"]) == ("perf", False, True)
    page = perf_client(client).get(reverse("setup-reviews")).content.decode()
    assert "key KPIs only" in page


def test_freedoms_are_added_refused_when_doubled_and_removed(client, world):
    client = perf_client(client)
    post = {"position": 2, "name": "Agency spend within budget", "detail": "", "order": 9}

    added = client.post(reverse("setup-freedom-add"), post)
    doubled = client.post(reverse("setup-freedom-add"), post)
    freedom = Freedom.objects.get(name="Agency spend within budget")
    removed = client.post(reverse("setup-freedom-remove", args=[freedom.pk]))

    assert added.status_code == removed.status_code == 302
    assert "Position 2 already has a freedom of that name." in doubled.content.decode()
    assert not Freedom.objects.filter(name="Agency spend within budget").exists()
    verbs = list(AuditEvent.objects.filter(object_type="reviews.Freedom").values_list("verb", flat=True))
    assert "created" in verbs and "deleted" in verbs


def test_a_committee_is_added_and_edited_with_a_clear_choice_of_day(client, world):
    client = perf_client(client)
    post = {
        "code": "estates",
        "name": "Estates Group",
        "order": 4,
        "meets_weekday": 2,
        "meets_week": -1,
    }

    added = client.post(reverse("setup-committee-add"), post)
    assert added.status_code == 302, re.findall(r'class="errorlist[^<]*<li>[^<]*', added.content.decode())
    refused = client.post(reverse("setup-committee", args=["estates"]), post | {"meets_weekday": 6})

    committee = Committee.objects.get(code="estates")
    assert (committee.meets_weekday, committee.meets_week) == (2, -1)
    assert "Select a valid choice" in refused.content.decode()
    assert "committee_weekday" not in refused.content.decode()
    assert AuditEvent.objects.filter(
        object_type="escalation.Committee", verb="created", actor="perf"
    ).exists()


def test_terms_of_reference_need_the_chair_among_those_who_must_attend(client, world):
    client = perf_client(client)
    url = reverse("setup-terms", args=["prm"])
    base = {"purpose": "To hold the division to account.", "quorum": "The chair and two more."}

    refused = client.post(url, base | {"chair_role": "executive", "essential_roles": ["clinical_director"]})
    saved = client.post(
        url, base | {"chair_role": "executive", "essential_roles": ["executive", "clinical_director"]}
    )

    assert "The chair&#x27;s role must be among those who must attend." in refused.content.decode()
    assert saved.status_code == 302
    event = AuditEvent.objects.filter(object_type="reviews.TermsOfReference").latest("id")
    assert event.after["essential_roles"] == ["executive", "clinical_director"]


def test_moving_the_prm_slot_re_plans_future_prms_and_keeps_the_past(world):
    TrustProfile.objects.create(trust=world.trust, ods_code="WLD")
    surgery, perf = world.surgery, User.objects.get(username="perf")
    Meeting.objects.filter(division=surgery).delete()
    plan_schedule(division=surgery, financial_year=_fy(2025), frequency="monthly", today=date(2025, 4, 1))
    assert Meeting.objects.get(division=surgery, scheduled_for__month=9).scheduled_for == date(2025, 9, 9)

    changes = change_prm_slot(actor=perf, weekday=3, week_of_month=3, today=date(2025, 8, 15))

    days = sorted(
        Meeting.objects.filter(division=surgery, kind=MeetingKind.PRM).values_list("scheduled_for", flat=True)
    )
    assert date(2025, 8, 12) in days  # before the change: it stays
    assert date(2025, 9, 9) not in days and date(2025, 9, 18) in days  # third Thursday of September
    assert any(change.division == surgery for change in changes)
    event = AuditEvent.objects.get(verb="PRM slot changed")
    assert (event.actor, event.before, event.after) == (
        "perf",
        {"prm_weekday": 1, "prm_week_of_month": 2},
        {"prm_weekday": 3, "prm_week_of_month": 3},
    )
    assert change_prm_slot(actor=perf, weekday=3, week_of_month=3, today=date(2025, 8, 15)) == []


def test_the_prm_slot_page_saves_the_slot(client, world):
    TrustProfile.objects.create(trust=world.trust, ods_code="WLD")
    response = perf_client(client).post(reverse("setup-prm-slot"), {"weekday": 4, "week_of_month": 1})
    assert response.status_code == 302
    assert TrustProfile.objects.values_list("prm_weekday", "prm_week_of_month").get() == (4, 1)


def test_a_slot_on_a_weekend_is_refused_with_the_reason(client, world):
    TrustProfile.objects.create(trust=world.trust, ods_code="WLD")
    response = perf_client(client).post(reverse("setup-prm-slot"), {"weekday": 5, "week_of_month": 1})
    assert "Select a valid choice" in response.content.decode()
    assert TrustProfile.objects.values_list("prm_weekday", flat=True).get() == 1


def _fy(start_year):
    from pmf.periods import FinancialYear

    return FinancialYear(start_year)


@pytest.mark.parametrize("model", ["criterion", "freedom", "committee", "termsofreference"])
def test_the_performance_team_edits_review_settings_in_the_admin_without_being_a_superuser(
    client, world, model
):
    perf = User.objects.get(username="perf")
    assert not perf.is_superuser
    app = "escalation" if model == "committee" else "reviews"
    client.force_login(perf)
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("setup-reviews", []),
        ("setup-criterion", ["PERF"]),
        ("setup-freedom-add", []),
        ("setup-committee-add", []),
        ("setup-terms", ["prm"]),
        ("setup-prm-slot", []),
    ],
)
def test_a_triumvirate_member_cannot_change_review_settings(client, world, name, args):
    client.force_login(User.objects.get(username="cd.surgery"))
    assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse(name, args=args), {"name": "x"}).status_code == 403
    assert not AuditEvent.objects.filter(actor="cd.surgery").exists()
