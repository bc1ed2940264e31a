import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "../olympus-db/scoped";

/**
 * Reads the named non-secret settings of one domain, without an encryption
 * key: policies Hera applies at run time (MFA, CAPTCHA) are never secret, so
 * Hera reads them with the same domain role as its edge counters (migration 4
 * grants it SELECT; row-level security gives it this domain's rows only). A
 * row stored sealed is ignored rather than opened.
 */
export async function readPlainSettings(pool: pg.Pool, domain: Domain, keys: readonly string[]): Promise<Map<string, string>> {
  const rows = await inDomainTransaction(
    pool,
    domain,
    async (client) =>
      (
        await client.query<{ key: string; value: string }>(
          "SELECT key, value FROM olympus_settings WHERE domain = $1 AND key = ANY($2::text[]) AND NOT secret",
          [domain, keys],
        )
      ).rows,
  );
  return new Map(rows.map((row) => [row.key, row.value]));
}
