/**
 * `npm run bench -w @olympus/hera`: the login page's cost to a browser and to the server.
 *
 *  - first-load JavaScript of /login, gzip: every script the server-rendered
 *    page references, fetched and gzipped (target ≤ 150 kB); and, apart,
 *    the chunks those scripts load on their own once they run (Ory Elements,
 *    which hydrates the server-rendered form after the page's first load);
 *  - server render time of /login with a fresh flow, p50/p95 over N renders:
 *    each round creates a new login flow through Hera (not timed), then times
 *    GET /login?flow=<id>, which fetches that flow from Kratos and renders it
 *    (target p95 ≤ 100 ms).
 *
 * Uses the production build (`next build` first if there is none), started
 * with `next start` on a free port. Kratos comes from a running dev stack
 * (npm run dev) or, if none answers, from one started here and stopped after.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { embeddedAppEnv, withoutDomainVariables } from "@olympus/devstack/defaults";
import { preparedStandaloneServer, standaloneDir } from "@olympus/devstack/next-standalone";

const ROUNDS = Number(process.env.HERA_BENCH_ROUNDS ?? 60);
const WARMUP = 5;
const APP_DIR = path.resolve(import.meta.dirname, "..");
const REPO_DIR = path.resolve(APP_DIR, "..", "..");
const NEXT_BIN = path.join(REPO_DIR, "node_modules", "next", "dist", "bin", "next");
const KRATOS_HEALTH = "http://127.0.0.1:3100/health/ready";

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  if (!existsSync(path.join(standaloneDir("hera", REPO_DIR), "server.js"))) {
    console.log("bench: no production (standalone) build yet; running next build…");
    await run(process.execPath, [NEXT_BIN, "build"], { cwd: APP_DIR });
  }
  await ensureKratos();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await startHera(port);

  const login = await freshLoginFlow(base);
  const loginJs = await firstLoadJs(base, `/login?flow=${login.flowId}`, login.cookie);
  // The floor under it: Hera's landing page, which renders no Ory Elements —
  // what Next.js and React alone cost every page of this build.
  const floorJs = await firstLoadJs(base, "/");

  const timings: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const flow = await freshLoginFlow(base);
    const started = performance.now();
    const response = await fetch(`${base}/login?flow=${flow.flowId}`, { headers: { cookie: flow.cookie } });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`GET /login?flow= answered ${response.status}`);
    if (i >= WARMUP) timings.push(elapsed);
  }
  timings.sort((a, b) => a - b);
  const pct = (p: number) => timings[Math.min(timings.length - 1, Math.ceil((p / 100) * timings.length) - 1)] ?? Number.NaN;

  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log("");
  console.log("hera bench — /login (CIAM, production build)");
  console.log(`  first-load JS   ${kb(loginJs.gzip)} gzip (${kb(loginJs.raw)} raw, ${loginJs.scripts} scripts)   target ≤ 150 kB gzip`);
  console.log(
    `    floor: /      ${kb(floorJs.gzip)} gzip (Next.js + React, no Ory Elements) → the form's own scripts add ${kb(loginJs.gzip - floorJs.gzip)}`,
  );
  console.log(
    `  loaded after    ${kb(loginJs.deferred.gzip)} gzip (${loginJs.deferred.scripts} chunks the page's scripts fetch once they run: Ory Elements, hydrating the form)`,
  );
  console.log(
    `  server render   p50 ${pct(50).toFixed(1)} ms   p95 ${pct(95).toFixed(1)} ms   (${ROUNDS} fresh flows)   target p95 ≤ 100 ms`,
  );
}

interface FirstLoadJs {
  gzip: number;
  raw: number;
  scripts: number;
  /** Chunks named inside the first-load scripts (dynamic imports) and not among them. */
  deferred: { gzip: number; scripts: number };
}

/** Script chunk paths a bundle names (Turbopack's dynamic imports load `static/chunks/<name>.js`). */
const CHUNK_PATH = /static\/chunks\/[\w.-]+\.js/g;

/** Every script a modern browser loads for the server-rendered page at `pathname` (noModule polyfills skipped), gzipped. */
async function firstLoadJs(base: string, pathname: string, cookie = ""): Promise<FirstLoadJs> {
  const html = await (await fetch(`${base}${pathname}`, { headers: { cookie } })).text();
  const sources = [
    ...new Set([...html.matchAll(/<script([^>]*)\ssrc="([^"]+)"[^>]*>/g)].filter((m) => !/nomodule/i.test(m[0])).map((m) => m[2] ?? "")),
  ].filter(Boolean);
  let raw = 0;
  let gzip = 0;
  const loaded = new Set(sources.map((src) => new URL(src, base).pathname));
  const named = new Set<string>();
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
    for (const [chunk] of body.toString("utf8").matchAll(CHUNK_PATH)) named.add(`/_next/${chunk}`);
  }
  const deferred = { gzip: 0, scripts: 0 };
  for (const chunk of named) {
    if (loaded.has(chunk)) continue;
    const response = await fetch(new URL(chunk, base));
    if (!response.ok) continue;
    deferred.gzip += gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length;
    deferred.scripts += 1;
  }
  return { gzip, raw, scripts: sources.length, deferred };
}

/** Creates a login flow the way a browser does (Hera's start route) and returns its id and cookies. */
async function freshLoginFlow(base: string): Promise<{ flowId: string; cookie: string }> {
  const response = await fetch(`${base}/self-service/login/browser`, { redirect: "manual" });
  const location = response.headers.get("location") ?? "";
  const flowId = new URL(location, base).searchParams.get("flow");
  if (response.status !== 303 || !flowId) throw new Error(`flow start answered ${response.status} → ${location}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { flowId, cookie };
}

async function ensureKratos(): Promise<void> {
  if (await healthy(KRATOS_HEALTH)) {
    console.log("bench: using the running dev stack's Kratos");
    return;
  }
  console.log("bench: starting a dev stack (backend only)…");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "olympus-hera-bench-"));
  const stack = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: path.join(REPO_DIR, "packages", "devstack"),
    env: { ...withoutDomainVariables(process.env), NODE_ENV: "production", OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_APPS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(stack);
  cleanups.push(async () => {
    await stop(stack);
    await rm(dataDir, { recursive: true, force: true });
  });
  let log = "";
  stack.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  stack.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 180_000;
  while (!/^ready$/m.test(log)) {
    if (stack.exitCode !== null || Date.now() > deadline) throw new Error(`dev stack did not start:\n${log}`);
    await sleep(250);
  }
}

async function startHera(port: number): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...withoutDomainVariables(process.env),
    ...embeddedAppEnv("ciam", "hera", port),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The build's standalone server, as the Docker image and the journeys run it (it reads PORT and HOSTNAME).
  const server = preparedStandaloneServer("hera", REPO_DIR);
  if (!server) throw new Error("apps/hera has no standalone build");
  const hera = spawn(process.execPath, [server], {
    cwd: standaloneDir("hera", REPO_DIR),
    env: { ...env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: "ignore",
  });
  children.push(hera);
  cleanups.push(() => stop(hera));
  const deadline = Date.now() + 60_000;
  while (!(await healthy(`http://127.0.0.1:${port}/api/health`))) {
    if (hera.exitCode !== null || Date.now() > deadline) throw new Error("hera did not start");
    await sleep(200);
  }
}

function healthy(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

function run(command: string, args: string[], options: { cwd: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}`))));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main()
  .catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
