import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "./test-database";
import { migrateOlympusDatabase, MIGRATIONS } from "./migrations";
import { checkOlympusSchema } from "./readiness";

let db: TestOlympusDatabase;
let migrator: pg.Pool;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
  migrator = new pg.Pool({ connectionString: db.urls.migrator, max: 2 });
  migrator.on("error", () => {});
}, 120_000);

afterAll(async () => {
  await migrator?.end();
  await db?.stop();
});

describe("migrateOlympusDatabase", () => {
  it("has applied every migration once, in order, and is idempotent", async () => {
    const applied = (await db.superuser("SELECT id FROM olympus_migrations ORDER BY id")).rows.map((r: { id: number }) => r.id);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrateOlympusDatabase(migrator)).toEqual([]);
  });

  it("applies concurrently started migrations exactly once", async () => {
    const extra = [...MIGRATIONS, { id: 999, name: "probe", sql: "CREATE TABLE olympus_probe (x int)" }];
    const results = await Promise.all([migrateOlympusDatabase(migrator, extra), migrateOlympusDatabase(migrator, extra)]);
    expect(results.flat()).toEqual([999]);
  });

  it("keeps every table behind row-level security forced on its owner, the migrator", async () => {
    const rows = (
      await db.superuser(
        `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, r.rolname AS owner FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
         WHERE c.relname IN ('olympus_settings', 'olympus_audit_log', 'olympus_athena_sessions') ORDER BY c.relname`,
      )
    ).rows;
    expect(rows).toEqual(
      ["olympus_athena_sessions", "olympus_audit_log", "olympus_settings"].map((relname) => ({
        relname,
        relrowsecurity: true,
        relforcerowsecurity: true,
        owner: "olympus_migrator",
      })),
    );
  });

  it("refuses to run as an Athena's role", async () => {
    await expect(migrateOlympusDatabase(db.pools.ciam)).rejects.toThrow(
      /run as olympus_migrator, not as an Athena's role \(olympus_ciam\)/,
    );
  });
});

describe("checkOlympusSchema (what Athena checks at start instead of migrating)", () => {
  it("passes for each domain's own role on a migrated database", async () => {
    await expect(checkOlympusSchema(db.pools.ciam, "ciam")).resolves.toBeUndefined();
    await expect(checkOlympusSchema(db.pools.iam, "iam")).resolves.toBeUndefined();
  });

  it("refuses the other domain's role", async () => {
    await expect(checkOlympusSchema(db.pools.iam, "ciam")).rejects.toThrow(/connected as "olympus_iam", not as "olympus_ciam"/);
  });

  it("names the migration step when a migration is missing", async () => {
    await db.superuser("DELETE FROM olympus_migrations WHERE id = 4");
    try {
      await expect(checkOlympusSchema(db.pools.ciam, "ciam")).rejects.toThrow(
        /lacks migration 4 \(per-domain-roles\); run the migration step/,
      );
    } finally {
      await db.superuser("INSERT INTO olympus_migrations (id, name) VALUES (4, 'per-domain-roles')");
    }
  });
});
