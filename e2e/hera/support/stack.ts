import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedAppEnv, withoutDomainVariables } from "@olympus/sdk/config/embedded-defaults";
import { startApp, type RunningApp } from "../../support/app-server";

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Everything a Hera journey needs to reach. Browser URLs use *.localhost; Node uses 127.0.0.1. */
export interface HeraStack {
  ciam: DomainEndpoints;
  iam: DomainEndpoints;
  /** maildev's REST API (all mail both Kratos send). */
  inboxApi: string;
  /** The seeded IAM administrator. */
  admin: { email: string; password: string };
}

export interface DomainEndpoints {
  hera: string;
  kratosAdmin: string;
  hydraAdmin: string;
  hydraPublic: string;
  /** Hydra's issuer as browsers and ID tokens name it. */
  issuer: string;
}

export const STACK: HeraStack = {
  ciam: {
    hera: "http://ciam.localhost:3000",
    kratosAdmin: "http://127.0.0.1:3101",
    hydraAdmin: "http://127.0.0.1:3103",
    hydraPublic: "http://127.0.0.1:3102",
    issuer: "http://ciam.localhost:3102/",
  },
  iam: {
    hera: "http://iam.localhost:4000",
    kratosAdmin: "http://127.0.0.1:4101",
    hydraAdmin: "http://127.0.0.1:4103",
    hydraPublic: "http://127.0.0.1:4102",
    issuer: "http://iam.localhost:4102/",
  },
  inboxApi: "http://127.0.0.1:1080/api/email",
  admin: { email: "admin@olympus.local", password: "dev-password-change-me" },
};

export interface RunningStack {
  stack: HeraStack;
  stop: () => Promise<void>;
}

/**
 * Starts the embedded dev stack (Postgres, both domains' Kratos and Hydra,
 * maildev, seeds) from a throwaway data directory, then the built Hera twice
 * (CIAM on :3000, IAM on :4000: Kratos' and Hydra's configs point there).
 * HERA_E2E_EXTERNAL_STACK=1 uses an already running stack and Hera instead
 * (for working on the journeys; nothing is started or stopped).
 */
export async function startHeraStack(): Promise<RunningStack> {
  const relyingParties = await Promise.all([3002, 4002].map(startRelyingPartyStub));
  const stopRelyingParties = () => Promise.all(relyingParties.map((server) => new Promise((resolve) => server.close(resolve))));
  if (process.env.HERA_E2E_EXTERNAL_STACK === "1") return { stack: STACK, stop: async () => void (await stopRelyingParties()) };
  const running = await startBackendAndHera().catch(async (error: unknown) => {
    await stopRelyingParties();
    throw error;
  });
  return {
    stack: STACK,
    stop: async () => {
      await running.stop();
      await stopRelyingParties();
    },
  };
}

/**
 * Where test clients' redirect and post-logout URIs point (Hera's port + 2, like
 * the seeded demo RP): a page that just says "relying party". The test reads
 * the code from the URL and redeems it itself.
 */
function startRelyingPartyStub(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<!doctype html><title>relying party</title><p>relying party</p>");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function startBackendAndHera(): Promise<{ stop: () => Promise<void> }> {

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-hera-e2e-"));
  const devstack = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: path.join(REPO_DIR, "packages", "devstack"),
    env: { ...withoutDomainVariables(process.env), OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_APPS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/^ready$/m.test(log)) resolve();
    };
    devstack.stdout.on("data", onData);
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
    apps.push(await startApp("hera", embeddedAppEnv("ciam", "hera")));
    apps.push(await startApp("hera", embeddedAppEnv("iam", "hera")));
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    await stopDevstack();
    throw error;
  }
  return {
    stop: async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await stopDevstack();
    },
  };
}
