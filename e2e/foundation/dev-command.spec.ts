import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { expect, test } from "@playwright/test";
import { z } from "zod";
import { DOMAINS, SERVICE_PORTS } from "@olympus/runtime-config/config";
import { EMBEDDED_DEMO_CLIENT, withoutDomainVariables } from "@olympus/devstack/defaults";
import { killSurvivors, processTree, survivors, type ProcessEntry } from "./support/process-tree";

/**
 * The README's start command exactly as a developer types it: `npm run dev`
 * at the repo root (turbo → the devstack, `next dev` for Hera and Athena on
 * both domains, the demo relying party), then Ctrl-C. Every other suite runs
 * the devstack backend-only with built apps; this one is what "one command
 * starts the whole platform" means.
 */

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
// Four `next dev` first compiles on two cores.
const READY_TIMEOUT_MS = 6 * 60_000;
const STOP_TIMEOUT_MS = 30_000;

const ADMIN = { email: "admin@olympus.local", password: "dev-password-change-me" };
const MAIL = { smtp: 1025, inbox: 1080 };
const POSTGRES_PORT = 5432;

interface HealthCheck {
  name: string;
  url: string;
  /** What the body must be (apps must name themselves and their domain). */
  body?: Record<string, string>;
}

function healthChecks(): HealthCheck[] {
  const loopback = (port: number, route: string) => `http://127.0.0.1:${port}${route}`;
  const checks: HealthCheck[] = DOMAINS.flatMap((domain) => {
    const ports = SERVICE_PORTS[domain];
    const name = domain.toUpperCase();
    return [
      { name: `Hera ${name}`, url: loopback(ports.hera, "/api/health"), body: { status: "ok", app: "hera", domain } },
      { name: `Athena ${name}`, url: loopback(ports.athena, "/api/health"), body: { status: "ok", app: "athena", domain } },
      { name: `${name} Kratos public`, url: loopback(ports.kratosPublic, "/health/ready") },
      { name: `${name} Kratos admin`, url: loopback(ports.kratosAdmin, "/health/ready") },
      { name: `${name} Hydra public`, url: loopback(ports.hydraPublic, "/health/ready") },
      { name: `${name} Hydra admin`, url: loopback(ports.hydraAdmin, "/health/ready") },
    ];
  });
  checks.push(
    { name: "demo relying party", url: loopback(EMBEDDED_DEMO_CLIENT.port, "/api/health"), body: { status: "ok", app: "demo" } },
    { name: "mail inbox", url: loopback(MAIL.inbox, "/api/healthz") },
  );
  return checks;
}

/** Every port on the table: after Ctrl-C, none may still accept a connection. */
function tablePorts(): number[] {
  const perDomain = DOMAINS.flatMap((domain) => Object.values(SERVICE_PORTS[domain]));
  return [...perDomain, EMBEDDED_DEMO_CLIENT.port, MAIL.smtp, MAIL.inbox, POSTGRES_PORT];
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The environment a developer's shell has: none of the variables tests use to move or trim the stack. */
function developerEnv(dataDir: string): Record<string, string> {
  const env = withoutDomainVariables(process.env);
  for (const name of Object.keys(env)) {
    if (/^OLYMPUS_/.test(name) || /_(KRATOS|HYDRA)_DSN$/.test(name)) delete env[name];
  }
  return { ...env, OLYMPUS_DATA_DIR: dataDir };
}

interface DevCommand {
  child: ChildProcess;
  output: () => string;
  /** Resolves at the devstack's "ready" line; rejects if the command exits first or takes too long. */
  ready: Promise<void>;
}

function startDevCommand(dataDir: string): DevCommand {
  // Its own process group, as a shell gives a foreground job: Ctrl-C is a SIGINT to that group.
  const child = spawn("npm", ["run", "dev"], {
    cwd: REPO_DIR,
    env: developerEnv(dataDir),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    // Turbo may colour its prefixes; lines are matched without.
    const onData = (chunk: Buffer) => {
      log += stripVTControlCharacters(chunk.toString());
      if (/^@olympus\/devstack:dev: ready$/m.test(log)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`npm run dev exited (${signal ?? code}) before "ready":\n${log.slice(-6000)}`)));
    setTimeout(
      () => reject(new Error(`npm run dev not ready after ${READY_TIMEOUT_MS / 1000} s:\n${log.slice(-6000)}`)),
      READY_TIMEOUT_MS,
    ).unref();
  });
  return { child, output: () => log, ready };
}

