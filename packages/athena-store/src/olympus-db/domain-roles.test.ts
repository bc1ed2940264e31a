import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "../audit/store";
import type { Domain } from "@olympus/runtime-config/config";
import { deriveEncryptionKey } from "../settings/crypto";
import { createSettingsStore } from "../settings/store";
import { olympusDomainRole } from "./roles";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "./test-database";

/**
 * The `olympus` database separates the domains by login role: each Athena's
 * role reaches its own rows and nothing else, whatever it does to its
 * session, and can neither switch the walls off nor rewrite the audit log.
 * Each check below passed on the shared owner role the database had before
 * (it set its own domain with set_config and owned every table).
 */

const TABLES = ["olympus_settings", "olympus_audit_log", "olympus_athena_sessions"] as const;
const KEY = deriveEncryptionKey("domain-roles-test-encryption-key-0123456789", "production");

let db: TestOlympusDatabase;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
  for (const domain of ["ciam", "iam"] as const) {
    await createSettingsStore({ pool: db.pools[domain], domain, key: KEY }).set(
      [{ key: "smtp.host", value: `smtp.${domain}.example`, secret: false }],
      "seed",
    );
    await createAuditLog({ pool: db.pools[domain], domain }).record({
      actor: { id: `${domain}-admin` },
      action: "identity.delete",
      target: "x",
      outcome: "success",
    });
    await insertSession(db.pools[domain], domain, `seed-${domain}`);
  }
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

/** A 43-character id hash, as Athena stores it. */
function idHash(seed: string): string {
  return seed.padEnd(43, "A").slice(0, 43);
}

async function insertSession(pool: pg.Pool, domain: Domain, seed: string): Promise<void> {
  await pool.query(
    `INSERT INTO olympus_athena_sessions (domain, id_hash, subject, role, refresh_token, id_token, created_at, validated_at)
     VALUES ($1, $2, 'subject', 'admin', 'sealed-refresh', 'sealed-id', now(), now())`,
    [domain, idHash(seed)],
  );
}

