import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runMigrations, type Migration as KitMigration, type MigrationLedger } from "@olympus/server-kit/migrations";
import type { Database } from "./database";

/** A Kratos migration: `id` is sortable and unique, e.g. "0001_identities" or "code_0001_login_codes". */
export type Migration = KitMigration<string>;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** The table embedded Kratos has always recorded its migrations in. */
const KRATOS_LEDGER: MigrationLedger = {
  table: "embedded_kratos_migrations",
  idColumn: { name: "id", type: "text" },
  recordsNames: false,
  lockKey: 4_433_004_434,
};

/** The core migrations shipped as .sql files in ./migrations, in file-name order. */
export function coreMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ""), sql: readFileSync(path.join(MIGRATIONS_DIR, f), "utf8") }));
}

/** Applies pending migrations in order (core first, then the enabled strategies'); returns the ids it applied. */
export function migrate(db: Database, migrations: Migration[]): Promise<string[]> {
  return runMigrations(db.pool, KRATOS_LEDGER, migrations);
}
