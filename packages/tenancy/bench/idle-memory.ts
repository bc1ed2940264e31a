/**
 * Idle memory of one embedded tenant: starts a tenant (both domains unless
 * --domains ciam, apps when built), waits until it is idle, and prints its process tree's PSS
 * (/proc/<pid>/smaps_rollup) beside the cookbook's 500 MB per tenant. The
 * target is "well under half": at most 250 MB.
 *
 * Each app is warmed with its readiness answer and six renders of its sign-in page (their times are printed).
 *
 *   npm run bench -w @olympus/tenancy [-- --no-apps] [-- --idle-seconds 30] [-- --domains ciam]
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedTenant, stopEmbeddedTenant } from "../src/embedded/control";
import { embeddedFiles } from "../src/embedded/create";
import { treePssKb } from "../src/embedded/memory";
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
  options: { "no-apps": { type: "boolean" }, "idle-seconds": { type: "string" }, domains: { type: "string" } },
});
const domains = parseDomains(values.domains ?? "ciam,iam");
if (!domains) throw new Error('--domains must be "ciam" or "ciam,iam"');
const apps = values["no-apps"] !== true;
const idleSeconds = Number(values["idle-seconds"] ?? "30");

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

let heraCookie = "";
/** A fresh login flow through Hera's same-origin Kratos proxy: the path of its sign-in page, its CSRF cookie kept. */
async function heraLoginPath(origin: string): Promise<string> {
  const started = await get(origin, "/.ory/kratos/self-service/login/browser");
  heraCookie = started.cookies.map((c) => c.split(";")[0]).join("; ");
  const location = new URL(started.location, origin);
  return `${location.pathname}${location.search}`;
}

/** Milliseconds of `count` renders of one page (each must answer 200). */
async function pageTimes(origin: string, path: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const answer = await get(origin, path, origin.includes("//admin.") ? "" : heraCookie);
    times.push(performance.now() - start);
    if (answer.status !== 200) throw new Error(`${origin}${path} answered ${answer.status}`);
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
try {
  const started = Date.now();
  const state = await startEmbeddedTenant(root, tenant.name, { apps, timeoutMs: 180_000 });
  if (state.status !== "ready") throw new Error(`the tenant did not start: ${state.notes.join("; ")}`);
  // Warm each app (a real tenant has served pages): its readiness answer and its sign-in page, each rendered
  // RENDERS times; the renders' times show what a flag slowing the apps' JavaScript costs a visitor.
  console.log(`started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (apps)
    for (const domain of tenant.domains)
      for (const app of ["hera", "athena"] as const) {
        const origin = appOrigin(tenant, domain, app);
        await untilReady(origin);
        const times = await pageTimes(origin, app === "hera" ? await heraLoginPath(origin) : "/signin", RENDERS);
        console.log(
          `  ${domain}-${app} sign-in page: first ${times[0]?.toFixed(0)} ms, median of the rest ${median(times.slice(1)).toFixed(0)} ms`,
        );
      }
  console.log(`idling ${idleSeconds} s…`);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const { totalKb, processes } = await treePssKb([state.supervisorPid]);
  const names = new Map(state.processes.map((p) => [p.pid, p.name]));
  for (const p of processes) {
    const comm = (await readFile(`/proc/${p.pid}/comm`, "utf8").catch(() => "?")).trim();
    const parts = `(anon ${(p.anonKb / 1024).toFixed(1)}, file ${(p.fileKb / 1024).toFixed(1)})`;
    console.log(
      `  ${String(p.pid).padStart(7)}  ${(p.pssKb / 1024).toFixed(1).padStart(7)} MB ${parts.padEnd(24)} ${names.get(p.pid) ?? comm}`,
    );
  }
  const mb = totalKb / 1024;
  const startedApps = state.processes.filter((p) => /-(hera|athena)$/.test(p.name)).map((p) => p.name);
  const ran =
    ["Postgres", `${domains.length}×Kratos`, `${domains.length}×Hydra`, ...startedApps].join(", ") +
    (missing.length > 0 ? `; not built: ${missing.join(", ")}` : "");
  console.log(`\nIdle PSS of one embedded tenant (${ran}): ${mb.toFixed(0)} MB`);
  console.log(`Cookbook: ${COOKBOOK_MB} MB per tenant. Target ≤ ${TARGET_MB} MB: ${mb <= TARGET_MB ? "met" : "not met"}.`);
} finally {
  await stopEmbeddedTenant(root, tenant.name);
  await rm(root, { recursive: true, force: true });
}
