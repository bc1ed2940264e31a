import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "../olympus-db/scoped";
import { openSetting, type EncryptionKey } from "./crypto";
import type { ReadSettings } from "./social-sign-in";

export interface SettingsReaderOptions {
  /** The domain's own pool (row-level security admits that domain's rows only), or one per domain. */
  pool: pg.Pool | ((domain: Domain) => pg.Pool);
  /** Opens sealed values. */
  key: EncryptionKey;
  /** Older keys still accepted (during a rotation). */
  previousKeys?: readonly EncryptionKey[];
}

/**
 * Settings whose keys are not known in advance (one group per social
 * provider) are read by prefix, secrets unsealed: for server-side consumers
 * such as the Kratos config overlay, never for a page.
 */
export function settingsReader(options: SettingsReaderOptions): ReadSettings {
  const openKeys = [options.key, ...(options.previousKeys ?? [])];
  return async (domain, prefix) => {
    const pool = typeof options.pool === "function" ? options.pool(domain) : options.pool;
    const rows = await inDomainTransaction(
      pool,
      domain,
      async (client) =>
        // left() rather than LIKE: a prefix's "_" and "%" are plain characters here.
        (
          await client.query<{ key: string; value: string; secret: boolean }>(
            "SELECT key, value, secret FROM olympus_settings WHERE domain = $1 AND left(key, length($2)) = $2 ORDER BY key",
            [domain, prefix],
          )
        ).rows,
    );
    return new Map(rows.map((row) => [row.key, row.secret ? openSetting(row.value, openKeys, domain, row.key) : row.value]));
  };
}
