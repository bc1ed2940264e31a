import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { createPgPool } from "../postgres/database";
import { runMigrations, type MigrationLedger } from "./run-migrations";

const NUMBERED: MigrationLedger = {
  table: "kit_schema_migrations",
  idColumn: { name: "version", type: "integer" },
  recordsNames: true,
  lockKey: 7_000_001,
};
const NAMED: MigrationLedger = {
  table: "kit_named_migrations",
  idColumn: { name: "id", type: "text" },
  recordsNames: false,
  lockKey: 7_000_002,
};

describe("runMigrations", () => {
  let postgres: TestPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    pool = createPgPool(await postgres.createDatabase("kit_migrations"), { max: 4 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await postgres?.stop();
  });

  it("applies each migration once, even when two runs start together", async () => {
    const migrations = [
      { id: 1, name: "one", sql: "CREATE TABLE kit_one (n int)" },
      { id: 2, name: "two", sql: "INSERT INTO kit_one VALUES (1)" },
    ];
    const [a, b] = await Promise.all([runMigrations(pool, NUMBERED, migrations), runMigrations(pool, NUMBERED, migrations)]);
    expect([...a, ...b].sort()).toEqual([1, 2]);
    expect(await runMigrations(pool, NUMBERED, [...migrations, { id: 3, name: "three", sql: "INSERT INTO kit_one VALUES (3)" }])).toEqual([
      3,
    ]);
    expect((await pool.query("SELECT count(*)::int AS n FROM kit_one")).rows[0]).toEqual({ n: 2 });
    expect((await pool.query("SELECT version, name FROM kit_schema_migrations ORDER BY version")).rows).toEqual([
      { version: 1, name: "one" },
      { version: 2, name: "two" },
      { version: 3, name: "three" },
    ]);
  });

  it("rolls back a failing migration alone and stops there", async () => {
    const migrations = [
      { id: "0001_a", sql: "CREATE TABLE kit_a (n int)" },
      { id: "0002_broken", sql: "CREATE TABLE kit_b (n int); SELECT no_such_column FROM kit_a" },
      { id: "0003_c", sql: "CREATE TABLE kit_c (n int)" },
    ];
    await expect(runMigrations(pool, NAMED, migrations)).rejects.toThrow(/no_such_column/);
    const tables = await pool.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'kit\\_%' ORDER BY 1");
    expect(tables.rows.map((r) => r.name)).toEqual(["kit_a", "kit_named_migrations", "kit_one", "kit_schema_migrations"]);
    expect((await pool.query("SELECT id FROM kit_named_migrations")).rows).toEqual([{ id: "0001_a" }]);
    // The lock is free again: a fixed list runs on.
    expect(
      await runMigrations(pool, NAMED, [
        { id: "0001_a", sql: "CREATE TABLE kit_a (n int)" },
        { id: "0002_broken", sql: "CREATE TABLE kit_b (n int)" },
      ]),
    ).toEqual(["0002_broken"]);
  });

  it("refuses a ledger name that is not a plain identifier", async () => {
    await expect(runMigrations(pool, { ...NAMED, table: "x; DROP TABLE kit_one" }, [])).rejects.toThrow(/plain SQL identifier/);
  });
});
