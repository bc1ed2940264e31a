import type pg from "pg";

/**
 * The `olympus` database's schema, as ordered, append-only migrations. Each
 * runs once (recorded in olympus_migrations) inside its own transaction; a
 * session-level advisory lock makes concurrent start-ups (Athena CIAM and
 * Athena IAM share this database) apply them exactly once.
 *
 * Never edit a migration that has shipped: add the next one.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/**
 * Every row carries its domain. Row-level security is the second wall behind
 * the `domain = $1` in every query: a connection sees and writes only the rows
 * of the domain it set in `olympus.domain` for its transaction (FORCE makes
 * the policy bind the table owner too; only a superuser bypasses it).
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
];

/** An arbitrary, fixed key for pg_advisory_lock: "olym" in ASCII. */
const MIGRATION_LOCK_KEY = 0x6f6c796d;

/** Applies every pending migration in order; returns the ids it applied. */
export async function migrateOlympusDatabase(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
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
        throw new Error(`olympus database migration ${migration.id} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.id);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
