import type pg from "pg";
import type { ReadinessProbe } from "./readiness";

/**
 * The olympus database as a readiness dependency: `SELECT 1` on the pool
 * `open` hands out. `open` is where an app waits for what it needs first
 * (Athena's olympusPool() and Hera's edge pool check the schema and the
 * domain's role), so a database that answers but is not migrated yet
 * counts as unavailable too.
 */
export function databaseProbe(open: () => Promise<pg.Pool>): ReadinessProbe {
  return async () => {
    const pool = await open();
    await pool.query("SELECT 1");
  };
}
