/** Helpers shared by the dev stack's integration tests (not shipped to callers). */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort } from "@olympus/test-postgres";
import { DEFAULT_ADMIN, type DevstackOptions, type DevstackPorts } from "./options";
import { PACKAGE_DIR } from "./paths";
import { SERVER_NODE_FLAGS } from "@olympus/server-kit/node-flags";

/** Every port on a free one, so a test never meets a running `npm run dev` (freePort never hands one out twice). */
export async function freePorts(): Promise<DevstackPorts> {
  const domain = async () => ({
    hera: await freePort(),
    athena: await freePort(),
    kratosPublic: await freePort(),
    kratosAdmin: await freePort(),
    hydraPublic: await freePort(),
    hydraAdmin: await freePort(),
  });
  return {
    postgres: await freePort(),
    smtp: await freePort(),
    inbox: await freePort(),
    demo: await freePort(),
    ciam: await domain(),
    iam: await domain(),
  };
}

const createdDataDirs: string[] = [];

export async function testOptions(overrides: Partial<DevstackOptions> = {}): Promise<DevstackOptions> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "olympus-devstack-"));
  createdDataDirs.push(dataDir);
  return {
    dataDir,
    ports: await freePorts(),
    databaseUrl: undefined,
    dsnOverrides: {},
    apps: false,
    appsTimeoutMs: 10_000,
    admin: { ...DEFAULT_ADMIN, passwordFromEnv: false },
    ...overrides,
  };
}

/** Deletes the data dirs testOptions() made in this file (call from afterAll, once the stacks are closed). */
export async function removeTestDataDirs(): Promise<void> {
  await Promise.all(createdDataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Pids of live processes whose command line mentions `text` (a data dir): what a stop must leave none of. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const state = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (cmdline.includes(text) && !/^\d+ \(.*\) Z/.test(state)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

const flow = z.object({ id: z.string() });
const session = z.object({
  session_token: z.string(),
  session: z.object({ identity: z.object({ schema_id: z.string(), traits: z.record(z.string(), z.unknown()) }) }),
});

/** Kratos' API-mode (native app) password login. */
export async function apiLogin(kratosPublicUrl: string, identifier: string, password: string) {
  const base = kratosPublicUrl.replace(/\/$/, "");
  const { id } = flow.parse(await (await fetch(`${base}/self-service/login/api`)).json());
  const response = await fetch(`${base}/self-service/login?flow=${id}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ method: "password", identifier, password }),
  });
  return { status: response.status, body: response.ok ? session.parse(await response.json()) : undefined };
}

/** Kratos' API-mode password registration. */
export async function apiRegister(kratosPublicUrl: string, traits: Record<string, unknown>, password: string): Promise<number> {
  const base = kratosPublicUrl.replace(/\/$/, "");
  const { id } = flow.parse(await (await fetch(`${base}/self-service/registration/api`)).json());
  const response = await fetch(`${base}/self-service/registration?flow=${id}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ method: "password", traits, password }),
  });
  await response.body?.cancel();
  return response.status;
}

const mail = z.object({ subject: z.string(), to: z.array(z.object({ address: z.string() })), text: z.string().optional() }).loose();
export type CaughtMail = z.infer<typeof mail>;

/** Polls the mail catcher's REST API until a mail to `address` arrives. */
export async function waitForMail(inboxApi: string, address: string, timeoutMs = 20_000): Promise<CaughtMail | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const inbox = z.array(mail).parse(await (await fetch(inboxApi)).json());
    const found = inbox.find((m) => m.to.some((to) => to.address === address));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves once stdout has a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Runs the CLI exactly as `npm run dev -w @olympus/devstack` does, headless. */
export function runCli(env: Record<string, string>, args: string[] = []): CliRun {
  // The same node flags as the package's `dev` script (SERVER_NODE_FLAGS; its test holds the script to them).
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", path.join(PACKAGE_DIR, "src", "cli.ts"), ...args], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, OLYMPUS_DEV_APPS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (child.exitCode !== null) throw new Error(`CLI exited (${child.exitCode}) before ${pattern}: ${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}: ${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
