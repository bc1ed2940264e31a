import type pg from "pg";
import { OLYMPUS_MIGRATOR_ROLE, olympusDomainRole } from "./roles";

/**
 * The `olympus` database's schema, as ordered, append-only migrations. Each
 * runs once (recorded in olympus_migrations) inside its own transaction; a
 * session-level advisory lock makes concurrent runs apply them exactly once.
 * They run as the tables' owner, `olympus_migrator`, in the migration step
 * (the devstack at start, the `olympus-migrate` one-shot in Compose); Athena
 * only checks that they have run (readiness.ts): its roles have no DDL rights.
 *
 * Never edit a migration that has shipped: add the next one.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/**
 * The domain row-level security gives a connection: the role it logged in as
 * (roles.ts), never a value the session sets itself. Anyone else — the
 * migrator, which owns the tables — gets NULL, which matches no row.
 */
const CONNECTED_DOMAIN = `CASE current_user WHEN '${olympusDomainRole("ciam")}' THEN 'ciam' WHEN '${olympusDomainRole("iam")}' THEN 'iam' END`;
const DOMAIN_ROLES = `${olympusDomainRole("ciam")}, ${olympusDomainRole("iam")}`;

/**
 * Every row carries its domain. Row-level security is the second wall behind
 * the `domain = $1` in every query (FORCE makes the policies bind the table
 * owner too; only a superuser bypasses them). Migrations 1-3 keyed the
 * policies on a session setting; migration 4 keys them on the login role.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: "settings",
    sql: `
      CREATE TABLE olympus_settings (
        domain     text        NOT NULL CHECK (domain IN ('ciam', 'iam')),
        key        text        NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,127}$'),
        value      text        NOT NULL,
        secret     boolean     NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text,
        PRIMARY KEY (domain, key)
      );
      ALTER TABLE olympus_settings ENABLE ROW LEVEL SECURITY;
      ALTER TABLE olympus_settings FORCE ROW LEVEL SECURITY;
      CREATE POLICY olympus_settings_domain ON olympus_settings
        USING (domain = current_setting('olympus.domain', true))
        WITH CHECK (domain = current_setting('olympus.domain', true));
    `,
  },
  {
    id: 2,
    name: "audit-log",
    sql: `
      CREATE TABLE olympus_audit_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        domain      text        NOT NULL CHECK (domain IN ('ciam', 'iam')),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id    text        NOT NULL,
        actor_email text,
        actor_role  text,
        action      text        NOT NULL,
        target      text,
        outcome     text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
        details     jsonb       NOT NULL DEFAULT '{}'::jsonb
      );
      -- Pages are newest first by id (keyset), optionally narrowed by action or target.
      CREATE INDEX olympus_audit_log_domain_id ON olympus_audit_log (domain, id DESC);
      CREATE INDEX olympus_audit_log_domain_action ON olympus_audit_log (domain, action, id DESC);
      CREATE INDEX olympus_audit_log_domain_target ON olympus_audit_log (domain, target, id DESC);
      ALTER TABLE olympus_audit_log ENABLE ROW LEVEL SECURITY;
      ALTER TABLE olympus_audit_log FORCE ROW LEVEL SECURITY;
      CREATE POLICY olympus_audit_log_domain ON olympus_audit_log
        USING (domain = current_setting('olympus.domain', true))
        WITH CHECK (domain = current_setting('olympus.domain', true));

      -- The audit log is append-only: history cannot be rewritten through the app's role.
      CREATE FUNCTION olympus_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'olympus_audit_log is append-only';
      END;
      $$;
      CREATE TRIGGER olympus_audit_log_append_only
        BEFORE UPDATE OR DELETE ON olympus_audit_log
        FOR EACH ROW EXECUTE FUNCTION olympus_audit_log_append_only();
      CREATE TRIGGER olympus_audit_log_no_truncate
        BEFORE TRUNCATE ON olympus_audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION olympus_audit_log_append_only();
    `,
  },
  {
    id: 3,
    name: "athena-sessions",
    // Athena's server-side sessions: the browser's cookie names a row by an
    // opaque id (only its SHA-256 is stored here); the role Athena authorises
    // on and the IAM refresh token (sealed with ENCRYPTION_KEY) live in the row.
    // An ended row keeps who and why, never a token.
    sql: `
      CREATE TABLE olympus_athena_sessions (
        domain        text        NOT NULL CHECK (domain IN ('ciam', 'iam')),
        id_hash       text        NOT NULL CHECK (id_hash ~ '^[A-Za-z0-9_-]{43}$'),
        subject       text        NOT NULL,
        email         text,
        name          text,
        role          text        NOT NULL CHECK (role IN ('viewer', 'admin')),
        refresh_token text,
        id_token      text,
        created_at    timestamptz NOT NULL,
        validated_at  timestamptz NOT NULL,
        ended_at      timestamptz,
        end_reason    text,
        PRIMARY KEY (domain, id_hash),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
        CHECK (ended_at IS NOT NULL OR (refresh_token IS NOT NULL AND id_token IS NOT NULL)),
        CHECK (ended_at IS NULL OR (refresh_token IS NULL AND id_token IS NULL))
      );
      -- Rows past the absolute session cap are purged by age.
      CREATE INDEX olympus_athena_sessions_domain_created ON olympus_athena_sessions (domain, created_at);
      ALTER TABLE olympus_athena_sessions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE olympus_athena_sessions FORCE ROW LEVEL SECURITY;
      CREATE POLICY olympus_athena_sessions_domain ON olympus_athena_sessions
        USING (domain = current_setting('olympus.domain', true))
        WITH CHECK (domain = current_setting('olympus.domain', true));
    `,
  },
  {
    id: 4,
    name: "per-domain-roles",
    // One login role per domain, owning nothing. Until now both Athenas logged
    // in as the tables' owner and chose their domain with set_config, so
    // either could read the other's rows, switch RLS or the append-only
    // trigger off, or delete audit history. From here a domain is what the
    // connection logged in as, and the app roles hold only the privileges
    // their queries use: no UPDATE or DELETE on the audit log, no TRUNCATE,
    // no DDL. Column lists keep `domain`, keys and creation times immutable.
    sql: `
      DO $check$
      BEGIN
        IF (SELECT count(*) FROM pg_roles WHERE rolname IN ('${olympusDomainRole("ciam")}', '${olympusDomainRole("iam")}')) <> 2 THEN
          RAISE EXCEPTION 'roles ${olympusDomainRole("ciam")} and ${olympusDomainRole("iam")} do not exist; apply platform/postgres/init.sql first (the devstack and the olympus-migrate one-shot do)';
        END IF;
        -- An upgraded database got here through the legacy role's rename (platform/src/postgres-layout.ts).
        IF EXISTS (SELECT FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('olympus_settings', 'olympus_audit_log', 'olympus_athena_sessions', 'olympus_migrations') AND tableowner <> current_user) THEN
          RAISE EXCEPTION 'the olympus tables are not owned by %; run the migration step as ${OLYMPUS_MIGRATOR_ROLE} after platform/postgres/init.sql (the devstack and the olympus-migrate one-shot move a legacy owner over first)', current_user;
        END IF;
      END
      $check$;

      DROP POLICY olympus_settings_domain ON olympus_settings;
      CREATE POLICY olympus_settings_domain ON olympus_settings
        USING (domain = ${CONNECTED_DOMAIN})
        WITH CHECK (domain = ${CONNECTED_DOMAIN});
      DROP POLICY olympus_audit_log_domain ON olympus_audit_log;
      CREATE POLICY olympus_audit_log_domain ON olympus_audit_log
        USING (domain = ${CONNECTED_DOMAIN})
        WITH CHECK (domain = ${CONNECTED_DOMAIN});
      DROP POLICY olympus_athena_sessions_domain ON olympus_athena_sessions;
      CREATE POLICY olympus_athena_sessions_domain ON olympus_athena_sessions
        USING (domain = ${CONNECTED_DOMAIN})
        WITH CHECK (domain = ${CONNECTED_DOMAIN});

      REVOKE ALL ON olympus_settings, olympus_audit_log, olympus_athena_sessions, olympus_migrations FROM PUBLIC, ${DOMAIN_ROLES};
      -- Settings: read, upsert (INSERT … ON CONFLICT DO UPDATE), delete.
      GRANT SELECT, INSERT, DELETE ON olympus_settings TO ${DOMAIN_ROLES};
      GRANT UPDATE (value, secret, updated_at, updated_by) ON olympus_settings TO ${DOMAIN_ROLES};
      -- The audit log: append and read, nothing else.
      GRANT SELECT, INSERT ON olympus_audit_log TO ${DOMAIN_ROLES};
      -- Athena's sessions: renewal and ending update a row; the purge deletes old ones.
      GRANT SELECT, INSERT, DELETE ON olympus_athena_sessions TO ${DOMAIN_ROLES};
      GRANT UPDATE (role, refresh_token, id_token, email, name, validated_at, ended_at, end_reason) ON olympus_athena_sessions TO ${DOMAIN_ROLES};
      -- Athena checks at start that the schema it expects is in place.
      GRANT SELECT ON olympus_migrations TO ${DOMAIN_ROLES};
    `,
  },
  {
    id: 5,
    name: "edge-limits",
    // Hera's abuse limits (apps/hera/lib/server/kratos-edge): one counter row
    // per (bucket, SHA-256 of the identifier, address or IP) — nothing in
    // clear — and, for second factors, which identifier signed in with a
    // session credential (its SHA-256). Expired rows are purged by age.
    sql: `
      CREATE TABLE olympus_edge_counters (
        domain            text        NOT NULL CHECK (domain IN ('ciam', 'iam')),
        bucket            text        NOT NULL CHECK (bucket ~ '^[a-z_]{1,32}:[a-z_]{1,32}$'),
        key_hash          bytea       NOT NULL CHECK (octet_length(key_hash) = 32),
        hits              integer     NOT NULL DEFAULT 0 CHECK (hits >= 0),
        window_started_at timestamptz NOT NULL DEFAULT now(),
        blocked_until     timestamptz,
        expires_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (domain, bucket, key_hash)
      );
      CREATE INDEX olympus_edge_counters_domain_expires ON olympus_edge_counters (domain, expires_at);
      CREATE TABLE olympus_edge_sign_ins (
        domain          text        NOT NULL CHECK (domain IN ('ciam', 'iam')),
        credential_hash bytea       NOT NULL CHECK (octet_length(credential_hash) = 32),
        subject         text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 400),
        expires_at      timestamptz NOT NULL,
        PRIMARY KEY (domain, credential_hash)
      );
      CREATE INDEX olympus_edge_sign_ins_domain_expires ON olympus_edge_sign_ins (domain, expires_at);
      ALTER TABLE olympus_edge_counters ENABLE ROW LEVEL SECURITY;
      ALTER TABLE olympus_edge_counters FORCE ROW LEVEL SECURITY;
      CREATE POLICY olympus_edge_counters_domain ON olympus_edge_counters
        USING (domain = ${CONNECTED_DOMAIN})
        WITH CHECK (domain = ${CONNECTED_DOMAIN});
      ALTER TABLE olympus_edge_sign_ins ENABLE ROW LEVEL SECURITY;
      ALTER TABLE olympus_edge_sign_ins FORCE ROW LEVEL SECURITY;
      CREATE POLICY olympus_edge_sign_ins_domain ON olympus_edge_sign_ins
        USING (domain = ${CONNECTED_DOMAIN})
        WITH CHECK (domain = ${CONNECTED_DOMAIN});

      REVOKE ALL ON olympus_edge_counters, olympus_edge_sign_ins FROM PUBLIC, ${DOMAIN_ROLES};
      GRANT SELECT, INSERT, DELETE ON olympus_edge_counters, olympus_edge_sign_ins TO ${DOMAIN_ROLES};
      GRANT UPDATE (hits, window_started_at, blocked_until, expires_at) ON olympus_edge_counters TO ${DOMAIN_ROLES};
      GRANT UPDATE (subject, expires_at) ON olympus_edge_sign_ins TO ${DOMAIN_ROLES};
    `,
  },
  {
    id: 6,
    name: "lockout-lookup",
    // Athena's locked-accounts page names whom a live edge counter belongs to
    // by the edge.lockout entry Hera wrote when the counter ran out (counters
    // hold only a hash). It looks for that entry from the counter's window
    // start on; without this index the search reads every lockout ever logged.
    // The grants Athena needs (SELECT and DELETE on the counters, SELECT on the
    // audit log, its own domain's rows only) are migration 4's and 5's.
    sql: `
      CREATE INDEX olympus_audit_log_domain_action_time ON olympus_audit_log (domain, action, occurred_at);
    `,
  },
  {
    id: 7,
    name: "dashboard-layouts",
    // Each employee's dashboard layout in one Athena: which widgets, in what
    // order (a JSON array Athena validates on write and reconciles with the
    // widgets it knows on read). Keyed by the IAM subject; presentation only,
    // so the row holds nothing secret.
    sql: `
      CREATE TABLE olympus_dashboard_layouts (
        domain     text        NOT NULL CHECK (domain IN ('ciam', 'iam')),
        subject    text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 400),
        widgets    jsonb       NOT NULL CHECK (jsonb_typeof(widgets) = 'array' AND jsonb_array_length(widgets) <= 64),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (domain, subject)
      );
      ALTER TABLE olympus_dashboard_layouts ENABLE ROW LEVEL SECURITY;
      ALTER TABLE olympus_dashboard_layouts FORCE ROW LEVEL SECURITY;
      CREATE POLICY olympus_dashboard_layouts_domain ON olympus_dashboard_layouts
        USING (domain = ${CONNECTED_DOMAIN})
        WITH CHECK (domain = ${CONNECTED_DOMAIN});

      REVOKE ALL ON olympus_dashboard_layouts FROM PUBLIC, ${DOMAIN_ROLES};
      -- Read, save (INSERT … ON CONFLICT DO UPDATE of the layout only), reset to the default (DELETE).
      GRANT SELECT, INSERT, DELETE ON olympus_dashboard_layouts TO ${DOMAIN_ROLES};
      GRANT UPDATE (widgets, updated_at) ON olympus_dashboard_layouts TO ${DOMAIN_ROLES};
    `,
  },
];

/** An arbitrary, fixed key for pg_advisory_lock: "olym" in ASCII. */
const MIGRATION_LOCK_KEY = 0x6f6c796d;

/** Applies every pending migration in order; returns the ids it applied. `pool` logs in as the migrator. */
export async function migrateOlympusDatabase(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    const role = (await client.query<{ role: string }>("SELECT current_user AS role")).rows[0]?.role;
    if (role === olympusDomainRole("ciam") || role === olympusDomainRole("iam")) {
      throw new Error(`olympus database migrations run as ${OLYMPUS_MIGRATOR_ROLE}, not as an Athena's role (${role})`);
    }
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS olympus_migrations (
        id         integer PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set((await client.query<{ id: number }>("SELECT id FROM olympus_migrations")).rows.map((r) => r.id));
    for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(migration.id)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO olympus_migrations (id, name) VALUES ($1, $2)", [migration.id, migration.name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`olympus database migration ${migration.id} (${migration.name}) failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(migration.id);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
