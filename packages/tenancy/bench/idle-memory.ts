/**
 * Idle memory of one embedded tenant: starts a tenant (both domains unless
 * --domains ciam, apps when built), waits until it is idle, and prints its process tree's PSS
 * (/proc/<pid>/smaps_rollup) beside the cookbook's 500 MB per tenant. The
 * target is "well under half": at most 250 MB.
 *
 * Each app is warmed with its readiness answer and six renders of its sign-in page (their times are printed).
 * Two figures side by side: every app awake (warmed, then idle), and every app asleep (after the app idle
 * timeout, app-gate.ts); then what sleeping costs a visitor: the first render of each sign-in page on a
 * sleeping app (the app starts for it) beside the renders that follow.
 *
 *   npm run bench -w @olympus/tenancy [-- --no-apps] [-- --idle-seconds 30] [-- --app-idle-timeout 60s] [-- --domains ciam]
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedTenant, stopEmbeddedTenant } from "../src/embedded/control";
import { embeddedFiles } from "../src/embedded/create";
import { treePssKb } from "../src/embedded/memory";
import { parseAppIdleTimeout } from "../src/embedded/app-idle";
import { readRunState } from "../src/embedded/state";
import { appOrigin } from "../src/embedded/render";
import { unbuiltApps } from "../src/embedded/repository";
import { writeFiles } from "../src/generate";
import { withTenant, writeRegistry } from "../src/registry";
import { generateSecrets } from "../src/secrets";
import { parseDomains, tenantSchema } from "../src/tenant";

const COOKBOOK_MB = 500;
const RENDERS = 6;
const TARGET_MB = 250;
// A slot of its own: no test suite uses it.
const SLOT = 190;

const { values } = parseArgs({
  options: {
    "no-apps": { type: "boolean" },
    "idle-seconds": { type: "string" },
    "app-idle-timeout": { type: "string" },
    domains: { type: "string" },
  },
});
const domains = parseDomains(values.domains ?? "ciam,iam");
if (!domains) throw new Error('--domains must be "ciam" or "ciam,iam"');
const apps = values["no-apps"] !== true;
const idleSeconds = Number(values["idle-seconds"] ?? "30");
// Longer than the awake idle period (and the warm-up), so the first figure is of awake apps.
const appIdleTimeout = values["app-idle-timeout"] ?? "60s";

/** One GET at the app's port with the browser's Host (its *.localhost origin), without following redirects. */
function get(origin: string, path: string, cookie = ""): Promise<{ status: number; location: string; cookies: string[] }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: url.port, path, headers: { host: url.host, ...(cookie ? { cookie } : {}) }, timeout: 30_000 },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? "", cookies: res.headers["set-cookie"] ?? [] }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Each Hera's login flow cookie (its CSRF token), by origin: a flow renders only with its own. */
const heraCookies = new Map<string, string>();
/** A fresh login flow through Hera's same-origin Kratos proxy: the path of its sign-in page, its CSRF cookie kept. */
async function heraLoginPath(origin: string): Promise<string> {
  const started = await get(origin, "/.ory/kratos/self-service/login/browser");
  heraCookies.set(origin, started.cookies.map((c) => c.split(";")[0]).join("; "));
  const location = new URL(started.location, origin);
  return `${location.pathname}${location.search}`;
}

/** Milliseconds of `count` renders of one page (each must answer 200). */
async function pageTimes(origin: string, path: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const answer = await get(origin, path, heraCookies.get(origin) ?? "");
    times.push(performance.now() - start);
    if (answer.status !== 200) throw new Error(`${origin}${path} answered ${answer.status} ${answer.location}`);
  }
  return times;
}

/** Polls the app's readiness answer (its dependencies may still be starting) for at most 60 s. */
async function untilReady(origin: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status } = await get(origin, "/api/health?ready=1");
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${origin} is not ready (HTTP ${status})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const root = await mkdtemp(join(tmpdir(), "olympus-tenant-bench-"));
const tenant = tenantSchema.parse({
  name: "bench",
  domains,
  parentDomain: "localhost",
  slot: SLOT,
  target: "embedded",
  version: "bench",
  createdAt: new Date().toISOString(),
});
await writeRegistry(root, withTenant({ version: 1, tenants: [] }, tenant));
await writeFiles(join(root, tenant.name), embeddedFiles(tenant, generateSecrets(tenant.domains)));
const missing = apps ? unbuiltApps() : [];
/** Each app's sign-in page (Hera's with its login flow, whose CSRF cookie is kept), rendered again once it sleeps. */
const signIn = new Map<string, { origin: string; path: string }>();

