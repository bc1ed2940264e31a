import { randomBytes } from "node:crypto";
import type { Domain } from "@olympus/runtime-config/config";
import { createOlympusPool, OLYMPUS_MIGRATOR_ROLE, olympusDomainRole } from "@olympus/athena-store/olympus-db";
import { InvalidSettingError, MASKED_VALUE, SETTING_KEY_PATTERN, type SettingsStore } from "@olympus/athena-store/settings";

/** The part of a checked-out pg connection the careless store uses. */
export interface Connection {
  query<Row extends object>(sql: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/** Keys an attacker who controls the key string might try in order to reach the other domain's row. */
export function craftedKeys(key: string, domain: Domain): string[] {
  return [`${domain}/${key}`, `${domain}:${key}`, `${key}' OR domain='${domain}' --`, `${key}%`, `%`, key.toUpperCase(), ` ${key}`];
}

/**
 * Writes a probe setting through `owner` and tries to read, list, overwrite
 * and delete it through `other`, by its own key and by crafted ones. Returns
 * every way the probe crossed the boundary (empty when the stores hold).
 */
export async function crossDomainLeaks(owner: SettingsStore, other: SettingsStore): Promise<string[]> {
  const key = `isolation.probe-${randomBytes(4).toString("hex")}`;
  const value = `owned-by-${owner.domain}-${randomBytes(8).toString("hex")}`;
  const leaks: string[] = [];
  await owner.set([{ key, value, secret: false }], "isolation-suite");
  const stillIntact = async (after: string) => {
    if ((await owner.get(key)) !== value) leaks.push(`${other.domain} ${after} changed ${owner.domain}'s row`);
  };
  try {
    if ((await other.get(key)) !== undefined) leaks.push(`${other.domain} read ${owner.domain}'s row by its key`);
    if ((await other.list()).some((setting) => setting.value === value || setting.key === key))
      leaks.push(`${other.domain} listed ${owner.domain}'s row`);
    for (const crafted of craftedKeys(key, owner.domain)) {
      const read = await other.get(crafted).catch(refusedOnly);
      if (read === value) leaks.push(`${other.domain} read ${owner.domain}'s row with the key ${JSON.stringify(crafted)}`);
      await other.set([{ key: crafted, value: "crafted", secret: false }], "isolation-suite").catch(refusedOnly);
      await other.delete(crafted).catch(refusedOnly);
      await stillIntact(`writing ${JSON.stringify(crafted)}`);
    }
    await other.set([{ key, value: "overwritten", secret: false }], "isolation-suite");
    await stillIntact("writing the same key");
    await other.delete(key);
    await stillIntact("deleting the same key");
  } finally {
    await owner.delete(key);
    await other.delete(key);
  }
  return leaks;
}

/** A crafted key refused before SQL is the store doing its job; any other error is a failure. */
function refusedOnly(error: unknown): undefined {
  if (error instanceof InvalidSettingError) return undefined;
  throw error;
}

/**
 * Ways a connection of one Athena's role might try to pass for the other
 * domain within its own session: name it in the setting the policies once
 * trusted, take on the other role (or the owner's, or the superuser's), undo
 * its own, or switch row-level security off. Each is a list of statements run
 * in order on a fresh connection; a refused statement is the wall holding.
 */
export function sessionTricks(other: Domain): string[][] {
  const otherRole = olympusDomainRole(other);
  return [
    [],
    [`SELECT set_config('olympus.domain', '${other}', false)`],
    [`SET olympus.domain = '${other}'`],
    ["BEGIN", `SELECT set_config('olympus.domain', '${other}', true)`],
    [`SET ROLE ${otherRole}`],
    [`SELECT set_config('role', '${otherRole}', false)`],
    [`SET ROLE ${OLYMPUS_MIGRATOR_ROLE}`],
    ["SET ROLE postgres"],
    [`SET SESSION AUTHORIZATION ${otherRole}`],
    [`SET ROLE ${otherRole}`, "RESET ROLE"],
    ["RESET ROLE", "RESET SESSION AUTHORIZATION"],
    ["SET row_security = off"],
  ];
}

/** The tables of the olympus database whose rows belong to one domain. */
const DOMAIN_TABLES = ["olympus_settings", "olympus_audit_log", "olympus_athena_sessions"] as const;

/**
 * Writes a probe setting through `owner` (the other domain's real store),
 * then, for every session trick, opens a fresh connection with `url` (this
 * domain's own role, as its Athena logs in), plays the trick and reads: the
 * probe by its key, and every row of the owner's domain in each domain
 * table. Returns each way a row crossed (empty when the walls hold).
 */
export async function sessionTrickLeaks(owner: SettingsStore, url: string): Promise<string[]> {
  const key = `isolation.session-probe-${randomBytes(4).toString("hex")}`;
  const leaks: string[] = [];
  await owner.set([{ key, value: `owned-by-${owner.domain}`, secret: false }], "isolation-suite");
  try {
    for (const trick of sessionTricks(owner.domain)) {
      const label = trick.join("; ") || "(nothing set)";
      // A pool of one per trick: nothing a trick leaves on its session reaches the next check.
      const pool = createOlympusPool(url, 1);
      const client = await pool.connect();
      try {
        for (const statement of trick) await client.query(statement).catch(() => undefined);
        const read = await client
          .query<{ value: string }>("SELECT value FROM olympus_settings WHERE key = $1", [key])
          .catch(() => ({ rows: [] }));
        if (read.rows.length > 0) leaks.push(`${label}: read ${owner.domain}'s probe setting`);
        for (const table of DOMAIN_TABLES) {
          const rows = await client
            .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE domain = $1`, [owner.domain])
            .catch(() => ({ rows: [] }));
          if ((rows.rows[0]?.n ?? 0) > 0) leaks.push(`${label}: saw ${rows.rows[0]?.n} ${owner.domain} rows of ${table}`);
        }
      } finally {
        client.release();
        await pool.end();
      }
    }
  } finally {
    await owner.delete(key);
  }
  return leaks;
}

/**
 * A settings store written the careless way, for the companion: its queries
 * forget the domain filter, and it works on one superuser connection whose
 * transaction the caller controls, acting as `domain`'s Athena role
 * (SET LOCAL ROLE) and naming `claims` as its domain in the session, as the
 * policies once trusted. Only row-level security stands between the domains;
 * a write it refuses counts as refused (the transaction carries on).
 */
export function carelessSettingsStore(client: Connection, domain: Domain, claims: Domain = domain): SettingsStore {
  const scoped = async <T>(work: () => Promise<T>, refused: T, ...keys: string[]): Promise<T> => {
    // Keys are still checked like the real store's: only the domain filter is missing.
    const bad = keys.find((key) => !SETTING_KEY_PATTERN.test(key));
    if (bad !== undefined) throw new InvalidSettingError(`invalid setting key "${bad}"`);
    await client.query("SAVEPOINT careless");
    try {
      await client.query(`SET LOCAL ROLE ${olympusDomainRole(domain)}`);
      await client.query("SELECT set_config('olympus.domain', $1, true)", [claims]);
      const result = await work();
      await client.query("RELEASE SAVEPOINT careless");
      return result;
    } catch (error) {
      if ((error as { code?: string }).code !== "42501") throw error;
      await client.query("ROLLBACK TO SAVEPOINT careless");
      return refused;
    } finally {
      await client.query("RESET ROLE");
    }
  };
  return {
    domain,
    get: (key) =>
      scoped(
        async () => (await client.query<{ value: string }>("SELECT value FROM olympus_settings WHERE key = $1", [key])).rows[0]?.value,
        undefined,
        key,
      ),
    list: () =>
      scoped(
        async () =>
          (
            await client.query<{ key: string; value: string; secret: boolean; updated_at: Date; updated_by: string | null }>(
              "SELECT * FROM olympus_settings",
            )
          ).rows.map((row) => ({
            key: row.key,
            value: row.secret ? MASKED_VALUE : row.value,
            secret: row.secret,
            updatedAt: row.updated_at,
            updatedBy: row.updated_by,
          })),
        [],
      ),
    // As the real store: a write is a change that removes nothing.
    async set(entries, actor) {
      await this.change({ set: entries, remove: [] }, actor);
    },
    change: (changes, actor) =>
      scoped(
        async () => {
          for (const entry of changes.set) {
            await client.query("DELETE FROM olympus_settings WHERE key = $1", [entry.key]);
            await client.query("INSERT INTO olympus_settings (domain, key, value, secret, updated_by) VALUES ($1, $2, $3, false, $4)", [
              claims,
              entry.key,
              entry.value,
              actor,
            ]);
          }
          const removed = await client.query<{ key: string }>("DELETE FROM olympus_settings WHERE key = ANY($1::text[]) RETURNING key", [
            [...changes.remove],
          ]);
          return { removed: removed.rows.map((row) => row.key) };
        },
        { removed: [] },
        ...changes.set.map((entry) => entry.key),
        ...changes.remove,
      ),
    delete: (key) =>
      scoped(async () => ((await client.query("DELETE FROM olympus_settings WHERE key = $1", [key])).rowCount ?? 0) > 0, false, key),
  };
}

/** The same server as `url`, another database (the superuser's URL points at `postgres`). */
export function onOlympusDatabase(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/olympus";
  return parsed.toString();
}
