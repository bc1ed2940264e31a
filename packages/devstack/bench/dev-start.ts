/**
 * `npm run bench:dev-start -w @olympus/devstack` (and the last part of its
 * `npm run bench` when the fixed ports are free): the root `npm run dev`,
 * exactly as a developer types it — turbo, the dev stack, and the four
 * Next.js dev servers plus the demo app — timed from the command to the dev
 * stack's `ready` line:
 *  - fresh clone: a new data directory and new Next.js build caches (the
 *    apps' dist dirs, where Turbopack keeps its cache), so the first compile
 *    of every app instance is included; goal ≤ 30 s;
 *  - warm restart: the same command again on that data and those caches,
 *    BENCH_WARM_RUNS times (3 unless set), judged by the median; goal ≤ 8 s.
 * It binds the fixed ports (3000–4103, 5432, 1025, 1080), so it runs only
 * when every one of them is free, and it never touches a developer's own
 * `.olympus/` or `.next-dev-*` caches: its data lives in a temporary
 * directory and its caches in `apps/<app>/.next-bench-*`, removed afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { DOMAINS, SERVICE_PORTS } from "@olympus/runtime-config/config";
import { EMBEDDED_DEMO_CLIENT, withoutDomainVariables } from "../src/embedded-defaults";
import { DEFAULT_PORTS } from "../src/options";

const REPO_DIR = path.resolve(import.meta.dirname, "..", "..", "..");
const READY_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 60_000;
const DIST_DIR_PREFIX = ".next-bench";
const FRESH_GOAL_S = 30;
const WARM_GOAL_S = 8;
const WARM_RUNS = Math.max(1, Number.parseInt(process.env.BENCH_WARM_RUNS ?? "3", 10) || 3);

export interface DevStartResult {
  /** Why it did not run, when it did not. */
  skipped?: string;
  fresh?: Timed;
  /** Every warm restart, in the order they ran. */
  warm?: Timed[];
}

interface Timed {
  /** From spawning `npm run dev` to the `ready` line. */
  seconds: number;
  /** The banner's own line: time since the dev stack's process started, and its phases. */
  banner: string;
  /** From Ctrl-C to the whole command's exit (the apps write their compile caches then). */
  stopSeconds: number;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function fixedPorts(): number[] {
  const perDomain = DOMAINS.flatMap((domain) => Object.values(SERVICE_PORTS[domain]));
  return [...perDomain, EMBEDDED_DEMO_CLIENT.port, DEFAULT_PORTS.smtp, DEFAULT_PORTS.inbox, DEFAULT_PORTS.postgres];
}

/** A developer's shell: none of the variables tests use to move or trim the stack. */
function developerEnv(dataDir: string): NodeJS.ProcessEnv {
  const env = withoutDomainVariables(process.env);
  for (const name of Object.keys(env)) {
    if (/^OLYMPUS_/.test(name) || /_(KRATOS|HYDRA)_DSN$/.test(name)) delete env[name];
  }
  return { ...env, OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_DIST_DIR_PREFIX: DIST_DIR_PREFIX };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs `npm run dev` until its `ready` line, then Ctrl-C (SIGINT to its process group) and waits for it to end. */
async function timeDevCommand(dataDir: string): Promise<Timed> {
  const { seconds, banner, stopSeconds } = await runDevCommand(dataDir);
  // Each run on stderr as it ends: a long bench shows progress, and a disturbed run shows which.
  process.stderr.write(`dev-start: ready in ${seconds.toFixed(1)} s, stopped in ${stopSeconds.toFixed(1)} s; ${banner}\n`);
  return { seconds, banner, stopSeconds };
}

async function runDevCommand(dataDir: string): Promise<Timed> {
  const started = performance.now();
  // Its own process group, as a shell gives a foreground job.
  const child = spawn("npm", ["run", "dev"], {
    cwd: REPO_DIR,
    env: developerEnv(dataDir),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopSeconds: number;
  let ready: { seconds: number; banner: string };
  try {
    const seconds = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += stripVTControlCharacters(chunk.toString());
        if (/^@olympus\/devstack:dev: ready$/m.test(log)) resolve((performance.now() - started) / 1000);
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code, signal) =>
        reject(new Error(`npm run dev exited (${signal ?? code}) before "ready":\n${log.slice(-4000)}`)),
      );
      setTimeout(
        () => reject(new Error(`npm run dev not ready after ${READY_TIMEOUT_MS / 1000} s:\n${log.slice(-4000)}`)),
        READY_TIMEOUT_MS,
      ).unref();
    });
    const banner = /Olympus dev stack — (ready in [^\n]*)/.exec(log)?.[1] ?? "(no timing in the banner)";
    ready = { seconds, banner };
  } finally {
    const stopping = performance.now();
    signalGroup(child, "SIGINT");
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STOP_TIMEOUT_MS))]);
    if (!stopped) {
      signalGroup(child, "SIGKILL");
      await exited;
    }
    stopSeconds = (performance.now() - stopping) / 1000;
  }
  return { ...ready, stopSeconds };
}

async function removeBenchCaches(): Promise<void> {
  for (const app of ["hera", "athena"]) {
    for (const domain of DOMAINS)
      await rm(path.join(REPO_DIR, "apps", app, `${DIST_DIR_PREFIX}-${domain}`), { recursive: true, force: true });
  }
}

export async function measureDevStart(): Promise<DevStartResult> {
  const busy: number[] = [];
  for (const port of fixedPorts()) if (await listening(port)) busy.push(port);
  if (busy.length > 0) return { skipped: `ports in use: ${busy.join(", ")} (stop the running dev stack or e2e run first)` };
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-dev-start-"));
  await removeBenchCaches();
  try {
    const fresh = await timeDevCommand(dataDir);
    const warm: Timed[] = [];
    for (let run = 0; run < WARM_RUNS; run++) warm.push(await timeDevCommand(dataDir));
    return { fresh, warm };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await removeBenchCaches();
  }
}

/** The middle run by time (the upper middle of an even count), so one disturbed run moves nothing. */
function medianRun(runs: readonly Timed[]): Timed | undefined {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)];
}

export function describeDevStart(result: DevStartResult): string[] {
  const warm = result.warm && medianRun(result.warm);
  if (result.skipped || !result.fresh || !result.warm || !warm) return [`npm run dev: not measured — ${result.skipped ?? "no result"}`];
  const verdict = (seconds: number, goal: number) => `goal ≤ ${goal} s: ${seconds <= goal ? "met" : "NOT met"}`;
  const runs = result.warm.map((run) => `${run.seconds.toFixed(1)} s`).join(", ");
  return [
    `npm run dev, fresh clone → ready (new data dir, new Next.js caches, first compile of every app)  ${result.fresh.seconds.toFixed(1)} s — ${verdict(result.fresh.seconds, FRESH_GOAL_S)}`,
    `    banner: ${result.fresh.banner}`,
    `npm run dev, warm restart → ready (same data and caches; median of ${result.warm.length}: ${runs})   ${warm.seconds.toFixed(1)} s — ${verdict(warm.seconds, WARM_GOAL_S)}`,
    `    banner of the median run: ${warm.banner}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of describeDevStart(await measureDevStart())) console.log(line);
}
