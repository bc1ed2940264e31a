import { EMBEDDED_OLYMPUS_DATABASE_URLS } from "@olympus/devstack/defaults";
import { createOlympusPool, inDomainTransaction } from "@olympus/athena-store/olympus-db";

/**
 * Runs `work` in one transaction on CIAM's rows of the dev stack's `olympus`
 * database, as CIAM's Athena role: how journeys set or clear settings
 * directly for the steps that do not go through Athena's forms.
 */
export async function withCiamSettings<T>(work: Parameters<typeof inDomainTransaction<T>>[2]): Promise<T> {
  const pool = createOlympusPool(EMBEDDED_OLYMPUS_DATABASE_URLS.ciam);
  try {
    return await inDomainTransaction(pool, "ciam", work);
  } finally {
    await pool.end();
  }
}

/** Removes CIAM's settings under a prefix (as Athena's Remove would), e.g. `smtp.` — leaving the stack as later journeys expect it. */
export async function clearCiamSettings(prefix: string): Promise<void> {
  await withCiamSettings((client) => client.query("DELETE FROM olympus_settings WHERE domain = 'ciam' AND starts_with(key, $1)", [prefix]));
}
