"""The database-role scripts in deploy/ (docs/security.md), each run against a throwaway PostgreSQL database.

A new volume: postgres-init/10-pmf-roles.sh runs first, then the owner migrates. A volume made by an earlier
compose file: its superuser migrated and owns everything, then adopt-existing-database.sh hands it over.
Either way the owner must own every table and the app role must be left with row access only, unable to
change, empty or unguard the audit trail. Each test makes its own database and roles, with names no other
run shares, and drops them afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import errors, sql

ROOT = Path(__file__).parents[2]
ROLES_SCRIPT = ROOT / "deploy" / "postgres-init" / "10-pmf-roles.sh"
ADOPT_SCRIPT = ROOT / "deploy" / "adopt-existing-database.sh"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the deploy scripts set up PostgreSQL roles: run with DATABASE_URL set to a PostgreSQL server",
    ),
    pytest.mark.skipif(
        shutil.which("psql") is None, reason="the deploy scripts run PostgreSQL's psql client"
    ),
]

AUDIT = "pmf_auditevent"
AUDIT_TRIGGERS = ("pmf_auditevent_append_only", "pmf_auditevent_no_truncate")


@dataclass(frozen=True)
class Throwaway:
    """A database and three roles of one test run: the old superuser owner, the owner and the app role."""

    database: str
    legacy: str
    owner: str
    app: str
    password: str  # every role's, which is enough for a throwaway

    def script_env(self, *, run_as: str) -> dict[str, str]:
        """What compose gives the postgres service, aimed at the throwaway database on the test's server."""
        server = settings.DATABASES["default"]
        return os.environ | {
            "PGHOST": str(server["HOST"] or "127.0.0.1"),
            "PGPORT": str(server["PORT"] or 5432),
            "PGPASSWORD": self.password if run_as != server["USER"] else str(server["PASSWORD"] or ""),
            "POSTGRES_USER": run_as,
            "PMF_DB_NAME": self.database,
            "PMF_DB_OWNER": self.owner,
            "PMF_DB_APP": self.app,
            "PMF_DB_OWNER_PASSWORD": self.password,
            "PMF_DB_APP_PASSWORD": self.password,
        }

    def url(self, role: str) -> str:
        server = settings.DATABASES["default"]
        host, port = server["HOST"] or "127.0.0.1", server["PORT"] or 5432
        return f"postgres://{role}:{self.password}@{host}:{port}/{self.database}"


def _connect(database: str, *, role: str | None = None, password: str | None = None) -> psycopg.Connection:
    server = settings.DATABASES["default"]
    return psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=role or server["USER"],
        password=password if role else server["PASSWORD"] or None,
        dbname=database,
        autocommit=True,
    )


