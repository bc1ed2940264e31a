import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "../olympus-db/scoped";
import { openSetting, sealSetting, sealedKeyId, type EncryptionKey } from "./crypto";

export interface RotationReport {
  domain: Domain;
  /** Secret rows re-sealed under the new key by this run. */
  rotated: number;
  /** Secret rows already under the new key (an earlier, interrupted run). */
  alreadyCurrent: number;
}

/**
 * Re-encrypts every secret setting of `domain` from `from` to `to`, in one
 * transaction with the rows locked: either every value is re-sealed (and
 * verified to open under the new key) or nothing changes. A row that opens
 * under neither key aborts the rotation — no value is ever dropped.
 * Re-running after success is a no-op.
 */
export async function rotateSettingsKey(options: {
  pool: pg.Pool;
  domain: Domain;
  from: EncryptionKey;
  to: EncryptionKey;
}): Promise<RotationReport> {
  const { pool, domain, from, to } = options;
  return inDomainTransaction(pool, domain, async (client) => {
    const rows = (
      await client.query<{ key: string; value: string }>(
        "SELECT key, value FROM olympus_settings WHERE domain = $1 AND secret ORDER BY key FOR UPDATE",
        [domain],
      )
    ).rows;
    let rotated = 0;
    let alreadyCurrent = 0;
    for (const row of rows) {
      if (sealedKeyId(row.value) === to.id) {
        openSetting(row.value, [to], domain, row.key); // proves it is intact
        alreadyCurrent++;
        continue;
      }
      const plaintext = openSetting(row.value, [from], domain, row.key);
      const resealed = sealSetting(plaintext, to, domain, row.key);
      if (openSetting(resealed, [to], domain, row.key) !== plaintext) throw new Error(`re-encryption of "${row.key}" did not round-trip`);
      await client.query("UPDATE olympus_settings SET value = $3 WHERE domain = $1 AND key = $2", [domain, row.key, resealed]);
      rotated++;
    }
    return { domain, rotated, alreadyCurrent };
  });
}
