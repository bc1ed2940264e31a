import type pg from "pg";

/** One schema change; `id` is what the ledger records once it is applied. */
export interface Migration<Id extends string | number = string | number> {
  id: Id;
  /** Recorded beside the id when the ledger keeps names. */
  name?: string;
  sql: string;
}

/**
 * The table that records applied migrations. Each server keeps the shape it
 * has always had, so databases created before the kit keep their history.
 */
export interface MigrationLedger {
  table: string;
  /** The id column: `id text` (Kratos) or `version integer` (Hydra). */
  idColumn: { name: string; type: "text" | "integer" };
  /** Whether the table has a `name text NOT NULL` column. */
  recordsNames: boolean;
  /** A fixed key for pg_advisory_lock, distinct per server. */
  lockKey: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Applies pending migrations in `migrations`' order, each in its own
 * transaction (as Ory's popx runs them), and records each in the ledger.
 * The run holds a session-level advisory lock, so two processes starting
 * against one database apply every migration exactly once. Returns the ids
 * it applied. A failing migration is rolled back and stops the run; those
 * before it stay applied.
 */
export async function runMigrations<Id extends string | number>(
  pool: pg.Pool,
  ledger: MigrationLedger,
  migrations: readonly Migration<Id>[],
): Promise<Id[]> {
  for (const name of [ledger.table, ledger.idColumn.name])
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  const { table, idColumn } = ledger;
  const client = await pool.connect();
  // A connection cut while checked out must fail the start-up, not be an unhandled 'error' event.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  const applied: Id[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ledger.lockKey]);
    const nameColumn = ledger.recordsNames ? ", name text NOT NULL" : "";
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (${idColumn.name} ${idColumn.type} PRIMARY KEY${nameColumn}, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ id: Id }>(`SELECT ${idColumn.name} AS id FROM ${table}`);
    const done = new Set(rows.map((row) => row.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        if (ledger.recordsNames)
          await client.query(`INSERT INTO ${table} (${idColumn.name}, name) VALUES ($1, $2)`, [
            migration.id,
            migration.name ?? String(migration.id),
          ]);
        else await client.query(`INSERT INTO ${table} (${idColumn.name}) VALUES ($1)`, [migration.id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
      applied.push(migration.id);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ledger.lockKey]).catch(() => undefined);
    client.removeListener("error", onError);
    client.release(broken);
  }
  return applied;
}
