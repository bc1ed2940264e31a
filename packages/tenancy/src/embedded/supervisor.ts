import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, openSync, closeSync, type WriteStream } from "node:fs";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findTenant, readRegistry } from "../registry";
import { portBlock } from "../ports";
import type { Domain, Tenant } from "../tenant";
import type { TenantSecrets } from "../secrets";
import { appProcessEnv, tenantAppEnv, type App } from "./app-env";
import { appCommand, APP_PROCESS_ENV } from "./app-runner";
import { parseAppSelection, selects, type AppSelection } from "./app-selection";
import { EMBEDDED_LAYOUT, readTenantSecrets } from "./files";
import { adminApiToken, oryPublicUrls, renderOryConfigs, rolePasswords, type RenderedOryConfig } from "./render";
import { seedIamClients } from "./seeds";
import { writeRunState, type RecordedProcess } from "./state";
import { APPS, unbuiltApps } from "./repository";

function openLog(file: string): WriteStream {
  mkdirSync(dirname(file), { recursive: true });
  return createWriteStream(file, { flags: "a" });
}

/**
 * Runs one embedded tenant in this process until SIGTERM/SIGINT: its own
 * Postgres (own cluster, port, superuser password), its databases and roles
 * (platform/postgres/init.sql with the tenant's passwords), its Kratos and
 * Hydra in-process from configs rendered for its hosts, its clients at its IAM
 * Hydra, and — when built and wanted — each domain's Hera and Athena as
 * children (the build's standalone server, see app-runner.ts). Records every pid and log in run/state.json.
 */
export async function superviseTenant(root: string, name: string, options: { apps: AppSelection }): Promise<void> {
  const tenant = findTenant(await readRegistry(root), name);
  if (!tenant) throw new Error(`no tenant named "${name}" in ${root}`);
  const directory = join(root, name);
  const secrets = await readTenantSecrets(directory);
  const logs = join(directory, EMBEDDED_LAYOUT.logs);
  const processes: RecordedProcess[] = [{ name: "supervisor", pid: process.pid, log: join(logs, "supervisor.log") }];
  const notes: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const state = (status: "starting" | "ready" | "failed" | "stopped") =>
    writeRunState(directory, { status, supervisorPid: process.pid, processes, notes });
  let stopping = false;
  const stop = async (status: "failed" | "stopped") => {
    if (stopping) return;
    stopping = true;
    for (const close of closers.reverse()) await close().catch((error: unknown) => console.error(error));
    await state(status);
    process.exit(status === "stopped" ? 0 : 1);
  };
  process.on("SIGTERM", () => void stop("stopped"));
  process.on("SIGINT", () => void stop("stopped"));
  try {
    await state("starting");
    const { startEmbeddedPostgres, applyDatabaseLayout, migrateOlympusAsMigrator } = await import("@olympus/devstack/postgres");
    // Run as root, Postgres runs as the postgres user, which must traverse (not list) the root and the tenant's directory.
    if (process.getuid?.() === 0) for (const dir of [root, directory]) await chmod(dir, (await stat(dir)).mode | 0o111);
    const postgres = await startEmbeddedPostgres({
      dataDir: join(directory, EMBEDDED_LAYOUT.postgresData),
      port: portBlock(tenant.slot).postgres,
      logFile: join(logs, "postgres.log"),
      superuserPassword: secrets.POSTGRES_PASSWORD,
      onProgress: (line) => console.log(`postgres: ${line}`),
    });
    closers.push(() => postgres.stop());
    processes.push({ name: "postgres", pid: postgres.pid, log: join(logs, "postgres.log") });
    const passwords = rolePasswords(secrets);
    await applyDatabaseLayout(postgres.superuserUrl(), passwords);
    await migrateOlympusAsMigrator(postgres.superuserUrl(), passwords.olympus_migrator);

    const configs = await renderOryConfigs(tenant, secrets);
    for (const config of configs) {
      await mkdir(dirname(join(directory, config.path)), { recursive: true });
      await writeFile(join(directory, config.path), config.text, { mode: 0o600 });
    }
    const servers = await Promise.all(configs.map((config) => startServer(tenant, secrets, directory, config, logs)));
    for (const server of servers) closers.push(server.close);
    const iamHydra = servers.find((s) => s.id === "iam-hydra");
    if (iamHydra) await seedIamClients({ url: iamHydra.adminUrl, token: adminApiToken(secrets, "iam") }, tenant, secrets);

    if (options.apps !== false) {
      const missing = unbuiltApps();
      if (missing.length > 0)
        notes.push(
          `not started (not built): ${missing.join(", ")}; run ${missing.map((a) => `npm run build -w @olympus/${a}`).join(" and ")}`,
        );
      const appEnvs: Record<string, Record<string, string>> = {};
      for (const domain of tenant.domains as readonly Domain[])
        for (const app of APPS.filter((a) => !missing.includes(a) && selects(options.apps, `${domain}-${a}`))) {
          const env = tenantAppEnv(tenant, secrets, domain, app);
          appEnvs[`${domain}-${app}`] = env;
          const child = startApp(app, env, join(logs, `${domain}-${app}.log`));
          processes.push({ name: `${domain}-${app}`, pid: child.pid ?? -1, log: join(logs, `${domain}-${app}.log`) });
          closers.push(() => stopChild(child));
        }
      await writeFile(join(directory, EMBEDDED_LAYOUT.appEnv), `${JSON.stringify(appEnvs, null, 2)}\n`, { mode: 0o600 });
      notes.push(...(await waitForApps(appEnvs)));
    }
    await state("ready");
  } catch (error) {
    notes.push(error instanceof Error ? error.message : String(error));
    console.error(error);
    await stop("failed");
  }
}

