import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedAppEnv, withoutDomainVariables } from "@olympus/devstack/defaults";
import { startApp, type AppName, type RunningApp } from "./app-server";

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** One app instance to start on the embedded stack's port table (the build's standalone server). */
export interface AppInstance {
  app: AppName;
  domain: "ciam" | "iam";
  /** Variables on top of the app's embedded defaults (e.g. a short re-validation window). */
  env?: Record<string, string>;
}

export interface RunningDevstack {
  /** Everything the devstack printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the embedded dev stack (Postgres, both domains' Kratos and Hydra,
 * the mail catcher, seeds) from a throwaway data directory, waits for "ready", then
 * the built apps on their embedded-default ports. Everything started is
 * stopped again when any step fails, and by `stop()`.
 */
export async function startDevstack(apps: AppInstance[], extraEnv: Record<string, string> = {}): Promise<RunningDevstack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-e2e-"));
  const devstack = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: path.join(REPO_DIR, "packages", "devstack"),
    env: { ...withoutDomainVariables(process.env), OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_APPS: "0", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    devstack.stdout.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (/^ready$/m.test(log)) resolve();
    });
    devstack.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    devstack.once("exit", (code) => reject(new Error(`devstack exited (${code}) before it was ready:\n${log}`)));
    setTimeout(() => reject(new Error(`devstack not ready after 180 s:\n${log}`)), 180_000).unref();
  });

  const running: RunningApp[] = [];
  const stopDevstack = async () => {
    if (devstack.exitCode === null) {
      const exited = new Promise((resolve) => devstack.once("exit", resolve));
      devstack.kill("SIGTERM");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    await Promise.all(running.map((app) => app.stop()));
    await stopDevstack();
  };
  try {
    await ready;
    // allSettled: when one app fails, the ones that did start are stopped too rather than left running on the fixed ports.
    const started = await Promise.allSettled(apps.map(({ app, domain, env }) => startApp(app, { ...embeddedAppEnv(domain, app), ...env })));
    for (const result of started) if (result.status === "fulfilled") running.push(result.value);
    const failed = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await stop();
    throw error;
  }
  return { output: () => log, stop };
}
