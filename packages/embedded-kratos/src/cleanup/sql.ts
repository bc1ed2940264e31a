import type { Queryable } from "../storage/database";

/**
 * `kratos cleanup sql` (cmd/cleanup/sql.go, persistence/sql/persister.go
 * CleanupDatabase): one batch per table, oldest first, with a pause after
 * each table. Everything that expired at or before `now - keepLast` goes —
 * sessions, continuity containers, then the login, recovery, registration,
 * settings and verification flows (one table here, one batch per kind, as
 * Kratos' one table per kind) — and session token exchangers created at or
 * before `now - keepLast + 1h` (DeleteExpiredExchangers' own margin).
 * Rows that hang off these (devices, codes, tokens) go with them through
 * their foreign keys, as in Kratos' schema.
 */

export interface CleanupOptions {
  /** database.cleanup.sleep.tables: the pause after each table. */
  sleepMs: number;
  /** --keep-last: records younger than this stay. */
  keepLastMs: number;
  /** database.cleanup.batch_size: rows per table and run. */
  batchSize: number;
  log: (line: string) => void;
  now?: Date;
  sleep?: (ms: number) => Promise<void>;
}

interface CleanupStep {
  label: string;
  table: string;
  /** The column a row's age is read from. */
  column: "expires_at" | "created_at";
  /** Kratos' selfservice flows live in one table here; `kind` picks Kratos' table. */
  kind?: string;
  /** DeleteExpiredExchangers compares with the cut-off plus this. */
  marginMs?: number;
}

const HOUR_MS = 3_600_000;

const STEPS: readonly CleanupStep[] = [
  { label: "expired sessions", table: "sessions", column: "expires_at" },
  { label: "expired continuity containers", table: "continuity_containers", column: "expires_at" },
  { label: "expired login flows", table: "selfservice_flows", column: "expires_at", kind: "login" },
  { label: "expired recovery flows", table: "selfservice_flows", column: "expires_at", kind: "recovery" },
  { label: "expired registration flows", table: "selfservice_flows", column: "expires_at", kind: "registration" },
  { label: "expired settings flows", table: "selfservice_flows", column: "expires_at", kind: "settings" },
  { label: "expired verification flows", table: "selfservice_flows", column: "expires_at", kind: "verification" },
  { label: "expired session token exchangers", table: "session_token_exchanges", column: "created_at", marginMs: HOUR_MS },
];

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One batch of one step: the oldest `batchSize` rows at or before the cut-off. */
async function deleteBatch(db: Queryable, step: CleanupStep, cutoff: Date, batchSize: number): Promise<number> {
  // A strategy's table exists only once that strategy has been enabled; nothing of it can have expired before.
  const { rows } = await db.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [step.table]);
  if (!rows[0]?.exists) return 0;
  const params: unknown[] = [new Date(cutoff.getTime() + (step.marginMs ?? 0)), batchSize];
  const kind = step.kind === undefined ? "" : (params.push(step.kind), ` AND kind = $${params.length}`);
  // Table and column names come from STEPS, never from input.
  const result = await db.query(
    `DELETE FROM ${step.table} WHERE id IN (
       SELECT id FROM ${step.table} WHERE ${step.column} <= $1${kind} ORDER BY ${step.column} ASC LIMIT $2)`,
    params,
  );
  return result.rowCount ?? 0;
}

/** CleanupDatabase: the steps in Kratos' order; returns how many rows each removed. */
export async function cleanupDatabase(db: Queryable, options: CleanupOptions): Promise<Record<string, number>> {
  const sleep = options.sleep ?? defaultSleep;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.keepLastMs);
  options.log(`Cleaning up records older than ${cutoff.toISOString()}`);
  const removed: Record<string, number> = {};
  for (const step of STEPS) {
    options.log(`Cleaning up ${step.label}`);
    removed[step.label] = await deleteBatch(db, step, cutoff, options.batchSize);
    await sleep(options.sleepMs);
  }
  options.log(
    "Successfully cleaned up the latest batch of the SQL database! This should be re-run periodically, to be sure that all expired data is purged.",
  );
  return removed;
}
