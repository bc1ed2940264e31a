import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "./test-database";
import { migrateOlympusDatabase, MIGRATIONS } from "./migrations";

let db: TestOlympusDatabase;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

describe("migrateOlympusDatabase", () => {
  it("has applied every migration once, in order, and is idempotent", async () => {
    const applied = (await db.superuser("SELECT id FROM olympus_migrations ORDER BY id")).rows.map((r: { id: number }) => r.id);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrateOlympusDatabase(db.pool)).toEqual([]);
  });

  it("applies concurrently started migrations exactly once", async () => {
    const extra = [...MIGRATIONS, { id: 999, name: "probe", sql: "CREATE TABLE olympus_probe (x int)" }];
    const results = await Promise.all([migrateOlympusDatabase(db.pool, extra), migrateOlympusDatabase(db.pool, extra)]);
    expect(results.flat()).toEqual([999]);
  });

  it("keeps every table behind row-level security forced on its owner", async () => {
    const rows = (
      await db.superuser(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname IN ('olympus_settings', 'olympus_audit_log', 'olympus_athena_sessions') ORDER BY relname",
      )
    ).rows;
    expect(rows).toEqual([
      { relname: "olympus_athena_sessions", relrowsecurity: true, relforcerowsecurity: true },
      { relname: "olympus_audit_log", relrowsecurity: true, relforcerowsecurity: true },
      { relname: "olympus_settings", relrowsecurity: true, relforcerowsecurity: true },
    ]);
  });
});
