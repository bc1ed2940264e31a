import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "../olympus-db/scoped";
import { sealSetting, type EncryptionKey } from "./crypto";
import { InvalidSettingError, MAX_SETTING_VALUE_LENGTH, SETTING_KEY_PATTERN, SETTINGS_CHANGED_CHANNEL, type SettingInput } from "./store";

export interface SettingChanges {
  set: readonly SettingInput[];
  /** Keys removed in the same transaction (absent ones are ignored). */
  remove: readonly string[];
}

/**
 * Writes and removals of one domain's settings in one transaction: a group
 * whose keys come and go together (a social sign-in provider, whose optional
 * mapper may be cleared while its other fields change) is never left half
 * saved. Same rules as the store's `set`: keys checked, secrets sealed, one
 * change notification on commit.
 */
export async function changeSettings(
  options: { pool: pg.Pool; domain: Domain; key: EncryptionKey },
  changes: SettingChanges,
  actor: string,
): Promise<{ removed: string[] }> {
  const { pool, domain, key } = options;
  const all = [...changes.set.map((entry) => entry.key), ...changes.remove];
  for (const name of all) {
    if (!SETTING_KEY_PATTERN.test(name)) throw new InvalidSettingError(`invalid setting key "${name.slice(0, 40)}"`);
  }
  if (new Set(all).size !== all.length) throw new InvalidSettingError("a setting is given twice");
  for (const entry of changes.set) {
    if (entry.value.length > MAX_SETTING_VALUE_LENGTH) {
      throw new InvalidSettingError(`setting "${entry.key}" is longer than ${MAX_SETTING_VALUE_LENGTH} characters`);
    }
  }
  return inDomainTransaction(pool, domain, async (client) => {
    for (const entry of changes.set) {
      const stored = entry.secret ? sealSetting(entry.value, key, domain, entry.key) : entry.value;
      await client.query(
        `INSERT INTO olympus_settings (domain, key, value, secret, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, now(), $5)
         ON CONFLICT (domain, key) DO UPDATE
           SET value = EXCLUDED.value, secret = EXCLUDED.secret, updated_at = now(), updated_by = EXCLUDED.updated_by
         WHERE olympus_settings.domain = $1`,
        [domain, entry.key, stored, entry.secret, actor],
      );
    }
    const removed =
      changes.remove.length === 0
        ? []
        : (
            await client.query<{ key: string }>("DELETE FROM olympus_settings WHERE domain = $1 AND key = ANY($2::text[]) RETURNING key", [
              domain,
              [...changes.remove],
            ])
          ).rows.map((row) => row.key);
    if (changes.set.length > 0 || removed.length > 0) await client.query("SELECT pg_notify($1, $2)", [SETTINGS_CHANGED_CHANNEL, domain]);
    return { removed };
  });
}
