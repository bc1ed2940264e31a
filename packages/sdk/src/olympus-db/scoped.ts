import type pg from "pg";
import type { Domain } from "../config/domain";

/**
 * Runs `work` in a transaction whose `olympus.domain` is `domain`, so the
 * row-level security policies admit only that domain's rows. Every store in
 * this package goes through here; the `domain = $1` in each query is the first
 * wall, this is the second.
 */
export async function inDomainTransaction<T>(pool: pg.Pool, domain: Domain, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('olympus.domain', $1, true)", [domain]);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
