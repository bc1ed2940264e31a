import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateOlympusDatabase, MIGRATIONS } from "@olympus/athena-store/olympus-db";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { DATABASE_ROLES, type RolePasswords } from "./postgres-init";
import { applyPostgresLayout, olympusMigratorUrl, onDatabase } from "./postgres-layout";

const PASSWORDS = Object.fromEntries(DATABASE_ROLES.map((role) => [role, `${role}-layout-test-password`])) as RolePasswords;

/** The olympus part of init.sql before per-domain roles: one shared login that owned the database. */
const LEGACY_LAYOUT = [
  "CREATE ROLE olympus LOGIN PASSWORD 'legacy-shared-password'",
  "CREATE DATABASE olympus OWNER olympus",
  "REVOKE CONNECT, TEMPORARY ON DATABASE olympus FROM PUBLIC",
  "GRANT CONNECT, TEMPORARY ON DATABASE olympus TO olympus",
];

function url(server: TestPostgres, user: string, password: string): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/olympus`;
}

/** Runs `work` on one connection as `user`; a refused login comes back as its SQLSTATE. */
async function as<T>(server: TestPostgres, user: string, password: string, work: (client: pg.Client) => Promise<T>): Promise<T | string> {
  const client = new pg.Client({ connectionString: url(server, user, password) });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function migrateAsMigrator(server: TestPostgres): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: olympusMigratorUrl(server.url(), PASSWORDS.olympus_migrator), max: 1 });
  // The server stops at the end of each suite: an idle connection it terminates is expected, not a failure.
  pool.on("error", () => {});
  try {
    return await migrateOlympusDatabase(pool);
  } finally {
    await pool.end();
  }
}

/** What each Athena's role sees of the settings, after trying to pass for the other domain. */
async function settingsSeenBy(server: TestPostgres, domain: "ciam" | "iam"): Promise<string[] | string> {
  const other = domain === "ciam" ? "iam" : "ciam";
  return as(server, `olympus_${domain}`, PASSWORDS[`olympus_${domain}`], async (client) => {
    await client.query("SELECT set_config('olympus.domain', $1, false)", [other]);
    await client.query(`SET ROLE olympus_${other}`).catch(() => undefined);
    return (await client.query<{ domain: string; key: string }>("SELECT domain, key FROM olympus_settings ORDER BY key")).rows.map(
      (r) => `${r.domain}:${r.key}`,
    );
  });
}

async function tableOwners(server: TestPostgres): Promise<string[]> {
  const { rows } = await server.query(
    "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'olympus%' ORDER BY 1",
    [],
    "olympus",
  );
  return rows.map((r: { tableowner: string }) => r.tableowner);
}

describe("init.sql and the migration step on a fresh server", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("lays the olympus database out for per-domain roles, and again without change", async () => {
    const first = await applyPostgresLayout(server.url(), PASSWORDS);
    expect(first.createdRoles).toEqual([...DATABASE_ROLES]);
    expect(first.legacyRole).toBeUndefined();
    expect(await migrateAsMigrator(server)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await applyPostgresLayout(server.url(), PASSWORDS)).toEqual({ createdRoles: [], createdDatabases: [] });
    expect(await migrateAsMigrator(server)).toEqual([]);
    expect(await tableOwners(server)).toEqual(["olympus_migrator"]);
  });

  it("gives each Athena's role its own rows only, however it sets its session", async () => {
    for (const domain of ["ciam", "iam"] as const) {
      await as(server, `olympus_${domain}`, PASSWORDS[`olympus_${domain}`], (c) =>
        c.query("INSERT INTO olympus_settings (domain, key, value) VALUES ($1, $2, 'x')", [domain, `only.${domain}`]),
      );
    }
    expect(await settingsSeenBy(server, "ciam")).toEqual(["ciam:only.ciam"]);
    expect(await settingsSeenBy(server, "iam")).toEqual(["iam:only.iam"]);
    const disable = await as(server, "olympus_ciam", PASSWORDS.olympus_ciam, (c) =>
      c.query("ALTER TABLE olympus_settings NO FORCE ROW LEVEL SECURITY").then(
        () => "ok",
        (e: { code?: string }) => e.code,
      ),
    );
    expect(disable).toBe("42501");
  });
});

describe("upgrading a server laid out by the earlier init.sql (one shared `olympus` login owning everything)", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
    for (const statement of LEGACY_LAYOUT) await server.query(statement);
    // The schema as the old Athenas left it: migrations 1-3 run as the shared login, one row per domain.
    const legacy = new pg.Pool({ connectionString: url(server, "olympus", "legacy-shared-password"), max: 1 });
    legacy.on("error", () => {});
    try {
      await migrateOlympusDatabase(
        legacy,
        MIGRATIONS.filter((m) => m.id <= 3),
      );
      for (const domain of ["ciam", "iam"]) {
        const client = await legacy.connect();
        try {
          await client.query("BEGIN");
          await client.query("SELECT set_config('olympus.domain', $1, true)", [domain]);
          await client.query("INSERT INTO olympus_settings (domain, key, value) VALUES ($1, 'kept', $1)", [domain]);
          await client.query("COMMIT");
        } finally {
          client.release();
        }
      }
    } finally {
      await legacy.end();
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("renames the shared login to the migrator, which keeps the tables; the old login no longer opens anything", async () => {
    expect(await tableOwners(server)).toEqual(["olympus"]);
    const layout = await applyPostgresLayout(server.url(), PASSWORDS);
    expect(layout.legacyRole).toBe("renamed");
    expect(layout.createdRoles).toEqual(DATABASE_ROLES.filter((r) => r !== "olympus_migrator"));
    expect(layout.createdDatabases).toEqual(["ciam_kratos", "ciam_hydra", "iam_kratos", "iam_hydra"]);
    expect(await tableOwners(server)).toEqual(["olympus_migrator"]);
    expect((await server.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'olympus'")).rows[0]?.n).toBe(0);
    // 28P01: no such login any more (Postgres does not say which part was wrong).
    expect(await as(server, "olympus", "legacy-shared-password", async () => "ok")).toBe("28P01");
  });

  it("then migrates to per-domain roles as the migrator, keeping every row with its domain", async () => {
    expect(await migrateAsMigrator(server)).toEqual(MIGRATIONS.filter((m) => m.id > 3).map((m) => m.id));
    expect(await settingsSeenBy(server, "ciam")).toEqual(["ciam:kept"]);
    expect(await settingsSeenBy(server, "iam")).toEqual(["iam:kept"]);
  });

  it("does nothing more when run again", async () => {
    expect(await applyPostgresLayout(server.url(), PASSWORDS)).toEqual({ createdRoles: [], createdDatabases: [] });
    expect(await migrateAsMigrator(server)).toEqual([]);
  });
});

describe("upgrading a server where a migrator already exists beside the shared login", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
    for (const statement of LEGACY_LAYOUT) await server.query(statement);
    await server.query("CREATE ROLE olympus_migrator LOGIN PASSWORD 'x'");
    const legacy = new pg.Pool({ connectionString: url(server, "olympus", "legacy-shared-password"), max: 1 });
    legacy.on("error", () => {});
    try {
      await migrateOlympusDatabase(
        legacy,
        MIGRATIONS.filter((m) => m.id <= 3),
      );
    } finally {
      await legacy.end();
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("moves the shared login's objects to the migrator and leaves it without LOGIN, once", async () => {
    const layout = await applyPostgresLayout(server.url(), PASSWORDS);
    expect(layout.legacyRole).toBe("disabled");
    expect(await tableOwners(server)).toEqual(["olympus_migrator"]);
    const owner = await server.query("SELECT r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = 'olympus'");
    expect(owner.rows).toEqual([{ rolname: "olympus_migrator" }]);
    expect((await server.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'olympus'")).rows).toEqual([{ rolcanlogin: false }]);
    // No password and no LOGIN: its old credential is refused (28P01, as for any failed login).
    expect(await as(server, "olympus", "legacy-shared-password", async () => "ok")).toBe("28P01");
    expect(await migrateAsMigrator(server)).toEqual(MIGRATIONS.filter((m) => m.id > 3).map((m) => m.id));
    expect((await applyPostgresLayout(server.url(), PASSWORDS)).legacyRole).toBeUndefined();
  });
});

describe("olympusMigratorUrl", () => {
  it("keeps the server and its TLS options and logs in as the migrator on olympus", () => {
    expect(olympusMigratorUrl("postgres://postgres:su@db:5432/postgres?sslmode=require", "p@ss/word")).toBe(
      "postgres://olympus_migrator:p%40ss%2Fword@db:5432/olympus?sslmode=require",
    );
    expect(onDatabase("postgres://u:p@h:1/a?x=1", "b")).toBe("postgres://u:p@h:1/b?x=1");
  });
});
