import { createOlympusPool, migrateOlympusDatabase } from "@olympus/sdk/olympus-db";
import { embeddedAppEnv } from "@olympus/sdk/config/embedded-defaults";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/sdk/settings";
import { expect, test } from "./support/fixtures";
import { carelessSettingsStore, crossDomainLeaks } from "./support/settings";

// The keys and database URL each running Athena was started with.
const KEYS = {
  ciam: deriveEncryptionKey(embeddedAppEnv("ciam", "athena").CIAM_ENCRYPTION_KEY ?? "", "development"),
  iam: deriveEncryptionKey(embeddedAppEnv("iam", "athena").IAM_ENCRYPTION_KEY ?? "", "development"),
};

test.describe("the olympus settings store of one domain cannot reach the other's rows", () => {
  test("neither store reads, lists, overwrites or deletes the other's setting, by its key or a crafted one", async ({ stack }) => {
    const pool = createOlympusPool(stack.olympusDatabaseUrl, 2);
    try {
      // What each Athena runs at start-up (idempotent), so this spec does not depend on one having served a page yet.
      await migrateOlympusDatabase(pool);
      const ciam = createSettingsStore({ pool, domain: "ciam", key: KEYS.ciam });
      const iam = createSettingsStore({ pool, domain: "iam", key: KEYS.iam });
      expect(await crossDomainLeaks(ciam, iam)).toEqual([]);
      expect(await crossDomainLeaks(iam, ciam)).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});

test.describe("companion: the probe reports leaks once the walls are taken down on purpose", () => {
  test("a store that forgets the domain filter is held by row-level security, and leaks when RLS is switched off", async ({ stack }) => {
    const pool = createOlympusPool(stack.olympusDatabaseUrl, 1);
    await migrateOlympusDatabase(pool);
    const client = await pool.connect();
    try {
      // Everything below happens in one transaction that is rolled back: the running stack never sees it.
      await client.query("BEGIN");
      const careless = { ciam: carelessSettingsStore(client, "ciam"), iam: carelessSettingsStore(client, "iam") };
      expect(await crossDomainLeaks(careless.ciam, careless.iam)).toEqual([]);

      await client.query("ALTER TABLE olympus_settings NO FORCE ROW LEVEL SECURITY");
      const leaks = await crossDomainLeaks(careless.ciam, careless.iam);
      expect(leaks).toContainEqual(expect.stringMatching(/^iam read ciam's row by its key$/));
      expect(leaks).toContainEqual(expect.stringMatching(/^iam listed ciam's row$/));
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
      await pool.end();
    }
  });
});
