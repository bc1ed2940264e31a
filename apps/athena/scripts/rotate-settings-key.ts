/**
 * Re-encrypts every secret setting of one domain under a new ENCRYPTION_KEY.
 *
 *   DOMAIN=ciam OLYMPUS_DATABASE_URL=postgres://olympus_ciam:…@host:5432/olympus \
 *   ENCRYPTION_KEY_PREVIOUS=<old key> ENCRYPTION_KEY=<new key> \
 *   npm run settings:rotate-key -w @olympus/athena
 *
 * One transaction with the rows locked: every value is re-sealed and checked
 * to open under the new key, or nothing changes (a value that opens under
 * neither key aborts the run). Safe to run again. Roll out: give Athena both
 * keys (ENCRYPTION_KEY new, ENCRYPTION_KEY_PREVIOUS old), run this, then drop
 * ENCRYPTION_KEY_PREVIOUS.
 */
import { isDomain, envPrefix } from "@olympus/runtime-config/config";
import { checkOlympusSchema, createOlympusPool } from "@olympus/athena-store/olympus-db";
import { deriveEncryptionKey, rotateSettingsKey } from "@olympus/athena-store/settings";

function fail(message: string): never {
  console.error(`settings:rotate-key: ${message}`);
  process.exit(1);
}

const domain = process.env.DOMAIN;
if (!isDomain(domain)) fail('DOMAIN must be "ciam" or "iam"');
const read = (name: string) => process.env[`${envPrefix(domain)}${name}`] ?? process.env[name];
const databaseUrl = read("OLYMPUS_DATABASE_URL") ?? fail("OLYMPUS_DATABASE_URL is missing");
const environment = process.env.OLYMPUS_ENV === "development" ? "development" : "production";
const from = deriveEncryptionKey(
  read("ENCRYPTION_KEY_PREVIOUS") ?? fail("ENCRYPTION_KEY_PREVIOUS (the key in use until now) is missing"),
  environment,
);
const to = deriveEncryptionKey(read("ENCRYPTION_KEY") ?? fail("ENCRYPTION_KEY (the new key) is missing"), environment);
if (from.id === to.id) fail("ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS are the same key");

const pool = createOlympusPool(databaseUrl, 1);
try {
  // The domain's own role, as Athena uses: row-level security keeps the run to this domain's rows.
  await checkOlympusSchema(pool, domain);
  const report = await rotateSettingsKey({ pool, domain, from, to });
  console.log(
    `settings:rotate-key: ${domain}: ${report.rotated} secret(s) re-encrypted, ${report.alreadyCurrent} already under the new key (key id ${to.id})`,
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await pool.end();
}
