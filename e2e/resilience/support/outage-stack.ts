import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { optionsFromEnv, startDevstack, type DevstackOptions, type OryServerId, type RunningDevstack } from "@olympus/devstack";
import { startOryServer, type RunningOryServer } from "@olympus/devstack/ory-servers";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { startApp, type AppName, type RunningApp } from "../../support/app-server";

export interface AppInstance {
  app: AppName;
  domain: "ciam" | "iam";
}

export interface OutageStack {
  devstack: RunningDevstack;
  /** Stops one Kratos or Hydra server (both its ports refuse connections from then on). */
  takeDown(id: OryServerId): Promise<void>;
  /** Starts that server again on the same ports, config and database. */
  bringBack(id: OryServerId): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The dev stack run inside this test process (so single Kratos and Hydra
 * servers can be stopped and started again, which the CLI cannot do from
 * outside), on its standard ports — the seeded clients and the Kratos configs
 * name Hera's and Athena's standard ports — plus the built apps asked for.
 */
export async function startOutageStack(apps: AppInstance[]): Promise<OutageStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-resilience-"));
  const options: DevstackOptions = optionsFromEnv({ OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_APPS: "0" });
  const running: RunningApp[] = [];
  /** Servers started by bringBack(): the dev stack's own teardown only knows the first ones. */
  const restarted = new Set<RunningOryServer>();
  let devstack: RunningDevstack | undefined;

  const stop = async () => {
    await Promise.all(running.map((app) => app.stop()));
    for (const server of restarted) await server.close().catch(() => undefined);
    await devstack?.close();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    devstack = await startDevstack(options);
    running.push(...(await Promise.all(apps.map(({ app, domain }) => startApp(app, embeddedAppEnv(domain, app))))));
  } catch (error) {
    await stop();
    throw error;
  }
  const stack = devstack;

  return {
    devstack: stack,
    takeDown: async (id) => {
      const server = stack.servers[id];
      await server.close();
      restarted.delete(server);
      await expectRefused(server.publicUrl);
    },
    bringBack: async (id) => {
      const server = await startOryServer(stack.servers[id].config, {
        ports: options.ports,
        smtpPort: options.ports.smtp,
        logDir: path.join(dataDir, "logs"),
      });
      stack.servers[id] = server;
      restarted.add(server);
    },
    stop,
  };
}

async function expectRefused(url: string): Promise<void> {
  const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
  if (answered) throw new Error(`${url} still answers after its server was closed`);
}
