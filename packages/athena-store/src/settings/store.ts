import type pg from "pg";
import { isDomain, type Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "../olympus-db/scoped";
import { openSetting, sealSetting, type EncryptionKey } from "./crypto";

/** Setting keys: lower-case dotted names such as `smtp.password`; nothing else reaches SQL. */
export const SETTING_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,127}$/;
export const MAX_SETTING_VALUE_LENGTH = 16_384;
export const MASKED_VALUE = "••••••••";
/**
 * Every committed write of settings NOTIFYs this channel with the domain as
 * payload, so processes that mirror settings elsewhere (the Kratos config
 * overlay) re-read at once instead of polling. Postgres delivers it on commit
 * only, so a rolled-back write announces nothing.
 */
export const SETTINGS_CHANGED_CHANNEL = "olympus_settings_changed";

export class InvalidSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSettingError";
  }
}

export interface SettingInput {
  key: string;
  value: string;
  /** Secret values are encrypted at rest and masked when listed. */
  secret: boolean;
}

/** A setting as listed: secret values are masked, never decrypted for a list. */
export interface SettingListing {
  key: string;
  value: string;
  secret: boolean;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface SettingsStore {
  readonly domain: Domain;
  /** The plain value (decrypted if secret), or undefined when unset. */
  get(key: string): Promise<string | undefined>;
  /** Every setting of this domain, secrets masked. */
  list(): Promise<SettingListing[]>;
  /** Writes all entries in one transaction: all saved or none. */
  set(entries: readonly SettingInput[], actor: string): Promise<void>;
  /**
   * Writes and removals in one transaction: a group whose keys come and go
   * together (a social sign-in provider, whose optional mapper may be cleared
   * while its other fields change) is never left half saved. Returns the
   * keys that were removed (absent ones are ignored).
   */
  change(changes: SettingChanges, actor: string): Promise<{ removed: string[] }>;
  /** Removes a setting; returns whether it existed. */
  delete(key: string): Promise<boolean>;
}

export interface SettingChanges {
  set: readonly SettingInput[];
  /** Keys removed in the same transaction. */
  remove: readonly string[];
}

export interface SettingsStoreOptions {
  pool: pg.Pool;
  domain: Domain;
  /** Seals new values and opens existing ones. */
  key: EncryptionKey;
  /** Older keys still accepted for reading (e.g. during a rotation); never used to seal. */
  previousKeys?: readonly EncryptionKey[];
}

interface SettingRow {
  key: string;
  value: string;
  secret: boolean;
  updated_at: Date;
  updated_by: string | null;
}

function checkKey(key: string): string {
  if (!SETTING_KEY_PATTERN.test(key)) {
    throw new InvalidSettingError(`invalid setting key "${key.slice(0, 40)}": use lower-case letters, digits and . _ - (max 128)`);
  }
  return key;
}

/**
 * The settings of exactly one domain. The domain is fixed at construction and
 * is part of every query, must match the role `pool` logs in as (which
 * row-level security gives that domain's rows only), and is in each secret's
 * authenticated data: no key, however crafted, reaches another domain's rows.
 */
export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const { pool, domain, key } = options;
  if (!isDomain(domain)) throw new InvalidSettingError(`unknown domain "${String(domain)}"`);
  const openKeys = [key, ...(options.previousKeys ?? [])];
  const tx = <T>(work: (client: pg.PoolClient) => Promise<T>) => inDomainTransaction(pool, domain, work);

  return {
    domain,

    async get(name) {
      checkKey(name);
      const row = await tx(
        async (c) =>
          (await c.query<SettingRow>("SELECT key, value, secret FROM olympus_settings WHERE domain = $1 AND key = $2", [domain, name]))
            .rows[0],
      );
      if (!row) return undefined;
      return row.secret ? openSetting(row.value, openKeys, domain, row.key) : row.value;
    },

    async list() {
      const rows = await tx(
        async (c) =>
          (
            await c.query<SettingRow>(
              "SELECT key, value, secret, updated_at, updated_by FROM olympus_settings WHERE domain = $1 ORDER BY key",
              [domain],
            )
          ).rows,
      );
      return rows.map((r) => ({
        key: r.key,
        value: r.secret ? MASKED_VALUE : r.value,
        secret: r.secret,
        updatedAt: r.updated_at,
        updatedBy: r.updated_by,
      }));
    },

    async set(entries, actor) {
      await this.change({ set: entries, remove: [] }, actor);
    },

    async change(changes, actor) {
      const all = [...changes.set.map((entry) => entry.key), ...changes.remove];
      const seen = new Set<string>();
      for (const name of all) {
        checkKey(name);
        if (seen.has(name)) throw new InvalidSettingError(`setting "${name}" given twice`);
        seen.add(name);
      }
      for (const entry of changes.set) {
        if (entry.value.length > MAX_SETTING_VALUE_LENGTH) {
          throw new InvalidSettingError(`setting "${entry.key}" is longer than ${MAX_SETTING_VALUE_LENGTH} characters`);
        }
      }
      return tx(async (c) => {
        for (const entry of changes.set) {
          const stored = entry.secret ? sealSetting(entry.value, key, domain, entry.key) : entry.value;
          await c.query(
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
                await c.query<{ key: string }>("DELETE FROM olympus_settings WHERE domain = $1 AND key = ANY($2::text[]) RETURNING key", [
                  domain,
                  [...changes.remove],
                ])
              ).rows.map((row) => row.key);
        // One notification per committed change (the kratos-settings sync and Hera's caches listen).
        if (changes.set.length > 0 || removed.length > 0) await c.query("SELECT pg_notify($1, $2)", [SETTINGS_CHANGED_CHANNEL, domain]);
        return { removed };
      });
    },

    async delete(name) {
      const { removed } = await this.change({ set: [], remove: [name] }, "");
      return removed.length > 0;
    },
  };
}
