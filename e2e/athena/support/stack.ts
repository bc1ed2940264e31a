import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedAppEnv, withoutDomainVariables } from "@olympus/sdk/config/embedded-defaults";
import { startApp, type RunningApp } from "../../support/app-server";

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** What Athena's journeys reach. Browsers use *.localhost names; Node uses 127.0.0.1. */
export interface AthenaStack {
  athena: { ciam: string; iam: string };
  heraIam: string;
  kratosPublic: { ciam: string; iam: string };
  kratosAdmin: { ciam: string; iam: string };
  hydraAdmin: { ciam: string; iam: string };
  /** maildev's REST API: every mail both Kratos send. */
  inboxApi: string;
  /** Bearer token the admin APIs may require (the embedded stack's dev token). */
  adminToken: { ciam: string; iam: string };
  admin: { email: string; password: string };
}

export const STACK: AthenaStack = {
  athena: { ciam: "http://ciam.localhost:3001", iam: "http://iam.localhost:4001" },
  heraIam: "http://iam.localhost:4000",
  kratosPublic: { ciam: "http://127.0.0.1:3100", iam: "http://127.0.0.1:4100" },
  kratosAdmin: { ciam: "http://127.0.0.1:3101", iam: "http://127.0.0.1:4101" },
  hydraAdmin: { ciam: "http://127.0.0.1:3103", iam: "http://127.0.0.1:4103" },
  inboxApi: "http://127.0.0.1:1080/api/email",
  adminToken: { ciam: embeddedAppEnv("ciam", "athena").CIAM_ADMIN_API_TOKEN ?? "", iam: embeddedAppEnv("iam", "athena").IAM_ADMIN_API_TOKEN ?? "" },
  admin: { email: "admin@olympus.local", password: "dev-password-change-me" },
};

export interface RunningStack {
  stack: AthenaStack;
  stop: () => Promise<void>;
}

/**
 * Starts the embedded dev stack (Postgres with the olympus database, both
 * domains' Kratos and Hydra, maildev, seeds) from a throwaway data
 * directory, then Hera IAM on :4000 (IAM Hydra's login and consent pages)
 * and the built Athena twice: CIAM on :3001, IAM on :4001 — the ports the
 * seeded OAuth2 clients' redirect URIs name.
 * ATHENA_E2E_EXTERNAL_STACK=1 uses an already running stack and apps instead.
 */
export async function startAthenaStack(): Promise<RunningStack> {
  if (process.env.ATHENA_E2E_EXTERNAL_STACK === "1") return { stack: STACK, stop: async () => {} };

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-athena-e2e-"));
  const devstack = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: path.join(REPO_DIR, "packages", "devstack"),
    env: { ...withoutDomainVariables(process.env), OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_APPS: "0" },
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

  const apps: RunningApp[] = [];
  const stopDevstack = async () => {
    if (devstack.exitCode === null) {
      const exited = new Promise((resolve) => devstack.once("exit", resolve));
      devstack.kill("SIGTERM");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await ready;
    apps.push(
      ...(await Promise.all([
        startApp("hera", embeddedAppEnv("iam", "hera")),
        startApp("athena", embeddedAppEnv("ciam", "athena")),
        startApp("athena", embeddedAppEnv("iam", "athena")),
      ])),
    );
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    await stopDevstack();
    throw error;
  }
  return {
    stack: STACK,
    stop: async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await stopDevstack();
    },
  };
}
