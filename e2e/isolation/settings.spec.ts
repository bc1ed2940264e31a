import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/athena-store/settings";
import { expect, test } from "./support/fixtures";
import { carelessSettingsStore, crossDomainLeaks, onOlympusDatabase, sessionTrickLeaks } from "./support/settings";

// The keys each running Athena was started with; the database URLs (each its own role) are the stack's.
const KEYS = {
  ciam: deriveEncryptionKey(embeddedAppEnv("ciam", "athena").CIAM_ENCRYPTION_KEY ?? "", "development"),
  iam: deriveEncryptionKey(embeddedAppEnv("iam", "athena").IAM_ENCRYPTION_KEY ?? "", "development"),
};

test.describe("the olympus settings store of one domain cannot reach the other's rows", () => {
  test("neither store reads, lists, overwrites or deletes the other's setting, by its key or a crafted one", async ({ stack }) => {
    // Each store on its own Athena's login (olympus_ciam, olympus_iam), as the running Athenas use them.
    // The devstack has migrated the database already: these roles could not.
    const pools = { ciam: createOlympusPool(stack.olympusDatabaseUrls.ciam, 2), iam: createOlympusPool(stack.olympusDatabaseUrls.iam, 2) };
    try {
      const ciam = createSettingsStore({ pool: pools.ciam, domain: "ciam", key: KEYS.ciam });
      const iam = createSettingsStore({ pool: pools.iam, domain: "iam", key: KEYS.iam });
      expect(await crossDomainLeaks(ciam, iam)).toEqual([]);
      expect(await crossDomainLeaks(iam, ciam)).toEqual([]);
    } finally {
      await Promise.all([pools.ciam.end(), pools.iam.end()]);
    }
  });

  test("CIAM's role cannot read one IAM row however it sets its session, nor IAM's a CIAM row", async ({ stack }) => {
    const pools = { ciam: createOlympusPool(stack.olympusDatabaseUrls.ciam, 1), iam: createOlympusPool(stack.olympusDatabaseUrls.iam, 1) };
    try {
      const iamStore = createSettingsStore({ pool: pools.iam, domain: "iam", key: KEYS.iam });
      const ciamStore = createSettingsStore({ pool: pools.ciam, domain: "ciam", key: KEYS.ciam });
      // set_config('olympus.domain'), SET ROLE, RESET ROLE, SET SESSION AUTHORIZATION, row_security = off, …
      expect(await sessionTrickLeaks(iamStore, stack.olympusDatabaseUrls.ciam)).toEqual([]);
      expect(await sessionTrickLeaks(ciamStore, stack.olympusDatabaseUrls.iam)).toEqual([]);
    } finally {
      await Promise.all([pools.ciam.end(), pools.iam.end()]);
    }
  });
});

test.describe("companion: the probe reports leaks once the walls are taken down on purpose", () => {
  test("a careless store that names the other domain in its session is held by its login role, and leaks once RLS trusts the session again", async ({
    stack,
  }) => {
    // The superuser acts as each Athena's role in turn (SET LOCAL ROLE) inside one transaction that is
    // rolled back: the running stack never sees the weakened policy.
    const pool = createOlympusPool(onOlympusDatabase(stack.superuserUrl), 1);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // IAM's careless store claims to be CIAM in its session, the trick the old policies fell for.
      const careless = { ciam: carelessSettingsStore(client, "ciam"), iamAsCiam: carelessSettingsStore(client, "iam", "ciam") };
      expect(await crossDomainLeaks(careless.ciam, careless.iamAsCiam)).toEqual([]);

      // The wall as it was before per-domain roles: the domain a session names itself.
      await client.query(
        "ALTER POLICY olympus_settings_domain ON olympus_settings USING (domain = current_setting('olympus.domain', true)) WITH CHECK (domain = current_setting('olympus.domain', true))",
      );
      const leaks = await crossDomainLeaks(careless.ciam, careless.iamAsCiam);
      expect(leaks).toContainEqual(expect.stringMatching(/^iam read ciam's row by its key$/));
      expect(leaks).toContainEqual(expect.stringMatching(/^iam listed ciam's row$/));
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
      await pool.end();
    }
  });
});
