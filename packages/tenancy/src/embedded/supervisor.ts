import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, openSync, closeSync, type WriteStream } from "node:fs";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findTenant, readRegistry } from "../registry";
import { internalAppPort, portBlock } from "../ports";
import type { Domain, Tenant } from "../tenant";
import type { TenantSecrets } from "../secrets";
import { appProcessEnv, tenantAppEnv, type App } from "./app-env";
import { appCommand, APP_PROCESS_ENV } from "./app-runner";
import { AppGate } from "./app-gate";
import { appIdleTimeoutFromFlags, resolveAppIdleTimeout } from "./app-idle";
import { parseAppSelection, selects, type AppSelection } from "./app-selection";
import { EMBEDDED_LAYOUT, readTenantSecrets } from "./files";
import { adminApiToken, oryPublicUrls, renderOryConfigs, rolePasswords, type RenderedOryConfig } from "./render";
import { seedIamClients } from "./seeds";
import { writeRunState, type RecordedProcess, type RunState } from "./state";
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
 * children (the build's standalone server, see app-runner.ts), each behind its gate (app-gate.ts): started with
 * the tenant, asleep after the tenant's app idle timeout, woken by the next connection. Records every pid, log
 * and app phase in run/state.json.
 */
export async function superviseTenant(root: string, name: string, options: { apps: AppSelection; appIdleTimeout?: string }): Promise<void> {
  const tenant = findTenant(await readRegistry(root), name);
  if (!tenant) throw new Error(`no tenant named "${name}" in ${root}`);
  const directory = join(root, name);
  const secrets = await readTenantSecrets(directory);
  const logs = join(directory, EMBEDDED_LAYOUT.logs);
  const processes: RecordedProcess[] = [{ name: "supervisor", pid: process.pid, log: join(logs, "supervisor.log") }];
  const notes: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const gates = new Map<string, { gate: AppGate; log: string }>();
  let status: RunState["status"] = "starting";
  let written: Promise<void> = Promise.resolve();
  // One write at a time (the apps' phases change whenever they wake or sleep), each with everything as it is now.
  const state = (next: RunState["status"] = status): Promise<void> => {
    status = next;
    written = written.then(() => {
      const apps = Object.fromEntries([...gates].map(([name, { gate }]) => [name, gate.status]));
      const awake = [...gates]
        .filter(([, { gate }]) => gate.status.pid !== undefined)
        .map(([name, { gate, log }]) => ({ name, pid: gate.status.pid ?? 0, log }));
      return writeRunState(directory, { status, supervisorPid: process.pid, processes: [...processes, ...awake], notes, apps }).catch(
        (error: unknown) => console.error(error),
      );
    });
    return written;
  };
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
      const idleTimeoutMs = resolveAppIdleTimeout(options.appIdleTimeout, tenant.appIdleTimeout);
      const appEnvs: Record<string, Record<string, string>> = {};
      for (const domain of tenant.domains as readonly Domain[])
        for (const app of APPS.filter((a) => !missing.includes(a) && selects(options.apps, `${domain}-${a}`))) {
          const name = `${domain}-${app}`;
          const env = tenantAppEnv(tenant, secrets, domain, app);
          appEnvs[name] = env;
          const internalPort = internalAppPort(portBlock(tenant.slot), domain, app);
          const log = join(logs, `${name}.log`);
          const gate = new AppGate({
            publicPort: Number(env.PORT),
            internalPort,
            idleTimeoutMs,
            spawn: () => startApp(app, { ...env, PORT: String(internalPort) }, log),
            onChange: () => void state(),
          });
          await gate.listen();
          gates.set(name, { gate, log });
          closers.push(() => gate.close());
        }
      await writeFile(join(directory, EMBEDDED_LAYOUT.appEnv), `${JSON.stringify(appEnvs, null, 2)}\n`, { mode: 0o600 });
      // Each app starts once with the tenant, so that `tenant start` reports one that cannot; then it sleeps when idle.
      const started = await Promise.allSettled([...gates.values()].map(({ gate }) => gate.wake()));
      [...gates.keys()].forEach((name, i) => {
        const outcome = started[i];
        if (outcome?.status === "rejected")
          notes.push(`${name} could not start: ${gates.get(name)?.gate.status.detail ?? ""} (see logs/${name}.log)`);
      });
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
    // No `dev`, as platform/prod runs Hydra (`serve all`): a tenant keeps production cookie names.
    logger: createLogger("text", (line) => log.write(`${line}\n`)),
  });
  return { id: config.id, adminUrl: hydra.adminUrl.replace(/\/$/, ""), close: () => hydra.close().finally(endLog) };
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

const [root, name, ...flags] = process.argv.slice(2);
if (root && name && process.argv[1] === fileURLToPath(import.meta.url)) {
  void superviseTenant(root, name, { apps: parseAppSelection(flags), appIdleTimeout: appIdleTimeoutFromFlags(flags) });
}
