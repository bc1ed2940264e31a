import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EMBEDDED_ADMIN_API_TOKEN, withoutDomainVariables } from "@olympus/devstack/defaults";
import { startDevstack } from "../../support/devstack";
import type { RunningStack } from "../../support/worker-stack";

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** What the customer journey reaches. Browser URLs use ciam.localhost; Node calls 127.0.0.1. */
export interface DemoStack {
  /** The demo relying party (apps/demo), registered in CIAM Hydra as ciam-demo-rp. */
  demo: string;
  hera: string;
  kratosPublic: string;
  kratosAdmin: string;
  /** The bearer token CIAM's admin APIs require (the embedded stack's dev token). */
  adminToken: string;
  /** CIAM Hydra's issuer as ID tokens name it. */
  issuer: string;
  clientId: string;
  /** The mail catcher's REST API (maildev's paths). */
  inboxApi: string;
}

export const STACK: DemoStack = {
  demo: "http://ciam.localhost:3002",
  hera: "http://ciam.localhost:3000",
  kratosPublic: "http://127.0.0.1:3100",
  kratosAdmin: "http://127.0.0.1:3101",
  adminToken: EMBEDDED_ADMIN_API_TOKEN.ciam,
  issuer: "http://ciam.localhost:3102/",
  clientId: "ciam-demo-rp",
  inboxApi: "http://127.0.0.1:1080/api/email",
};

/**
 * Starts the embedded dev stack from a throwaway data directory (its seeds
 * register ciam-demo-rp), the built Hera CIAM on :3000 and the demo app on
 * :3002 with its embedded defaults — the same command `npm run dev` runs.
 * DEMO_E2E_EXTERNAL_STACK=1 uses an already running `npm run dev` instead.
 */
export async function startDemoStack(): Promise<RunningStack<DemoStack>> {
  if (process.env.DEMO_E2E_EXTERNAL_STACK === "1") return { stack: STACK, stop: async () => {} };
  const backend = await startDevstack([{ app: "hera", domain: "ciam" }]);
  try {
    const demo = await startDemoApp();
    return {
      stack: STACK,
      stop: async () => {
        await demo.stop();
        await backend.stop();
      },
    };
  } catch (error) {
    await backend.stop();
    throw error;
  }
}

/** Starts apps/demo on :3002 with its embedded defaults and waits for its health route. */
export async function startDemoApp(): Promise<{ stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--embedded"], {
    cwd: path.join(REPO_DIR, "apps", "demo"),
    env: withoutDomainVariables(process.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`demo app exited early (${child.exitCode}):\n${log}`);
    const healthy = await fetch("http://127.0.0.1:3002/api/health").then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { stop: () => stopChild(child) };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopChild(child);
  throw new Error(`demo app not healthy after 30 s:\n${log}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
