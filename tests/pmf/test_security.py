"""Sign-in lock-out, the Content-Security-Policy, no-store for signed-in pages, the append-only audit trail
and its page."""

import csv
import importlib
import io
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from pmf.models import AuditEvent
from pmf.services.audit import record_audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="TRUNCATE and table owners are PostgreSQL's; run with DATABASE_URL set to a PostgreSQL database",
)
refuse_truncate = importlib.import_module("pmf.migrations.0003_refuse_audit_truncate")

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


def _execute(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@postgresql_only
def test_the_audit_trail_refuses_truncate():
    event = record_audit(actor=None, verb="published", object_type="kpis.Upload", object_id=1)
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        # The test connections may empty the table (tests/conftest.py); a normal session may not.
        _execute("SET LOCAL pmf.allow_audit_truncate = 'off'", "TRUNCATE pmf_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_only_the_owner_saying_so_may_empty_the_audit_trail():
    record_audit(actor=None, verb="published", object_type="kpis.Upload", object_id=1)
    with transaction.atomic():
        _execute("SET LOCAL pmf.allow_audit_truncate = 'on'", "TRUNCATE pmf_auditevent")
        assert not AuditEvent.objects.exists()
        transaction.set_rollback(True)
    assert AuditEvent.objects.exists()


@pytest.fixture
def app_role():
    """A role like docker-compose's app role, owning no table; it lives only in the test's transaction."""
    role = f"pmf_test_app_{uuid.uuid4().hex[:12]}"
    _execute(f'CREATE ROLE "{role}"', f'GRANT SELECT, INSERT ON pmf_auditevent TO "{role}"')
    yield role
    _execute("RESET ROLE")


@postgresql_only
def test_a_role_that_does_not_own_the_audit_trail_cannot_empty_it_or_switch_its_triggers_off(app_role):
    record_audit(actor=None, verb="published", object_type="kpis.Upload", object_id=1)
    # Neither a mistaken grant of TRUNCATE nor the owner's setting lets it through: the trigger checks owners.
    _execute(f'GRANT TRUNCATE ON pmf_auditevent TO "{app_role}"', f'SET ROLE "{app_role}"')
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        _execute("SET LOCAL pmf.allow_audit_truncate = 'on'", "TRUNCATE pmf_auditevent")
    for trigger in ("pmf_auditevent_no_truncate", "pmf_auditevent_append_only"):
        with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic():
            _execute(f"ALTER TABLE pmf_auditevent DISABLE TRIGGER {trigger}")
    _execute("RESET ROLE")
    assert AuditEvent.objects.exists()


@postgresql_only
def test_the_migration_takes_update_delete_and_truncate_on_the_audit_trail_from_other_roles(app_role):
    _execute(f'GRANT UPDATE, DELETE, TRUNCATE ON pmf_auditevent TO "{app_role}"')

    _execute(refuse_truncate.POSTGRES_REVOKE)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege, has_table_privilege(%s, 'pmf_auditevent', privilege) "
            "FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS privilege",
            [app_role],
        )
        held = dict(cursor.fetchall())
    assert held == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False}


def test_signed_in_pages_are_not_stored(client):
    client.force_login(UserFactory(username="exec"))
    response = client.get(reverse("audit"))
    assert response.status_code == 403  # no role: refused, and the refusal is not stored either
    assert response["Cache-Control"] == "no-store"
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"


def test_signing_in_is_answered_no_store(client):
    UserFactory(username="nurse", password=PASSWORD)
    response = sign_in(client, "nurse", PASSWORD)
    assert response.status_code == 302 and response["Cache-Control"] == "no-store"


def test_the_public_page_keeps_its_caching(client):
    response = client.get(reverse("public-ipr"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_library_file_marked_public_keeps_its_long_cache_for_signed_in_people(client):
    client.force_login(UserFactory(username="exec"))
    response = client.get(reverse("plotly-js"))
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_caching_for_signed_in_people(client):
    client.force_login(UserFactory(username="exec"))
    response = client.get("/static/js/charts.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


@pytest.fixture
def auditor(client, world):
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
