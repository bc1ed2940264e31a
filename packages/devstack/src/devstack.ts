import path from "node:path";
import type { RolePasswords } from "@olympus/platform/postgres-init";
import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import { EMBEDDED_OLYMPUS_DATABASE_URLS, EMBEDDED_OLYMPUS_MIGRATOR_URL } from "./embedded-defaults";
import { appHealthTargets } from "./app-health";
import { DevstackError, throwIfAborted } from "./errors";
import { waitUntilHealthy, type HealthTarget } from "./health";
import { startMailCatcher, type MailCatcher } from "./mail/catcher";
import { StartupClock, type StartupTimings } from "./startup-clock";
import type { AdminApi } from "./ory/admin-api";
import { resolveOryConfigs, type OryServerConfig } from "./ory/configs";
import type { RunningOryServer } from "./ory/servers";
import type { AdminLogin, DevstackOptions, OryServerId } from "./options";
import { assertPortsFree, type PortClaim } from "./ports";
import { clearStalePostmaster } from "./postgres/cluster";
import { parseDsn } from "./postgres/dsn";
import { applyDatabaseLayout, DATABASE_ROLES, migrateOlympusAsMigrator } from "./postgres/layout";
import { startEmbeddedPostgres, type RunningPostgres } from "./postgres/server";
import { verifyDatabaseIsolation } from "./seeds/guard";
import { runSeeds, type SeedReport } from "./seeds/run";
import { claimDataDir, releaseDataDir, writeState } from "./state";
import { Teardown } from "./teardown";
import { devstackUrls, type DevstackUrls } from "./urls";

export interface StartHooks {
  /** One line per step ("postgres: ready on 127.0.0.1:5432"). */
  onProgress?: (line: string) => void;
  /** Aborting (Ctrl-C) stops the start-up at the next step and closes what already runs. */
  signal?: AbortSignal;
}

export interface RunningDevstack {
  urls: DevstackUrls;
  admin: AdminLogin;
  seeds: SeedReport;
  pids: { postgres: number | undefined; mail: number };
  servers: Record<OryServerId, RunningOryServer>;
  /** The bearer token each domain's Kratos and Hydra admin APIs require (printed in the ready table). */
  adminTokens: Record<Domain, string>;
  /** Every health endpoint the stack checked before it called itself ready. */
  healthTargets: HealthTarget[];
  /** When each start-up phase ended, and the time to ready (printed in the banner). */
  timings: StartupTimings;
  /** Stops the apps' backends: servers, then mail, then Postgres. Safe to call twice. */
  close(): Promise<void>;
}

/** The olympus database's role passwords: each Athena's from the URL it is started with, the migrator's from its own. */
const OLYMPUS_ROLE_PASSWORDS = {
  olympus_migrator: passwordOf(EMBEDDED_OLYMPUS_MIGRATOR_URL),
  olympus_ciam: passwordOf(EMBEDDED_OLYMPUS_DATABASE_URLS.ciam),
  olympus_iam: passwordOf(EMBEDDED_OLYMPUS_DATABASE_URLS.iam),
};
const SERVER_HEALTH_TIMEOUT_MS = 30_000;
const APP_PROBE_INTERVAL_MS = 100;
const APP_PROBE_TIMEOUT_MS = 30_000;