@pytest.fixture
def throwaway():
    run = f"pmf_deploy_{uuid.uuid4().hex[:10]}"
    made = Throwaway(
        database=run,
        legacy=f"{run}_legacy",
        owner=f"{run}_owner",
        app=f"{run}_app",
        password=secrets.token_hex(16),
    )
    with _connect("postgres") as admin:
        yield made
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(made.database))
        )
        for role in (made.app, made.owner, made.legacy):
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _run(script: Path, env: dict[str, str]) -> None:
    result = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _migrate(url: str) -> None:
    """``manage.py migrate`` as compose's migrate step runs it, against ``url``."""
    env = os.environ | {"DATABASE_URL": url, "DJANGO_DEBUG": "1", "CELERY_BROKER_URL": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr


def _owners(made: Throwaway) -> dict[str, set[str]]:
    """Who owns the database, schema public, and each table, view, sequence and function in it."""
    with _connect(made.database) as admin:
        rows = admin.execute(
            """
            SELECT 'database', pg_get_userbyid(datdba), datname
            FROM pg_database WHERE datname = current_database()
            UNION ALL
            SELECT 'schema', pg_get_userbyid(nspowner), nspname FROM pg_namespace WHERE nspname = 'public'
            UNION ALL
            SELECT 'relation', pg_get_userbyid(relowner), relname FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'S')
            UNION ALL
            SELECT 'function', pg_get_userbyid(proowner), proname FROM pg_proc
            WHERE pronamespace = 'public'::regnamespace
            """
        ).fetchall()
    owners: dict[str, set[str]] = {}
    for kind, owner, name in rows:
        owners.setdefault(owner, set()).add(f"{kind} {name}")
    return owners


def _assert_the_owner_owns_everything(made: Throwaway) -> None:
    owners = _owners(made)
    assert set(owners) == {made.owner}, {role: sorted(things)[:5] for role, things in owners.items()}
    assert {
        "database " + made.database,
        "schema public",
        "relation pmf_auditevent",
        "relation pmf_auditevent_id_seq",
        "function pmf_audit_append_only",
        "function pmf_audit_no_truncate",
    } <= owners[made.owner]


def _assert_the_app_has_row_access_only(made: Throwaway) -> None:
    with _connect(made.database, role=made.app, password=made.password) as app:
        # Rows: it reads and writes ordinary tables, and adds to the audit trail.
        app.execute("INSERT INTO django_session VALUES ('deploy-test', 'data', now())")
        app.execute("UPDATE django_session SET session_data = 'changed' WHERE session_key = 'deploy-test'")
        app.execute("DELETE FROM django_session WHERE session_key = 'deploy-test'")
        app.execute(
            "INSERT INTO pmf_auditevent (at, actor, verb, object_type, object_id, note) "
            "VALUES (now(), '', 'deploy test', 'test', '', '')"
        )
        assert app.execute("SELECT count(*) FROM pmf_auditevent").fetchone() == (1,)

        # The audit trail: no change, no emptying, no switching its guards off.
        for statement in (
            "UPDATE pmf_auditevent SET verb = 'edited'",
            "DELETE FROM pmf_auditevent",
            "TRUNCATE pmf_auditevent",
        ):
            with pytest.raises(
                errors.InsufficientPrivilege, match="permission denied for table pmf_auditevent"
            ):
                app.execute(statement)
        for trigger in AUDIT_TRIGGERS:
            with pytest.raises(errors.InsufficientPrivilege, match="must be owner of table pmf_auditevent"):
                app.execute(f"ALTER TABLE pmf_auditevent DISABLE TRIGGER {trigger}")

        # Nothing of its own: no new tables, no altering others.
        with pytest.raises(errors.InsufficientPrivilege):
            app.execute("CREATE TABLE pmf_deploy_test (id int)")
        with pytest.raises(errors.InsufficientPrivilege, match="must be owner"):
            app.execute("ALTER TABLE django_session ADD COLUMN extra int")
    with _connect(made.database) as admin:
        assert admin.execute("SELECT verb FROM pmf_auditevent").fetchall() == [("deploy test",)]


def test_a_new_volume_gets_an_owner_that_migrates_and_an_app_role_with_row_access_only(throwaway):
    """What compose does on a new volume: the roles script as the superuser, then migrate as the owner."""
    server_user = str(settings.DATABASES["default"]["USER"])
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(throwaway.database)))

    _run(ROLES_SCRIPT, throwaway.script_env(run_as=server_user))
    _migrate(throwaway.url(throwaway.owner))

    _assert_the_owner_owns_everything(throwaway)
    _assert_the_app_has_row_access_only(throwaway)


def test_an_old_volume_is_handed_to_the_owner_and_the_app_role_gets_row_access_only(throwaway):
    """An earlier compose file's volume: one superuser made the database, migrated it and owns every table."""
    with _connect("postgres") as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN SUPERUSER PASSWORD {}").format(
                sql.Identifier(throwaway.legacy), sql.Literal(throwaway.password)
            )
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(throwaway.database), sql.Identifier(throwaway.legacy)
            )
        )
    _migrate(throwaway.url(throwaway.legacy))
    # The state the script starts from.
    assert "relation pmf_auditevent" in _owners(throwaway)[throwaway.legacy]

    _run(ADOPT_SCRIPT, throwaway.script_env(run_as=throwaway.legacy))

    _assert_the_owner_owns_everything(throwaway)
    _assert_the_app_has_row_access_only(throwaway)


def test_handing_an_old_volume_over_is_safe_to_run_again(throwaway):
    """Run twice by the cluster's own superuser, over a table and a function of its own and an old grant."""
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(throwaway.database)))
    with _connect(throwaway.database) as admin:
        admin.execute(
            "CREATE TABLE pmf_auditevent (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, verb text)"
        )
        admin.execute("CREATE FUNCTION pmf_deploy_test() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        admin.execute("GRANT UPDATE, DELETE, TRUNCATE ON pmf_auditevent TO PUBLIC")
    server_user = str(settings.DATABASES["default"]["USER"])

    for _ in range(2):
        _run(ADOPT_SCRIPT, throwaway.script_env(run_as=server_user))
    with _connect(throwaway.database) as admin:
        if admin.execute("SELECT oid = 10 FROM pg_roles WHERE rolname = current_user").fetchone() == (True,):
            # The step the docs gave before, as the superuser that made the cluster (as `pmf` made its
            # volume): refused before it changes anything, which is why the script moves each object itself.
            with pytest.raises(errors.DependentObjectsStillExist, match="required by the database system"):
                admin.execute(
                    sql.SQL("REASSIGN OWNED BY CURRENT_USER TO {}").format(sql.Identifier(throwaway.owner))
                )

    owners = _owners(throwaway)
    assert set(owners) == {throwaway.owner}
    assert {
        "relation pmf_auditevent",
        "relation pmf_auditevent_id_seq",
        "function pmf_deploy_test",
    } <= owners[throwaway.owner]
    with _connect(throwaway.database) as admin:
        held = admin.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = %s AND grantee IN ('PUBLIC', %s) ORDER BY 1",
            [AUDIT, throwaway.app],
        ).fetchall()
    assert held == [("INSERT",), ("SELECT",)]  # the app's, and nothing for everyone
