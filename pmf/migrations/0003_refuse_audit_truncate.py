"""The audit trail refuses TRUNCATE too, and only its owner may change it at all (PostgreSQL).

0002's row triggers never see TRUNCATE, which empties a table without touching a row. Two guards:

1. A statement-level BEFORE TRUNCATE trigger refuses it, unless the session has said
   ``SET pmf.allow_audit_truncate = 'on'`` *and* its role owns the table. Only the owner, who could drop the
   trigger anyway, can empty the table, and only on purpose: the test runner does so between transactional
   tests (tests/conftest.py), as Django's ``flush`` does. An accidental ``TRUNCATE`` or ``flush`` is refused.
2. Every role other than the owner loses UPDATE, DELETE and TRUNCATE on the table. In docker-compose.yml the
   app connects as such a role (docs/security.md); the owner only migrates. A role that does not own the table
   can neither disable its triggers nor change its rows.

SQLite (the embedded demo) has no TRUNCATE and no roles: nothing to do there.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION pmf_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('pmf.allow_audit_truncate', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pmf_auditevent_no_truncate BEFORE TRUNCATE ON pmf_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION pmf_audit_no_truncate();
"""
POSTGRES_REVOKE = """
DO $$
DECLARE
    holder text;
BEGIN
    FOR holder IN
        SELECT DISTINCT grants.grantee
        FROM information_schema.role_table_grants AS grants
        JOIN pg_tables AS tables
            ON tables.schemaname = grants.table_schema AND tables.tablename = grants.table_name
        WHERE grants.table_schema = current_schema()
          AND grants.table_name = 'pmf_auditevent'
          AND grants.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
          AND grants.grantee <> tables.tableowner
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE ON pmf_auditevent FROM %s',
            CASE WHEN holder = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(holder) END
        );
    END LOOP;
END;
$$;
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS pmf_auditevent_no_truncate ON pmf_auditevent;
DROP FUNCTION IF EXISTS pmf_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
        schema_editor.execute(POSTGRES_REVOKE, params=None)


def backwards(apps, schema_editor):
    # The revoked privileges are not given back: who may change the audit trail is the DBA's call.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("pmf", "0002_make_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