export async function startDevstack(options: DevstackOptions, hooks: StartHooks = {}): Promise<RunningDevstack> {
  const { signal } = hooks;
  const progress = hooks.onProgress ?? (() => {});
  const clock = new StartupClock();
  const database = options.databaseUrl
    ? parseDsn(options.databaseUrl, "OLYMPUS_DEV_POSTGRES_URL")
    : { host: "127.0.0.1", port: options.ports.postgres };
  // Config files first: a broken one costs nothing to report.
  const configs = resolveOryConfigs({ database, dsnOverrides: options.dsnOverrides });
  await claimDataDir(options.dataDir);
  const teardown = new Teardown();
  teardown.add("data directory lock", () => releaseDataDir(options.dataDir));
  const logDir = path.join(options.dataDir, "logs");
  try {
    if (!options.databaseUrl) {
      // A dev stack killed with SIGKILL leaves its postmaster holding the port; it is ours to stop.
      const stale = await clearStalePostmaster(path.join(options.dataDir, "postgres"));
      if (stale === "stopped-orphan") progress("postgres: stopped a postmaster left running by an earlier dev stack");
    }
    await assertPortsFree(portClaims(options));
    throwIfAborted(signal);
    // The apps' dev servers compile a route on its first request: ask them now, so their first
    // compile overlaps Postgres, migrations and the servers instead of starting after them.
    const apps = options.apps ? waitForApps(options, progress, signal, teardown) : undefined;
    apps?.catch(() => undefined);
    progress(options.databaseUrl ? `postgres: using the server at ${database.host}:${database.port}` : "postgres: starting…");
    const mailStarting = startMailCatcher({
      smtpPort: options.ports.smtp,
      webPort: options.ports.inbox,
      mailDirectory: path.join(options.dataDir, "mail"),
      logFile: path.join(logDir, "mail-catcher.log"),
      buildDirectory: options.dataDir,
      signal,
    });
    // Stop it even when Postgres fails first.
    mailStarting.then(
      (mail) => teardown.add("mail catcher", () => mail.stop()),
      () => {},
    );

    let postgres: RunningPostgres | undefined;
    let superuserUrl = options.databaseUrl;
    try {
      if (!superuserUrl) {
        postgres = await startEmbeddedPostgres({
          dataDir: path.join(options.dataDir, "postgres"),
          port: options.ports.postgres,
          logFile: path.join(logDir, "postgres.log"),
          signal,
          onProgress: (line) => progress(`postgres: ${line}`),
        });
        const running = postgres;
        teardown.add("postgres", () => running.stop());
        superuserUrl = postgres.superuserUrl();
        progress(`postgres: ready on 127.0.0.1:${postgres.port} (pid ${postgres.pid})`);
        clock.mark("postgres");
      }
    } finally {
      // Whatever Postgres did, wait for the mail catcher so teardown knows about it.
      await mailStarting.catch(() => undefined);
    }
    const mail: MailCatcher = await mailStarting;
    progress(`mail: catcher on SMTP 127.0.0.1:${options.ports.smtp}, inbox ${mail.inboxUrl}`);
    await writeState(options.dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      postgresPid: postgres?.pid,
      mailPid: mail.pid,
    });

    throwIfAborted(signal);
    const layout = await applyDatabaseLayout(superuserUrl, rolePasswords(configs));
    progress(
      layout.createdDatabases.length > 0
        ? `postgres: created ${layout.createdDatabases.join(", ")} from platform/postgres/init.sql`
        : "postgres: databases and roles in place (platform/postgres/init.sql)",
    );
    if (layout.legacyRole)
      progress('postgres: the shared "olympus" login of an earlier version is retired (its tables now belong to olympus_migrator)');
    const migrated = await migrateOlympusAsMigrator(superuserUrl, OLYMPUS_ROLE_PASSWORDS.olympus_migrator);
    progress(
      migrated.length > 0
        ? `olympus: migrated the olympus database as olympus_migrator (applied ${migrated.join(", ")})`
        : "olympus: the olympus database is up to date",
    );

    throwIfAborted(signal);
    await verifyDatabaseIsolation(configs);
    progress("guard: each server's role reaches its own database and no other");
    clock.mark("databases");

    throwIfAborted(signal);
    const servers = await startServers(configs, options, { logDir, database }, teardown, progress);
    const healthTargets = serverHealthTargets(options, mail);
    await Promise.all(healthTargets.map((target) => waitUntilHealthy(target, { timeoutMs: SERVER_HEALTH_TIMEOUT_MS, signal })));
    progress(`health: ${healthTargets.length} endpoints healthy`);
    clock.mark("servers");

    throwIfAborted(signal);
    const seeds = await runSeeds(
      {
        ciamKratos: adminApiOf(servers["ciam-kratos"]),
        iamKratos: adminApiOf(servers["iam-kratos"]),
        iamHydra: adminApiOf(servers["iam-hydra"]),
        ciamHydra: adminApiOf(servers["ciam-hydra"]),
      },
      options.admin,
      options.ports,
    );
    progress(
      `seeds: admin ${seeds.admin}; clients ${seeds.clients.map((c) => `${c.clientId} ${c.outcome}`).join(", ")}; ` +
        `admin-only traits moved to metadata_admin: ciam ${seeds.movedToAdminMetadata.ciam}, iam ${seeds.movedToAdminMetadata.iam}`,
    );

    clock.mark("seeds");
    if (apps) {
      healthTargets.push(...(await apps));
      clock.mark("apps");
    }
    throwIfAborted(signal);

    return {
      urls: devstackUrls(options.ports, database),
      admin: options.admin,
      seeds,
      pids: { postgres: postgres?.pid, mail: mail.pid },
      servers,
      adminTokens: { ciam: servers["ciam-kratos"].adminToken, iam: servers["iam-kratos"].adminToken },
      healthTargets,
      timings: clock.timings(),
      close: async () => {
        await teardown.run();
      },
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/**
 * Waits until Hera, Athena (each domain) and the demo relying party, started
 * by turbo beside the dev stack, answer their health endpoints — all at once,
 * so each dev server compiles while the others do. Stops polling when the
 * start-up fails or is interrupted.
 */
async function waitForApps(
  options: DevstackOptions,
  progress: (line: string) => void,
  signal: AbortSignal | undefined,
  teardown: Teardown,
): Promise<HealthTarget[]> {
  const targets = appHealthTargets(options.ports);
  const stopPolling = new AbortController();
  teardown.add("app health polling", () => {
    stopPolling.abort();
    return Promise.resolve();
  });
  const aborted = signal ? AbortSignal.any([signal, stopPolling.signal]) : stopPolling.signal;
  progress("apps: waiting for Hera, Athena and the demo relying party (started by turbo; the first compile takes a while)…");
  await Promise.all(
    targets.map(async (target) => {
      await waitUntilHealthy(target, {
        timeoutMs: options.appsTimeoutMs,
        signal: aborted,
        // Until `next dev` listens a probe fails at once: ask again soon. Once it listens, the probe's
        // request waits for the route's compile and is answered the moment it is done.
        intervalMs: APP_PROBE_INTERVAL_MS,
        probeTimeoutMs: APP_PROBE_TIMEOUT_MS,
        onStillWaiting: (seconds) =>
          progress(`apps: still waiting for ${target.name} at ${target.url} (${seconds} s; see its output above)`),
      });
      progress(`apps: ${target.name} healthy`);
    }),
  );
  return targets;
}

async function startServers(
  configs: OryServerConfig[],
  options: DevstackOptions,
  where: { logDir: string; database: { host: string; port: number } },
  teardown: Teardown,
  progress: (line: string) => void,
): Promise<Record<OryServerId, RunningOryServer>> {
  const { logDir } = where;
  // Each Kratos reads Athena's SMTP and social sign-in settings from an overlay file kept in step from the olympus database.
  const { kratosConfigLayers, startSettingsOverlaySync, writeDevLayer } = await import("./ory/kratos-settings");
  const layers: Partial<Record<Domain, string[]>> = {};
  // Both domains at once; each sync is added to the teardown as soon as it runs, even when the other fails.
  await Promise.all(
    DOMAINS.map(async (domain) => {
      const files = kratosConfigLayers(options.dataDir, domain);
      await writeDevLayer(files.devLayer, options.ports.smtp);
      const sync = await startSettingsOverlaySync({ domain, file: files.settingsOverlay, database: where.database, log: progress });
      teardown.add(`${domain} Kratos settings overlay`, () => sync.close());
      layers[domain] = [files.devLayer, files.settingsOverlay];
    }),
  );
  progress("servers: starting CIAM and IAM Kratos and Hydra…");
  // Loaded only now: a config or port problem reported earlier stays a single line, without the servers' import-time notices.
  const { startOryServer } = await import("./ory/servers");
  const results = await Promise.allSettled(
    configs.map((config) =>
      startOryServer(config, { ports: options.ports, smtpPort: options.ports.smtp, logDir, kratosLayers: layers[config.domain] }),
    ),
  );
  const started: Partial<Record<OryServerId, RunningOryServer>> = {};
  for (const result of results) {
    if (result.status === "fulfilled") {
      started[result.value.config.id] = result.value;
      const server = result.value;
      teardown.add(server.config.label, () => server.close());
    }
  }
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  for (const server of Object.values(started))
    progress(
      `servers: ${server.config.label} on ${server.publicUrl} (admin ${server.adminUrl}), logs in ${path.join(logDir, `${server.config.id}.log`)}`,
    );
  return started as Record<OryServerId, RunningOryServer>;
}

function adminApiOf(server: RunningOryServer): AdminApi {
  return { url: server.adminUrl, token: server.adminToken };
}

function rolePasswords(configs: OryServerConfig[]): RolePasswords {
  const passwords: Record<string, string> = { ...OLYMPUS_ROLE_PASSWORDS };
  for (const config of configs) passwords[config.expectedRole] = parseDsn(config.configDsn, config.configPath).password;
  for (const role of DATABASE_ROLES) {
    if (!passwords[role]) throw new DevstackError("config", `no password for database role ${role}`);
  }
  return passwords as RolePasswords;
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

function portClaims(options: DevstackOptions): PortClaim[] {
  const claims: PortClaim[] = [];
  if (!options.databaseUrl) claims.push({ port: options.ports.postgres, service: "PostgreSQL" });
  claims.push({ port: options.ports.smtp, service: "mail catcher SMTP" }, { port: options.ports.inbox, service: "mail inbox (web)" });
  for (const domain of DOMAINS) {
    const p = options.ports[domain];
    const name = domain.toUpperCase();
    claims.push(
      { port: p.kratosPublic, service: `${name} Kratos public API` },
      { port: p.kratosAdmin, service: `${name} Kratos admin API` },
      { port: p.hydraPublic, service: `${name} Hydra public API` },
      { port: p.hydraAdmin, service: `${name} Hydra admin API` },
    );
  }
  return claims;
}

function serverHealthTargets(options: DevstackOptions, mail: MailCatcher): HealthTarget[] {
  const urls = devstackUrls(options.ports, { host: "127.0.0.1", port: options.ports.postgres });
  const targets: HealthTarget[] = [];
  for (const domain of DOMAINS) {
    const { health } = urls[domain];
    const name = domain.toUpperCase();
    targets.push(
      { name: `${name} Kratos public`, url: health.kratosPublic },
      { name: `${name} Kratos admin`, url: health.kratosAdmin },
      { name: `${name} Hydra public`, url: health.hydraPublic },
      { name: `${name} Hydra admin`, url: health.hydraAdmin },
    );
  }
  targets.push({ name: "mail inbox", url: `${mail.apiUrl}/api/healthz` });
  return targets;
}
