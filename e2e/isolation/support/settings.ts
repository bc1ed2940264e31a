import { randomBytes } from "node:crypto";
import type { Domain } from "@olympus/sdk/config";
import { InvalidSettingError, MASKED_VALUE, SETTING_KEY_PATTERN, type SettingsStore } from "@olympus/sdk/settings";

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
    if ((await other.list()).some((setting) => setting.value === value || setting.key === key)) leaks.push(`${other.domain} listed ${owner.domain}'s row`);
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
 * A settings store written the careless way, for the companion: its queries
 * forget the domain filter and it works on one connection whose transaction
 * the caller controls. Only row-level security stands between the domains.
 */
export function carelessSettingsStore(client: Connection, domain: Domain): SettingsStore {
  const scoped = async <T>(work: () => Promise<T>, ...keys: string[]) => {
    // Keys are still checked like the real store's: only the domain filter is missing.
    const bad = keys.find((key) => !SETTING_KEY_PATTERN.test(key));
    if (bad !== undefined) throw new InvalidSettingError(`invalid setting key "${bad}"`);
    await client.query("SELECT set_config('olympus.domain', $1, true)", [domain]);
    return work();
  };
  return {
    domain,
    get: (key) => scoped(async () => (await client.query<{ value: string }>("SELECT value FROM olympus_settings WHERE key = $1", [key])).rows[0]?.value, key),
    list: () =>
      scoped(async () =>
        (await client.query<{ key: string; value: string; secret: boolean; updated_at: Date; updated_by: string | null }>("SELECT * FROM olympus_settings")).rows.map(
          (row) => ({ key: row.key, value: row.secret ? MASKED_VALUE : row.value, secret: row.secret, updatedAt: row.updated_at, updatedBy: row.updated_by }),
        ),
      ),
    set: (entries, actor) =>
      scoped(async () => {
        for (const entry of entries) {
          await client.query("DELETE FROM olympus_settings WHERE key = $1", [entry.key]);
          await client.query("INSERT INTO olympus_settings (domain, key, value, secret, updated_by) VALUES ($1, $2, $3, false, $4)", [domain, entry.key, entry.value, actor]);
        }
      }, ...entries.map((entry) => entry.key)),
    delete: (key) => scoped(async () => ((await client.query("DELETE FROM olympus_settings WHERE key = $1", [key])).rowCount ?? 0) > 0, key),
  };
}
