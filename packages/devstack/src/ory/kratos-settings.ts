import path from "node:path";
import { envPrefix, type Domain } from "@olympus/runtime-config/config";
import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import { deriveEncryptionKey } from "@olympus/athena-store/settings";
import { watchKratosOverlay, writeFileIfChanged, type KratosOverlayWatcher } from "@olympus/kratos-settings";
import { stringify } from "yaml";
import { EMBEDDED_OLYMPUS_DATABASE_URLS, embeddedAppEnv } from "../embedded-defaults";
import { moveDsn } from "../postgres/dsn";

/**
 * The config files each embedded Kratos runs with, in merge order, as
 * production's `kratos serve -c kratos.yml -c overlay.yml`:
 *
 * 1. platform/dev/<domain>-kratos/kratos.yml;
 * 2. the dev stack's own layer: the mail catcher's port in use (tests move it);
 * 3. the overlay rendered from the domain's Athena settings (SMTP, social
 *    sign-in), kept in step while the stack runs — so SMTP settings saved in
 *    Athena win over the mail catcher, as they would in production.
 */
export interface KratosConfigLayers {
  devLayer: string;
  settingsOverlay: string;
}

export function kratosConfigLayers(dataDir: string, domain: Domain): KratosConfigLayers {
  const dir = path.join(dataDir, "kratos-config");
  return { devLayer: path.join(dir, `${domain}-dev.yml`), settingsOverlay: path.join(dir, `${domain}-settings.yml`) };
}

export async function writeDevLayer(file: string, smtpPort: number): Promise<void> {
  await writeFileIfChanged(
    file,
    `# Written by the dev stack at start-up: the mail catcher's SMTP port in use.\n${stringify({
      courier: { smtp: { connection_uri: `smtp://127.0.0.1:${smtpPort}/?disable_starttls=true` } },
    })}`,
  );
}

export interface SettingsOverlaySync {
  close(): Promise<void>;
}

/**
 * Renders the domain's overlay now (Kratos starts with it) and keeps it in
 * step in this process, as the `<domain>-kratos-settings` service does in
 * production. The domain's Athena login and key are the ones the dev stack
 * starts Athena with.
 */
export async function startSettingsOverlaySync(options: {
  domain: Domain;
  file: string;
  database: { host: string; port: number };
  log: (line: string) => void;
}): Promise<SettingsOverlaySync> {
  const { domain } = options;
  const key = embeddedAppEnv(domain, "athena")[`${envPrefix(domain)}ENCRYPTION_KEY`];
  if (!key) throw new Error(`no development ENCRYPTION_KEY for ${domain}'s Athena`);
  const pool = createOlympusPool(moveDsn(EMBEDDED_OLYMPUS_DATABASE_URLS[domain], options.database), 2);
  let watcher: KratosOverlayWatcher;
  try {
    watcher = await watchKratosOverlay({
      domain,
      pool,
      encryptionKey: deriveEncryptionKey(key, "development"),
      file: options.file,
      onSync: (result) => {
        if (result.changed) options.log(`kratos-settings: ${domain}: wrote ${result.file}`);
        for (const invalid of result.invalid) options.log(`kratos-settings: ${domain}: setting ${invalid} is unusable and was left out`);
      },
      onError: (error) => options.log(`kratos-settings: ${domain}: ${error.message}`),
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    async close() {
      await watcher.stop();
      await pool.end();
    },
  };
}
