import { envPrefix, isDomain, type Domain } from "@olympus/runtime-config/config";
import { checkOlympusSchema, createOlympusPool } from "@olympus/athena-store/olympus-db";
import { rotateSettingsKey } from "@olympus/athena-store/settings";
import { z } from "zod";
import { stringOption, type Command } from "../command";
import { environment, readVariables, variable, type Env } from "../env";
import { configError, usageError } from "../errors";
import { encryptionKeyFromVariable, olympusDatabaseError } from "../olympus-database";

export const rotateKeyCommand: Command = {
  name: "rotate-key",
  summary: "re-encrypt one domain's secret settings under a new ENCRYPTION_KEY",
  usage: "olympus rotate-key --domain ciam|iam",
  help: `Re-encrypts every secret setting of one domain in the olympus database from
ENCRYPTION_KEY_PREVIOUS to ENCRYPTION_KEY (packages/athena-store/src/settings), in one
locked transaction: every value is re-sealed and checked to open under the
new key, or nothing changes. Safe to run again ("already under the new key").
It connects as the domain's own role, like that domain's Athena, so it can
reach that domain's rows only.

Roll-out: give the domain's Athena both keys (ENCRYPTION_KEY new,
ENCRYPTION_KEY_PREVIOUS old), run this, then remove ENCRYPTION_KEY_PREVIOUS.

Options:
  --domain ciam|iam   the domain (default: DOMAIN)

Environment (each also as <DOMAIN>_<NAME>, e.g. CIAM_ENCRYPTION_KEY, which wins):
  OLYMPUS_DATABASE_URL      the olympus database as that domain's role (olympus_ciam / olympus_iam)
  ENCRYPTION_KEY            the new key
  ENCRYPTION_KEY_PREVIOUS   the key in use until now
  OLYMPUS_ENV               production (default: example keys refused) or development`,
  options: { domain: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run({ options, env, out }) {
    const domainValue = stringOption(options, "domain") ?? env.DOMAIN;
    if (!isDomain(domainValue)) {
      throw usageError(
        domainValue === undefined ? "--domain ciam|iam is required (or set DOMAIN)" : `--domain "${domainValue}" must be ciam or iam`,
      );
    }
    const domain: Domain = domainValue;
    const settings = readRotationVariables(env, domain);
    const from = encryptionKeyFromVariable(settings.previous.name, settings.previous.value, settings.environment);
    const to = encryptionKeyFromVariable(settings.next.name, settings.next.value, settings.environment);
    if (from.id === to.id)
      throw configError("ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS are the same key; set ENCRYPTION_KEY to the new one");

    const pool = createOlympusPool(settings.databaseUrl, 1);
    try {
      out.progress(`${domain}: checking the olympus database schema and role…`);
      await checkOlympusSchema(pool, domain).catch((error: unknown) => {
        throw olympusDatabaseError(error, settings.databaseUrl, settings.databaseUrlVariable);
      });
      out.progress(`${domain}: re-encrypting every secret setting (one transaction)…`);
      const report = await rotateSettingsKey({ pool, domain, from, to });
      return {
        ok: true,
        data: { domain, rotated: report.rotated, alreadyCurrent: report.alreadyCurrent, keyId: to.id },
        lines: [
          `rotate-key: ${domain}: ${report.rotated} secret(s) re-encrypted, ${report.alreadyCurrent} already under the new key (key id ${to.id})`,
        ],
      };
    } finally {
      await pool.end();
    }
  },
};

/** The domain-prefixed name wins, as in Athena's own configuration. */
function readRotationVariables(env: Env, domain: Domain) {
  const prefix = envPrefix(domain);
  const pick = (name: string) => (env[`${prefix}${name}`] !== undefined ? `${prefix}${name}` : name);
  const names = { databaseUrl: pick("OLYMPUS_DATABASE_URL"), next: pick("ENCRYPTION_KEY"), previous: pick("ENCRYPTION_KEY_PREVIOUS") };
  const postgresUrl = z
    .string()
    .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), { error: "must be a postgres:// URL" });
  const values = readVariables(env, {
    [names.databaseUrl]: variable(
      postgresUrl,
      `set it to the olympus database as ${domain}'s role, e.g. postgres://olympus_${domain}:…@postgres:5432/olympus`,
    ),
    [names.next]: variable(z.string(), "set it to the new key (openssl rand -hex 32)"),
    [names.previous]: variable(z.string(), "set it to the key in use until now"),
    OLYMPUS_ENV: variable(environment(), "set it to production or development"),
  });
  return {
    databaseUrl: String(values[names.databaseUrl]),
    databaseUrlVariable: names.databaseUrl,
    next: { name: names.next, value: String(values[names.next]) },
    previous: { name: names.previous, value: String(values[names.previous]) },
    environment: values.OLYMPUS_ENV,
  };
}
