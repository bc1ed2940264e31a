import path from "node:path";
import { envPrefix, isDomain, type Domain } from "@olympus/runtime-config/config";
import { checkOlympusSchema, createOlympusPool } from "@olympus/athena-store/olympus-db";
import { syncKratosOverlay, watchKratosOverlay, type SyncResult } from "@olympus/kratos-settings";
import { z } from "zod";
import { stringOption, type Command } from "../command";
import { environment, readVariables, variable, type Env } from "../env";
import { usageError } from "../errors";
import { encryptionKeyFromVariable, olympusDatabaseError } from "../olympus-database";

export const kratosSettingsSyncCommand: Command = {
  name: "kratos-settings sync",
  summary: "render one domain's SMTP and social sign-in settings into Kratos' config overlay",
  usage: "olympus kratos-settings sync --domain ciam|iam --out <file> [--watch]",
  help: `Reads one domain's settings from the olympus database (SMTP and social sign-in,
secrets unsealed with ENCRYPTION_KEY) and writes them as a Kratos config overlay
(packages/kratos-settings): courier.smtp.* and selfservice.methods.oidc. Kratos
runs with both files, \`kratos serve -c kratos.yml -c <file>\`, and reloads the
overlay when it changes. The file is replaced atomically, mode 0600, and only
when its content changes.

With --watch it keeps running: it re-syncs whenever Athena saves a setting
(Postgres LISTEN/NOTIFY) and once a minute in case a notification was missed,
until SIGTERM or SIGINT.

Options:
  --domain ciam|iam   the domain (default: DOMAIN)
  --out <file>        the overlay file (relative to the current folder)
  --watch             keep the file in step until stopped

Environment (each also as <DOMAIN>_<NAME>, e.g. CIAM_ENCRYPTION_KEY, which wins):
  OLYMPUS_DATABASE_URL      the olympus database as that domain's role (olympus_ciam / olympus_iam)
  ENCRYPTION_KEY            the key Athena seals secret settings with
  ENCRYPTION_KEY_PREVIOUS   optional, during a key rotation
  SMTP_CONNECTION_URI       optional: the deployment's relay (smtp:// or smtps://) for a domain
                            without SMTP settings in Athena. Give it here, not to Kratos as
                            COURIER_SMTP_CONNECTION_URI: Kratos' environment wins over every
                            config file, so Athena's SMTP settings would never apply.
  OLYMPUS_ENV               production (default: example keys refused) or development`,
  options: { domain: { type: "string" }, out: { type: "string" }, watch: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run({ options, env, cwd, out }) {
    const domainValue = stringOption(options, "domain") ?? env.DOMAIN;
    if (!isDomain(domainValue)) {
      throw usageError(
        domainValue === undefined ? "--domain ciam|iam is required (or set DOMAIN)" : `--domain "${domainValue}" must be ciam or iam`,
      );
    }
    const domain: Domain = domainValue;
    const outOption = stringOption(options, "out");
    if (!outOption) throw usageError("--out <file> is required: the overlay file Kratos reads as its second config");
    const file = path.resolve(cwd, outOption);
    const settings = readSyncVariables(env, domain);

    const pool = createOlympusPool(settings.databaseUrl, 2);
    try {
      await checkOlympusSchema(pool, domain).catch((error: unknown) => {
        throw olympusDatabaseError(error, settings.databaseUrl, settings.databaseUrlVariable);
      });
      const sync = {
        domain,
        pool,
        encryptionKey: settings.key,
        previousKeys: settings.previousKeys,
        file,
        defaultSmtpConnectionUri: settings.defaultSmtpConnectionUri,
      };
      if (options.watch !== true) {
        const result = await syncKratosOverlay(sync);
        for (const key of result.invalid) out.progress(`${domain}: setting ${key} is unusable and was left out`);
        return summary(domain, result, false);
      }

      const stamp = () => new Date().toISOString();
      const watcher = await watchKratosOverlay({
        ...sync,
        onSync: (result) => {
          if (result.changed) out.progress(`${stamp()} ${domain}: wrote ${file}`);
          for (const key of result.invalid) out.progress(`${stamp()} ${domain}: setting ${key} is unusable and was left out`);
        },
        onError: (error) => out.progress(`${stamp()} ${domain}: ${error.message}`),
      });
      out.progress(`${domain}: watching settings for changes (stop with SIGTERM or SIGINT)`);
      const signal = await untilTerminated();
      await watcher.stop();
      return {
        ok: true,
        data: { domain, file, watched: true, stoppedBy: signal },
        lines: [`kratos-settings: ${domain}: stopped (${signal})`],
      };
    } finally {
      await pool.end();
    }
  },
};

function summary(domain: Domain, result: SyncResult, watched: boolean) {
  return {
    ok: true,
    data: { domain, file: result.file, changed: result.changed, invalid: result.invalid, watched },
    lines: [`kratos-settings: ${domain}: ${result.changed ? "wrote" : "unchanged"} ${result.file}`],
  };
}

function untilTerminated(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve(signal);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

/** The domain-prefixed name wins, as in Athena's own configuration. */
function readSyncVariables(env: Env, domain: Domain) {
  const prefix = envPrefix(domain);
  const pick = (name: string) => (env[`${prefix}${name}`] !== undefined ? `${prefix}${name}` : name);
  const names = {
    databaseUrl: pick("OLYMPUS_DATABASE_URL"),
    key: pick("ENCRYPTION_KEY"),
    previous: pick("ENCRYPTION_KEY_PREVIOUS"),
    smtp: pick("SMTP_CONNECTION_URI"),
  };
  const postgresUrl = z
    .string()
    .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), { error: "must be a postgres:// URL" });
  const values = readVariables(env, {
    [names.databaseUrl]: variable(
      postgresUrl,
      `set it to the olympus database as ${domain}'s role, e.g. postgres://olympus_${domain}:…@postgres:5432/olympus`,
    ),
    [names.key]: variable(z.string(), `set it to ${domain}'s Athena ENCRYPTION_KEY`),
    [names.previous]: variable(z.string().optional(), "unset it, or set it to the previous key during a rotation"),
    [names.smtp]: variable(
      z
        .string()
        .refine((value) => URL.canParse(value) && /^smtps?:$/.test(new URL(value).protocol), {
          error: "must be an smtp:// or smtps:// URL",
        })
        .optional(),
      "set it to the relay's URL, e.g. smtps://user:password@smtp.example.com:465/, or unset it",
    ),
    OLYMPUS_ENV: variable(environment(), "set it to production or development"),
  });
  const mode = values.OLYMPUS_ENV;
  const previous = values[names.previous];
  const smtp = values[names.smtp];
  return {
    defaultSmtpConnectionUri: typeof smtp === "string" ? smtp : undefined,
    databaseUrl: String(values[names.databaseUrl]),
    databaseUrlVariable: names.databaseUrl,
    key: encryptionKeyFromVariable(names.key, String(values[names.key]), mode),
    previousKeys: typeof previous === "string" ? [encryptionKeyFromVariable(names.previous, previous, mode)] : [],
  };
}
