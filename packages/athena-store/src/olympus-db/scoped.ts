import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { olympusDomainRole } from "./roles";

/** A pool that logs in as another role than the domain's own: a configuration mistake, reported as such. */
export class OlympusRoleError extends Error {
  constructor(
    readonly domain: Domain,
    readonly role: string,
  ) {
    super(
      `olympus database: the ${domain} store is connected as "${role}", not as "${olympusDomainRole(domain)}"; give this Athena its own domain's OLYMPUS_DATABASE_URL`,
    );
    this.name = "OlympusRoleError";
  }
}

/** The role each connection logged in as, asked once (pg's pool hands out the same client objects again). */
const loggedInAs = new WeakMap<pg.PoolClient, string>();

/**
 * Runs `work` in one transaction of `domain`'s store. Which rows row-level
 * security admits is decided by the role the pool logged in as
 * (`olympus_<domain>`), so a pool of the wrong role would only ever see
 * nothing; it is refused here instead, once per connection. The
 * `domain = $1` in each query remains the first wall.
 */
export async function inDomainTransaction<T>(pool: pg.Pool, domain: Domain, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    let role = loggedInAs.get(client);
    if (role === undefined) {
      role = (await client.query<{ role: string }>("SELECT current_user AS role")).rows[0]?.role ?? "";
      loggedInAs.set(client, role);
    }
    if (role !== olympusDomainRole(domain)) throw new OlympusRoleError(domain, role);
    await client.query("BEGIN");
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
