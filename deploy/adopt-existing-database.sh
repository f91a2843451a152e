#!/bin/sh
# Give a database made by an earlier docker-compose.yml (where everything ran as the superuser `pmf`) to PMF's
# two roles (docs/security.md, "A volume made by an earlier docker-compose.yml").
#
# `REASSIGN OWNED BY pmf` cannot do this: `pmf` made that volume, so it is PostgreSQL's bootstrap superuser and
# owns the system catalogues, and PostgreSQL refuses to hand those over. This script moves only PMF's own
# objects, one by one:
#
#   1. postgres-init/10-pmf-roles.sh: creates the owner and app roles if missing and sets their passwords,
#      gives the owner the database and schema public, and grants the app row access only (now and in tables
#      the owner makes later), without UPDATE, DELETE or TRUNCATE on the audit table.
#   2. Every table, view, sequence and function in schema public that is not the owner's becomes the owner's
#      (ALTER ... OWNER TO, in a loop). A sequence that belongs to a table's column moves with its table.
#   3. The audit table's UPDATE, DELETE and TRUNCATE are taken from every role but its owner, as pmf
#      migration 0003 does, so that no grant made under the old set-up survives.
#
# Run it as the superuser, with the same variables as 10-pmf-roles.sh (compose's postgres service has them):
#   docker compose exec -e POSTGRES_USER=pmf postgres sh /srv/pmf-deploy/adopt-existing-database.sh
# PMF_DB_OWNER and PMF_DB_APP name the roles (pmf_owner and pmf_app unless set), PMF_DB_NAME the database.
# Each step is one transaction and the script is safe to run again.
set -eu
: "${PMF_DB_OWNER:=pmf_owner}" "${PMF_DB_APP:=pmf_app}" "${PMF_DB_NAME:=${POSTGRES_DB:-pmf}}"
export PMF_DB_OWNER PMF_DB_APP PMF_DB_NAME

sh "$(dirname "$0")/postgres-init/10-pmf-roles.sh"

psql --no-psqlrc -v ON_ERROR_STOP=1 --single-transaction --username "${POSTGRES_USER:-postgres}" \
  --dbname "$PMF_DB_NAME" -v owner="$PMF_DB_OWNER" <<'SQL'
-- psql does not put its variables into the DO blocks' bodies: they read the owner from this setting.
SELECT set_config('pmf.new_owner', :'owner', true) \g /dev/null

DO $$
DECLARE
    new_owner text := current_setting('pmf.new_owner');
    owner_id oid := (SELECT oid FROM pg_roles WHERE rolname = current_setting('pmf.new_owner'));
    item record;
BEGIN
    FOR item IN
        SELECT CASE relation.relkind
                   WHEN 'v' THEN 'VIEW'
                   WHEN 'm' THEN 'MATERIALIZED VIEW'
                   WHEN 'S' THEN 'SEQUENCE'
                   WHEN 'f' THEN 'FOREIGN TABLE'
                   ELSE 'TABLE'
               END AS kind,
               format('%I.%I', namespace.nspname, relation.relname) AS name
        FROM pg_class AS relation
        JOIN pg_namespace AS namespace ON namespace.oid = relation.relnamespace
        WHERE namespace.nspname = 'public'
          AND relation.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND relation.relowner <> owner_id
          -- An extension's objects stay its own.
          AND NOT EXISTS (
              SELECT FROM pg_depend AS dependency
              WHERE dependency.classid = 'pg_class'::regclass AND dependency.objid = relation.oid
                AND dependency.deptype = 'e'
          )
          -- A serial or identity column's sequence moves with its table, and refuses to move alone.
          AND NOT (relation.relkind = 'S' AND EXISTS (
              SELECT FROM pg_depend AS dependency
              WHERE dependency.classid = 'pg_class'::regclass AND dependency.objid = relation.oid
                AND dependency.refclassid = 'pg_class'::regclass AND dependency.deptype IN ('a', 'i')
          ))
        ORDER BY relation.relkind, relation.relname
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I', item.kind, item.name, new_owner);
    END LOOP;

    FOR item IN
        SELECT CASE routine.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END
                   AS kind,
               routine.oid::regprocedure::text AS name
        FROM pg_proc AS routine
        JOIN pg_namespace AS namespace ON namespace.oid = routine.pronamespace
        WHERE namespace.nspname = 'public'
          AND routine.proowner <> owner_id
          AND NOT EXISTS (
              SELECT FROM pg_depend AS dependency
              WHERE dependency.classid = 'pg_proc'::regclass AND dependency.objid = routine.oid
                AND dependency.deptype = 'e'
          )
        ORDER BY routine.proname
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I', item.kind, item.name, new_owner);
    END LOOP;
END;
$$;

-- The audit trail is append-only for everyone but its owner (pmf migration 0003 makes the same revocation).
DO $$
DECLARE
    holder text;
BEGIN
    IF to_regclass('public.pmf_auditevent') IS NULL THEN
        RETURN;  -- not migrated yet: migration 0003 will revoke when it creates the table's guards
    END IF;
    FOR holder IN
        SELECT DISTINCT grants.grantee
        FROM information_schema.role_table_grants AS grants
        JOIN pg_tables AS tables
            ON tables.schemaname = grants.table_schema AND tables.tablename = grants.table_name
        WHERE grants.table_schema = 'public'
          AND grants.table_name = 'pmf_auditevent'
          AND grants.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
          AND grants.grantee <> tables.tableowner
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE ON public.pmf_auditevent FROM %s',
            CASE WHEN holder = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(holder) END
        );
    END LOOP;
END;
$$;
SQL
