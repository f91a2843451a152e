"""The performance team adds people and gives and ends their roles; lifts lock-outs; everyone changes their
own password, and a reset by e-mail is offered only where a mail server is set."""

from datetime import date

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from divisions.models import RoleAssignment
from pmf.models import AuditEvent, User


@pytest.fixture
def perf(client, world):
    client.force_login(User.objects.get(username="perf"))
    return client


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_people_page_lists_everyone_with_their_roles_in_a_fixed_number_of_queries(
    perf, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        body = perf.get(reverse("setup-people")).content.decode()
    assert "cl.surgery" in body and "Clinical lead (Surgery)" in body


def test_adding_a_person_then_giving_a_divisional_role(perf, world):
    response = perf.post(
        reverse("setup-person-add"),
        {
            "username": "md.new",
            "first_name": "New",
            "last_name": "Director",
            "email": "md.new@example.nhs.uk",
            "job_title": "Managing Director",
        },
        follow=True,
    )
    assert "md.new added: now give them a role." in messages_of(response)
    person = User.objects.get(username="md.new")
    assert not person.has_usable_password()
    created = AuditEvent.objects.get(verb="created", object_type="pmf.User")
    assert "password" not in created.after
    url = reverse("setup-role-add", args=[person.pk])
    refused = perf.post(url, {"role": "managing_director", "start": "2025-04-01"})
    assert "A managing director is held for one division: choose the division." in messages_of(refused)
    assert not RoleAssignment.objects.filter(user=person).exists()
    given = perf.post(
        url, {"role": "managing_director", "division": world.medicine.pk, "start": "2025-04-01"}, follow=True
    )
    assert "md.new is now New Director as Managing director for Medicine." in messages_of(given)
    held = RoleAssignment.objects.get(user=person)
    assert (held.role, held.org_unit, held.start, held.end) == (
        "managing_director",
        world.medicine,
        date(2025, 4, 1),
        None,
    )


def test_ending_a_role_keeps_it_with_its_last_day_and_is_audited(perf, world):
    held = RoleAssignment.objects.get(user__username="cl.surgery")
    response = perf.post(reverse("setup-role-end", args=[held.pk]), {"last_day": "2025-09-30"}, follow=True)
    assert "ends on 30 Sep 2025" in messages_of(response)
    held.refresh_from_db()
    assert held.end == date(2025, 9, 30)
    assert AuditEvent.objects.filter(verb="role ended", object_id=str(held.pk)).exists()


def test_a_person_can_be_stopped_from_signing_in(perf):
    viewer = User.objects.get(username="viewer")
    form = {
        "first_name": "Vic",
        "last_name": "Viewer",
        "email": "",
        "job_title": "Analyst",
    }  # is_active unticked
    perf.post(reverse("setup-person", args=[viewer.pk]), form)
    viewer.refresh_from_db()
    assert not viewer.is_active and viewer.job_title == "Analyst"
    assert AuditEvent.objects.filter(verb="user updated", object_id=str(viewer.pk)).exists()


def test_a_triumvirate_member_cannot_add_people_or_give_roles(client, world):
    client.force_login(User.objects.get(username="md.surgery"))
    me = User.objects.get(username="md.surgery")
    assert client.post(reverse("setup-person-add"), {"username": "x"}).status_code == 403
    assert (
        client.post(
            reverse("setup-role-add", args=[me.pk]), {"role": "performance_team", "start": "2025-04-01"}
        ).status_code
        == 403
    )
    assert not RoleAssignment.objects.filter(user=me, role="performance_team").exists()


def lock_out(username: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.7",
        user_agent="test",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


def test_a_lock_out_is_listed_and_lifted_by_the_performance_team_audited(perf):
    attempt = lock_out("cl.surgery")
    body = perf.get(reverse("setup-lockouts")).content.decode()
    assert "cl.surgery" in body and "10.0.0.7" in body
    response = perf.post(reverse("setup-lockout-lift", args=[attempt.pk]), follow=True)
    assert "cl.surgery may sign in again." in messages_of(response)
    assert not AccessAttempt.objects.exists()
    lifted = AuditEvent.objects.get(verb="lock-out lifted")
    assert (lifted.actor, lifted.object_id, lifted.before["ip_address"]) == ("perf", "cl.surgery", "10.0.0.7")


def test_a_locked_out_person_signs_in_again_once_lifted(client, perf, world):
    lock_out("board")
    board = User.objects.get(username="board")
    board.set_password("a-long-board-password")
    board.save()
    client.logout()
    sign_in = {"username": "board", "password": "a-long-board-password"}
    assert client.post(reverse("login"), sign_in, REMOTE_ADDR="10.0.0.7").status_code == 429
    perf.force_login(User.objects.get(username="perf"))
    listed = perf.get(reverse("setup-lockouts")).context["attempts"]
    assert [row["username"] for row in listed] == ["board"]  # one row, however many browsers it tried from
    perf.post(reverse("setup-lockout-lift", args=[listed[0]["pk"]]))
    perf.logout()
    assert client.post(reverse("login"), sign_in, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_a_triumvirate_member_cannot_lift_a_lock_out(client, world):
    attempt = lock_out("exec")
    client.force_login(User.objects.get(username="cl.surgery"))
    assert client.post(reverse("setup-lockout-lift", args=[attempt.pk])).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_everyone_changes_their_own_password(client, world):
    lead = User.objects.get(username="cl.surgery")
    lead.set_password("the-old-long-password")
    lead.save()
    client.force_login(lead)
    form = {
        "old_password": "the-old-long-password",
        "new_password1": "a-new-long-passphrase",
        "new_password2": "a-new-long-passphrase",
    }
    response = client.post(reverse("password_change"), form, follow=True)
    assert "Password changed" in response.content.decode()
    lead.refresh_from_db()
    assert lead.check_password("a-new-long-passphrase")


def test_no_reset_is_offered_without_a_mail_server(client, world):
    assert "Forgotten your password?" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("password_reset")).status_code == 404


@override_settings(
    EMAIL_HOST="smtp.example.nhs.uk", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_with_a_mail_server_a_reset_link_is_sent_and_sets_a_new_password(client, world):
    lead = User.objects.get(username="cl.surgery")
    lead.email = "cl.surgery@example.nhs.uk"
    lead.save()
    assert "Forgotten your password?" in client.get(reverse("login")).content.decode()
    client.post(reverse("password_reset"), {"email": "cl.surgery@example.nhs.uk"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(f"/{path}", follow=True)
    form = {"new_password1": "a-fresh-long-passphrase", "new_password2": "a-fresh-long-passphrase"}
    done = client.post(form_page.redirect_chain[-1][0], form, follow=True)
    assert "Password set" in done.content.decode()
    lead.refresh_from_db()
    assert lead.check_password("a-fresh-long-passphrase")