/** The tenant's process tree's PSS in MB, each process printed. */
async function measure(label: string): Promise<number> {
  const state = await readRunState(join(root, tenant.name));
  const { totalKb, processes } = await treePssKb([state?.supervisorPid ?? 0]);
  const names = new Map((state?.processes ?? []).map((p) => [p.pid, p.name]));
  console.log(`${label}:`);
  for (const p of processes) {
    const comm = (await readFile(`/proc/${p.pid}/comm`, "utf8").catch(() => "?")).trim();
    const parts = `(anon ${(p.anonKb / 1024).toFixed(1)}, file ${(p.fileKb / 1024).toFixed(1)})`;
    console.log(
      `  ${String(p.pid).padStart(7)}  ${(p.pssKb / 1024).toFixed(1).padStart(7)} MB ${parts.padEnd(24)} ${names.get(p.pid) ?? comm}`,
    );
  }
  return totalKb / 1024;
}

/** Until the run state reports every app asleep (the timeout, plus up to a minute for the stops). */
async function untilAsleep(directory: string): Promise<void> {
  const deadline = Date.now() + (parseAppIdleTimeout(appIdleTimeout) ?? 0) + 60_000;
  for (;;) {
    const apps = Object.values((await readRunState(directory))?.apps ?? {});
    if (apps.length > 0 && apps.every((app) => app.phase === "sleeping")) return;
    if (Date.now() > deadline) throw new Error(`the apps did not sleep: ${apps.map((app) => app.phase).join(", ")}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

try {
  const started = Date.now();
  const state = await startEmbeddedTenant(root, tenant.name, { apps, appIdleTimeout, timeoutMs: 180_000 });
  if (state.status !== "ready") throw new Error(`the tenant did not start: ${state.notes.join("; ")}`);
  // Warm each app (a real tenant has served pages): its readiness answer and its sign-in page, each rendered
  // RENDERS times; the renders' times show what a flag slowing the apps' JavaScript costs a visitor.
  console.log(`started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (apps)
    for (const domain of tenant.domains)
      for (const app of (["hera", "athena"] as const).filter((a) => !missing.includes(a))) {
        const origin = appOrigin(tenant, domain, app);
        await untilReady(origin);
        const path = app === "hera" ? await heraLoginPath(origin) : "/signin";
        signIn.set(`${domain}-${app}`, { origin, path });
        const times = await pageTimes(origin, path, RENDERS);
        console.log(
          `  ${domain}-${app} sign-in page: first ${times[0]?.toFixed(0)} ms, median of the rest ${median(times.slice(1)).toFixed(0)} ms`,
        );
      }
  console.log(`idling ${idleSeconds} s…`);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const awake = await measure("every app awake");
  let asleep = awake;
  const cold: string[] = [];
  if (apps && signIn.size > 0) {
    console.log(`waiting for the apps to sleep (app idle timeout ${appIdleTimeout})…`);
    await untilAsleep(join(root, tenant.name));
    // What the sleeping apps' processes returned has left the tree; give the rest a moment to settle.
    await new Promise((r) => setTimeout(r, 5000));
    asleep = await measure("every app asleep");
    for (const [name, { origin, path }] of signIn) {
      const times = await pageTimes(origin, path, RENDERS);
      cold.push(
        `  ${name} sign-in page: first render on a sleeping app ${times[0]?.toFixed(0)} ms (starts it), then median ${median(times.slice(1)).toFixed(0)} ms`,
      );
    }
  }
  const startedApps = state.processes.filter((p) => /-(hera|athena)$/.test(p.name)).map((p) => p.name);
  const ran =
    ["Postgres", `${domains.length}×Kratos`, `${domains.length}×Hydra`, ...startedApps].join(", ") +
    (missing.length > 0 ? `; not built: ${missing.join(", ")}` : "");
  const verdict = (mb: number) => (mb <= TARGET_MB ? "met" : "not met");
  console.log(`\nIdle PSS of one embedded tenant (${ran}):`);
  console.log(`  apps awake (warmed, ${idleSeconds} s idle): ${awake.toFixed(0)} MB — target ≤ ${TARGET_MB} MB ${verdict(awake)}`);
  if (asleep !== awake)
    console.log(
      `  apps asleep (after ${appIdleTimeout} without a visit): ${asleep.toFixed(0)} MB — target ≤ ${TARGET_MB} MB ${verdict(asleep)}`,
    );
  console.log(`Cookbook: ${COOKBOOK_MB} MB per tenant.`);
  for (const line of cold) console.log(line);
} finally {
  await stopEmbeddedTenant(root, tenant.name);
  await rm(root, { recursive: true, force: true });
}
