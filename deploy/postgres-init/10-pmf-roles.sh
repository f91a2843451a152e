#!/bin/sh
# PMF's two database roles, so that the app cannot change or remove its own audit trail (docs/security.md).
#
#   PMF_DB_OWNER  owns the database and every table; only the migrate step connects as it.
#   PMF_DB_APP    what the web app, workers and beat connect as: it reads and writes rows but owns nothing,
#                 so it cannot alter a table or disable a trigger, and it may only add to the audit table.
#
# PostgreSQL's image runs this once, when its data volume is first created. It is safe to run again by hand as
# the superuser, e.g. to set new passwords from .env:
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-pmf-roles.sh
# A volume made by an earlier compose file needs ../adopt-existing-database.sh, which runs this and then hands
# the existing tables to the owner (docs/security.md).
# PMF_DB_OWNER, PMF_DB_APP and PMF_DB_NAME name the roles and the database; the passwords are required.
set -eu
: "${PMF_DB_OWNER:=pmf_owner}" "${PMF_DB_APP:=pmf_app}" "${PMF_DB_NAME:=${POSTGRES_DB:-pmf}}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "$PMF_DB_NAME" \
  -v owner="$PMF_DB_OWNER" -v owner_password="$PMF_DB_OWNER_PASSWORD" \
  -v app="$PMF_DB_APP" -v app_password="$PMF_DB_APP_PASSWORD" -v db="$PMF_DB_NAME" <<'SQL'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') AS new_owner,
       NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') AS new_app \gset
\if :new_owner
CREATE ROLE :"owner" LOGIN;
\endif
\if :new_app
CREATE ROLE :"app" LOGIN;
\endif
ALTER ROLE :"owner" NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
ALTER ROLE :"app" NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';

-- The owner migrates: it owns the database and its schema, so every table it creates is its own.
ALTER DATABASE :"db" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The app: rows only, in tables the owner has made or will make.
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
GRANT USAGE ON SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- The audit trail is append-only for the app. pmf migration 0003 makes the same revocation for a table
-- created after this script has run (a new volume); this line covers a volume that already has it.
SELECT to_regclass('public.pmf_auditevent') IS NOT NULL AS has_audit \gset
\if :has_audit
REVOKE UPDATE, DELETE, TRUNCATE ON public.pmf_auditevent FROM :"app";
\endif
SQL