async function startServer(tenant: Tenant, secrets: TenantSecrets, directory: string, config: RenderedOryConfig, logs: string) {
  const block = portBlock(tenant.slot)[config.domain];
  const log = openLog(join(logs, `${config.id}.log`));
  const token = adminApiToken(secrets, config.domain);
  const urls = oryPublicUrls(tenant, config.domain);
  const configPath = join(directory, config.path);
  const endLog = () => new Promise<void>((done) => log.end(done));
  if (config.service === "kratos") {
    const { startEmbeddedKratos } = await import("@olympus/embedded-kratos");
    const kratos = await startEmbeddedKratos({
      configPath,
      dsn: config.dsn,
      publicPort: block.kratosPublic,
      adminPort: block.kratosAdmin,
      publicBaseUrl: urls.kratosBaseUrl,
      host: "127.0.0.1",
      adminToken: token,
      dev: true,
      log: (line) => log.write(`${line}\n`),
    });
    return { id: config.id, adminUrl: kratos.adminUrl, close: () => kratos.close().finally(endLog) };
  }
  const { startEmbeddedHydra, createLogger } = await import("@olympus/embedded-hydra");
  const hydra = await startEmbeddedHydra({
    configPath,
    dsn: config.dsn,
    publicPort: block.hydraPublic,
    adminPort: block.hydraAdmin,
    issuer: urls.hydraIssuer,
    host: "127.0.0.1",
    adminToken: token,
    logger: createLogger("text", (line) => log.write(`${line}\n`)),
  });
  return { id: config.id, adminUrl: hydra.adminUrl.replace(/\/$/, ""), close: () => hydra.close().finally(endLog) };
}

/** Waits (60 s at most) until each started app answers its liveness URL; returns a note for each that did not. */
async function waitForApps(appEnvs: Record<string, Record<string, string>>): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  const pending = new Map(Object.entries(appEnvs).map(([name, env]) => [name, `http://127.0.0.1:${env.PORT ?? ""}/api/health`]));
  while (pending.size > 0 && Date.now() < deadline) {
    for (const [name, url] of pending) {
      const up = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (up) pending.delete(name);
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  return [...pending.keys()].map((name) => `${name} does not answer yet (see logs/${name}.log)`);
}

/** One app of the shared build (app-runner.ts), with only this tenant's environment. */
function startApp(app: App, env: Record<string, string>, logFile: string): ChildProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, "a");
  const command = appCommand(app, Number(env.PORT));
  const child = spawn(process.execPath, command.argv, {
    cwd: command.cwd,
    env: { ...appProcessEnv(process.env, env), ...APP_PROCESS_ENV },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

const [root, name, ...flags] = process.argv.slice(2);
if (root && name && process.argv[1] === fileURLToPath(import.meta.url)) {
  void superviseTenant(root, name, { apps: parseAppSelection(flags) });
}
