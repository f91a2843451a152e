"""Sign-in lock-out, the Content-Security-Policy, the append-only audit trail and its page."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from pmf.models import AuditEvent
from pmf.services.audit import record_audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(client, settings):
    UserFactory(username="nurse", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "nurse", "wrong").status_code == 200  # the form again, with an error
    locked = sign_in(client, "nurse", "wrong")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert sign_in(client, "nurse", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="locked out", object_id="nurse").exists()


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, settings):
    UserFactory(username="nurse", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "nurse", "wrong")
    assert sign_in(client, "nurse", PASSWORD).status_code == 302


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_the_audit_trail_refuses_changes_in_the_database_itself():
    event = record_audit(actor=None, verb="published", object_type="kpis.Upload", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="quietly edited")
    if connection.vendor == "postgresql":  # SQLite leaves DELETE to the test runner's clean-up
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.verb == "published"


@pytest.fixture
def auditor(client, demo):
    client.force_login(UserFactory(username="exec"))
    return client


def test_the_audit_page_filters_by_what_happened(auditor):
    record_audit(actor=None, verb="restated", object_type="kpis.Measurement", object_id=7)
    assert AuditEvent.objects.count() > 1
    body = auditor.get(reverse("audit"), {"verb": "restated"}).content.decode()
    assert "<p>1 entry.</p>" in body and "kpis.Measurement 7" in body


def test_the_audit_export_neutralises_formulas(auditor):
    record_audit(actor=None, verb="noted", object_type="kpis.Kpi", note='=HYPERLINK("http://x","y")')
    response = auditor.get(reverse("audit-export"), {"verb": "noted"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "note" and rows[1][-1] == '\'=HYPERLINK("http://x","y")'
