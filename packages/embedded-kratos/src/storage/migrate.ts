import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./database";

export interface Migration {
  /** Sortable, unique id, e.g. "0001_identities" or "code_0001_login_codes". */
  id: string;
  sql: string;
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** The core migrations shipped as .sql files in ./migrations, in file-name order. */
export function coreMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ""), sql: readFileSync(path.join(MIGRATIONS_DIR, f), "utf8") }));
}

/**
 * Applies pending migrations in order, each in its own transaction, under an
 * advisory lock so two processes starting on one database do not race.
 */
export async function migrate(db: Database, migrations: Migration[]): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(4433004434)");
    await tx.query(
      "CREATE TABLE IF NOT EXISTS embedded_kratos_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await tx.query<{ id: string }>("SELECT id FROM embedded_kratos_migrations");
    const done = new Set(rows.map((r) => r.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await tx.query(migration.sql);
      await tx.query("INSERT INTO embedded_kratos_migrations (id) VALUES ($1)", [migration.id]);
      applied.push(migration.id);
    }
  });
  return applied;
}