/** A connection of its own (so no trick outlives its check), logged in with `url` plus startup `options`. */
async function connect(url: string, options?: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, ...(options ? { options } : {}) });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** "ok", or the SQLSTATE Postgres refused with. */
async function outcome(client: pg.Client, sql: string): Promise<string> {
  try {
    await client.query(sql);
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** Ways a connection might try to pass for the other domain (or for nobody in particular) within its own session. */
function sessionTricks(other: Domain): string[][] {
  return [
    [],
    [`SELECT set_config('olympus.domain', '${other}', false)`],
    [`SET olympus.domain = '${other}'`],
    [`BEGIN`, `SELECT set_config('olympus.domain', '${other}', true)`],
    [`SET ROLE ${olympusDomainRole(other)}`],
    [`SELECT set_config('role', '${olympusDomainRole(other)}', false)`],
    [`SET ROLE olympus_migrator`],
    [`SET ROLE postgres`],
    [`SET SESSION AUTHORIZATION ${olympusDomainRole(other)}`],
    [`SET ROLE ${olympusDomainRole(other)}`, `RESET ROLE`],
    [`RESET ROLE`, `RESET SESSION AUTHORIZATION`],
    [`SET row_security = off`],
    [`SET search_path = pg_temp, public`],
  ];
}

/** Every row of `table` the connection can see, by domain; a refused query sees nothing. */
async function visibleDomains(client: pg.Client, table: string): Promise<string[]> {
  try {
    return (await client.query<{ domain: string }>(`SELECT domain FROM ${table}`)).rows.map((row) => row.domain);
  } catch {
    return [];
  }
}

describe.each([
  ["ciam", "iam"],
  ["iam", "ciam"],
] as const)("the %s Athena's role (olympus_%s)", (own, other) => {
  const url = () => db.urls[own];

  it(`cannot read one ${other} row however it sets its session`, async () => {
    const leaks: string[] = [];
    for (const trick of sessionTricks(other)) {
      const label = trick.join("; ") || "(nothing set)";
      const client = await connect(url());
      try {
        for (const statement of trick) await outcome(client, statement);
        const role = (await client.query<{ role: string }>("SELECT current_user AS role").catch(() => ({ rows: [{ role: "(aborted)" }] })))
          .rows[0]?.role;
        if (role !== olympusDomainRole(own) && role !== "(aborted)") leaks.push(`${label}: made it ${role}`);
        for (const table of TABLES) {
          const seen = await visibleDomains(client, table);
          if (seen.includes(other)) leaks.push(`${label}: read ${other}'s ${table}`);
        }
      } finally {
        await client.end();
      }
    }
    expect(leaks).toEqual([]);
  });

  it(`cannot log in as the other role by a startup option`, async () => {
    for (const options of [`-c role=${olympusDomainRole(other)}`, `-c session_authorization=${olympusDomainRole(other)}`]) {
      const attempt = await connect(url(), options).then(
        async (client) => {
          const role = (await client.query<{ role: string }>("SELECT current_user AS role")).rows[0]?.role;
          await client.end();
          return role;
        },
        (error: { code?: string }) => error.code,
      );
      expect({ options, attempt }).toEqual({ options, attempt: "42501" });
    }
  });

  it(`cannot write, change or delete a ${other} row`, async () => {
    const client = await connect(url());
    try {
      expect(await outcome(client, `INSERT INTO olympus_settings (domain, key, value) VALUES ('${other}', 'planted', 'x')`)).toBe("42501");
      expect(
        await outcome(
          client,
          `INSERT INTO olympus_audit_log (domain, actor_id, action, outcome) VALUES ('${other}', 'x', 'planted', 'success')`,
        ),
      ).toBe("42501");
      expect(await outcome(client, `UPDATE olympus_settings SET domain = '${other}' WHERE domain = '${own}'`)).toBe("42501");
      for (const table of ["olympus_settings", "olympus_athena_sessions"]) {
        expect((await client.query(`DELETE FROM ${table} WHERE domain = '${other}'`)).rowCount).toBe(0);
      }
      expect((await client.query(`UPDATE olympus_settings SET value = 'overwritten' WHERE domain = '${other}'`)).rowCount).toBe(0);
      expect(
        (
          await client.query(
            `UPDATE olympus_athena_sessions SET end_reason = 'x', ended_at = now(), refresh_token = NULL, id_token = NULL WHERE domain = '${other}'`,
          )
        ).rowCount,
      ).toBe(0);
    } finally {
      await client.end();
    }
    const untouched = await db.superuser(
      `SELECT (SELECT count(*) FROM olympus_settings WHERE domain = $1 AND value LIKE 'smtp.%')::int AS settings,
      (SELECT count(*) FROM olympus_athena_sessions WHERE domain = $1 AND ended_at IS NULL)::int AS sessions`,
      [other],
    );
    expect(untouched.rows[0]).toEqual({ settings: 1, sessions: 1 });
  });

  it("cannot switch row-level security, the policies or the append-only trigger off", async () => {
    const client = await connect(url());
    try {
      const attempts = [
        ...TABLES.flatMap((table) => [
          `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`,
          `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`,
          `DROP POLICY ${table}_domain ON ${table}`,
          `ALTER POLICY ${table}_domain ON ${table} USING (true)`,
          `CREATE POLICY open_${table} ON ${table} USING (true)`,
          `ALTER TABLE ${table} OWNER TO ${olympusDomainRole(own)}`,
        ]),
        "ALTER TABLE olympus_audit_log DISABLE TRIGGER olympus_audit_log_append_only",
        "ALTER TABLE olympus_audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER olympus_audit_log_append_only ON olympus_audit_log",
        "CREATE OR REPLACE FUNCTION olympus_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
        "DROP FUNCTION olympus_audit_log_append_only() CASCADE",
        "ALTER FUNCTION olympus_audit_log_append_only() OWNER TO CURRENT_USER",
      ];
      for (const sql of attempts) expect({ sql, outcome: await outcome(client, sql) }).toEqual({ sql, outcome: "42501" });
    } finally {
      await client.end();
    }
    const walls = await db.superuser(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c WHERE c.relname = ANY($1) ORDER BY 1`,
      [TABLES],
    );
    expect(walls.rows).toEqual(
      [...TABLES].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true, policies: 1 })),
    );
    const triggers = await db.superuser(
      "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'olympus_audit_log'::regclass ORDER BY 1",
    );
    expect(triggers.rows).toEqual([
      { tgname: "olympus_audit_log_append_only", tgenabled: "O" },
      { tgname: "olympus_audit_log_no_truncate", tgenabled: "O" },
    ]);
  });

  it("cannot update, delete or truncate audit rows, its own included", async () => {
    const client = await connect(url());
    try {
      expect(await outcome(client, "UPDATE olympus_audit_log SET outcome = 'failure'")).toBe("42501");
      expect(await outcome(client, `UPDATE olympus_audit_log SET outcome = 'failure' WHERE domain = '${own}'`)).toBe("42501");
      expect(await outcome(client, "DELETE FROM olympus_audit_log")).toBe("42501");
      expect(await outcome(client, `DELETE FROM olympus_audit_log WHERE domain = '${own}'`)).toBe("42501");
      expect(await outcome(client, "TRUNCATE olympus_audit_log")).toBe("42501");
    } finally {
      await client.end();
    }
    const kept = await db.superuser<{ n: number }>(
      "SELECT count(*)::int AS n FROM olympus_audit_log WHERE domain = $1 AND outcome = 'success'",
      [own],
    );
    expect(kept.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it("cannot alter, drop, truncate or create anything", async () => {
    const client = await connect(url());
    try {
      const attempts = [
        ...TABLES.flatMap((table) => [
          `ALTER TABLE ${table} ADD COLUMN planted text`,
          `DROP TABLE ${table}`,
          `TRUNCATE ${table}`,
          `GRANT SELECT ON ${table} TO PUBLIC`,
        ]),
        "ALTER TABLE olympus_settings ALTER COLUMN domain DROP NOT NULL",
        "DROP TABLE olympus_migrations",
        "DELETE FROM olympus_migrations",
        "CREATE TABLE planted (x int)",
        "CREATE TEMP TABLE olympus_settings (domain text, key text, value text)",
        "CREATE SCHEMA planted",
        "CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE ROLE planted",
        "CREATE DATABASE planted",
      ];
      // GRANT by a role without grant options only warns; it is judged by its effect below.
      for (const sql of attempts.filter((s) => !s.startsWith("GRANT")))
        expect({ sql, outcome: await outcome(client, sql) }).toEqual({ sql, outcome: "42501" });
      for (const sql of attempts.filter((s) => s.startsWith("GRANT"))) await outcome(client, sql);
    } finally {
      await client.end();
    }
    const grantedToPublic = await db.superuser<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE grantee = 'PUBLIC' AND table_name LIKE 'olympus_%'",
    );
    expect(grantedToPublic.rows[0]?.n).toBe(0);
  });

  it("owns nothing and holds no attribute that would bypass the walls", async () => {
    const role = olympusDomainRole(own);
    const attributes = await db.superuser(
      "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolinherit, rolreplication FROM pg_roles WHERE rolname = $1",
      [role],
    );
    expect(attributes.rows).toEqual([
      { rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolinherit: true, rolreplication: false },
    ]);
    const memberships = await db.superuser<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1",
      [role],
    );
    expect(memberships.rows[0]?.n).toBe(0);
    const owned = await db.superuser<{ n: string }>(
      `SELECT (SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1)
            + (SELECT count(*) FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = $1)
            + (SELECT count(*) FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = $1) AS n`,
      [role],
    );
    expect(Number(owned.rows[0]?.n)).toBe(0);
  });

  it("still does its work: settings read and write, audit append and read, its sessions' rows", async () => {
    const pool = db.pools[own];
    const settings = createSettingsStore({ pool, domain: own, key: KEY });
    await settings.set([{ key: "work.secret", value: "s3cret", secret: true }], "admin");
    await settings.set([{ key: "work.secret", value: "rotated", secret: true }], "admin");
    expect(await settings.get("work.secret")).toBe("rotated");
    expect((await settings.list()).map((s) => s.key)).toEqual(["smtp.host", "work.secret"]);
    expect(await settings.delete("work.secret")).toBe(true);

    const audit = createAuditLog({ pool, domain: own });
    await audit.record({ actor: { id: "worker" }, action: "settings.update", target: "work.secret", outcome: "success" });
    const { events } = await audit.list({ action: "settings.update" });
    expect(events.map((e) => e.actor.id)).toEqual(["worker"]);

    await insertSession(pool, own, `work-${own}`);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      expect(
        (
          await client.query("SELECT subject FROM olympus_athena_sessions WHERE domain = $1 AND id_hash = $2 FOR UPDATE", [
            own,
            idHash(`work-${own}`),
          ])
        ).rowCount,
      ).toBe(1);
      await client.query(
        "UPDATE olympus_athena_sessions SET refresh_token = 'renewed', id_token = 'renewed', validated_at = now() WHERE domain = $1 AND id_hash = $2",
        [own, idHash(`work-${own}`)],
      );
      await client.query(
        "UPDATE olympus_athena_sessions SET ended_at = now(), end_reason = 'signed-out', refresh_token = NULL, id_token = NULL WHERE domain = $1 AND id_hash = $2",
        [own, idHash(`work-${own}`)],
      );
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const purged = await pool.query("DELETE FROM olympus_athena_sessions WHERE domain = $1 AND id_hash = $2", [own, idHash(`work-${own}`)]);
    expect(purged.rowCount).toBe(1);
    // The row's identity is not the app's to change: only the columns renewal and ending write are granted.
    expect(
      await pool.query("UPDATE olympus_athena_sessions SET id_hash = $2 WHERE domain = $1", [own, idHash("moved")]).then(
        () => "ok",
        (e: { code?: string }) => e.code,
      ),
    ).toBe("42501");
  });
});
