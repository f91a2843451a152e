"""The audit trail is append-only in the database itself, whatever code touches it.

PostgreSQL refuses UPDATE and DELETE on audit rows. SQLite (the embedded demo)
refuses UPDATE; deleting is left to it because the test runner empties tables with
DELETE there (PostgreSQL empties them with TRUNCATE, which these triggers do not see).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION pmf_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pmf_auditevent_append_only BEFORE UPDATE OR DELETE ON pmf_auditevent
    FOR EACH ROW EXECUTE FUNCTION pmf_audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS pmf_auditevent_append_only ON pmf_auditevent;
DROP FUNCTION IF EXISTS pmf_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER pmf_auditevent_no_update BEFORE UPDATE ON pmf_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS pmf_auditevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("pmf", "0001_create_core")]
    operations = [migrations.RunPython(forwards, backwards)]