async function waitForSurvivors(snapshot: readonly ProcessEntry[], timeoutMs: number): Promise<ProcessEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = survivors(snapshot);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const loginFlow = z.object({ id: z.string(), ui: z.object({ action: z.string() }) });
const loginResult = z.object({
  session_token: z.string(),
  session: z.object({ active: z.boolean(), identity: z.object({ traits: z.object({ email: z.string() }).loose() }) }),
});
const whoami = z.object({
  active: z.boolean(),
  identity: z.object({ schema_id: z.string(), traits: z.object({ email: z.string() }).loose() }),
});

test("npm run dev starts the whole platform healthy and Ctrl-C leaves nothing running", async () => {
  test.setTimeout(READY_TIMEOUT_MS + 3 * 60_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-dev-command-"));
  const dev = startDevCommand(dataDir);
  let snapshot: ProcessEntry[] = [];
  try {
    await dev.ready;
    snapshot = processTree(dev.child.pid ?? -1);

    // The tree really is the whole platform, so "none left" below means something.
    const commands = snapshot.map((entry) => entry.command);
    expect(
      commands.filter((command) => /next\/dist\/bin\/next dev/.test(command)),
      commands.join("\n"),
    ).toHaveLength(4);
    expect(
      commands.some((command) => command.endsWith("--import tsx src/cli.ts")),
      commands.join("\n"),
    ).toBe(true);
    expect(
      commands.some((command) => command.includes(path.join(dataDir, "postgres"))),
      commands.join("\n"),
    ).toBe(true);
    expect(
      commands.some((command) => command.includes("src/main.ts --embedded")),
      commands.join("\n"),
    ).toBe(true);
    expect(dev.output()).toContain(`Demo relying party  ${EMBEDDED_DEMO_CLIENT.publicUrl}`);

    for (const check of healthChecks()) {
      const response = await fetch(check.url, { signal: AbortSignal.timeout(10_000) });
      expect(response.status, `${check.name} at ${check.url}`).toBe(200);
      const body: unknown = await response.json();
      if (check.body) expect(body, `${check.name} at ${check.url}`).toEqual(check.body);
    }
    const inbox: unknown = await (await fetch(`http://127.0.0.1:${MAIL.inbox}/api/email`)).json();
    expect(Array.isArray(inbox)).toBe(true);

    // The seeded admin signs in through IAM Kratos' API (the native-app login flow).
    const iamKratos = `http://127.0.0.1:${SERVICE_PORTS.iam.kratosPublic}`;
    const flow = loginFlow.parse(await (await fetch(`${iamKratos}/self-service/login/api`)).json());
    const login = await fetch(`${iamKratos}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: ADMIN.email, password: ADMIN.password }),
    });
    expect(login.status).toBe(200);
    const { session_token: token, session } = loginResult.parse(await login.json());
    expect(session.active).toBe(true);
    expect(session.identity.traits.email).toBe(ADMIN.email);
    const me = await fetch(`${iamKratos}/sessions/whoami`, { headers: { "x-session-token": token } });
    expect(me.status).toBe(200);
    expect(whoami.parse(await me.json())).toMatchObject({ active: true, identity: { schema_id: "admin", traits: { email: ADMIN.email } } });

    // Ctrl-C: SIGINT to the foreground job's process group.
    const stopped = Date.now();
    process.kill(-(dev.child.pid ?? -1), "SIGINT");
    const left = await waitForSurvivors(snapshot, STOP_TIMEOUT_MS);
    expect(
      left.map((entry) => `${entry.pid} ${entry.command}`),
      `still running ${STOP_TIMEOUT_MS / 1000} s after Ctrl-C:\n${dev.output().slice(-4000)}`,
    ).toEqual([]);
    console.log(`npm run dev stopped in ${((Date.now() - stopped) / 1000).toFixed(1)} s`);

    const busy: number[] = [];
    for (const port of tablePorts()) if (await isListening(port)) busy.push(port);
    expect(busy, "ports still accepting connections after Ctrl-C").toEqual([]);
  } finally {
    // A failed run must not leave the platform holding the fixed ports for the next suite.
    const everything = [...snapshot, ...processTree(dev.child.pid ?? -1)];
    if (survivors(everything).length > 0) {
      try {
        process.kill(-(dev.child.pid ?? -1), "SIGINT");
      } catch {
        // the group is gone
      }
      await waitForSurvivors(everything, STOP_TIMEOUT_MS);
      killSurvivors(everything);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
});
