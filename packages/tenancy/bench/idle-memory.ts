/**
 * Idle memory of one embedded tenant: starts a tenant (both domains, apps
 * when built), waits until it is idle, and prints its process tree's PSS
 * (/proc/<pid>/smaps_rollup) beside the cookbook's 500 MB per tenant. The
 * target is "well under half": at most 250 MB.
 *
 *   npm run bench -w @olympus/tenancy [-- --no-apps] [-- --idle-seconds 30]
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedTenant, stopEmbeddedTenant } from "../src/embedded/control";
import { embeddedFiles, embeddedSecrets } from "../src/embedded/create";
import { treePssKb } from "../src/embedded/memory";
import { unbuiltApps } from "../src/embedded/repository";
import { writeFiles } from "../src/generate";
import { portBlock } from "../src/ports";
import { withTenant, writeRegistry } from "../src/registry";
import { generateSecrets } from "../src/secrets";
import { tenantSchema } from "../src/tenant";

const COOKBOOK_MB = 500;
const TARGET_MB = 250;
// A slot of its own: no test suite uses it.
const SLOT = 190;

const { values } = parseArgs({ options: { "no-apps": { type: "boolean" }, "idle-seconds": { type: "string" } } });
const apps = values["no-apps"] !== true;
const idleSeconds = Number(values["idle-seconds"] ?? "30");

const root = await mkdtemp(join(tmpdir(), "olympus-tenant-bench-"));
const tenant = tenantSchema.parse({
  name: "bench",
  domains: ["ciam", "iam"],
  parentDomain: "localhost",
  slot: SLOT,
  target: "embedded",
  version: "bench",
  createdAt: new Date().toISOString(),
});
await writeRegistry(root, withTenant({ version: 1, tenants: [] }, tenant));
await writeFiles(join(root, tenant.name), embeddedFiles(tenant, embeddedSecrets(generateSecrets(tenant.domains))));
const missing = apps ? unbuiltApps() : [];
try {
  const started = Date.now();
  const state = await startEmbeddedTenant(root, tenant.name, { apps, timeoutMs: 180_000 });
  if (state.status !== "ready") throw new Error(`the tenant did not start: ${state.notes.join("; ")}`);
  // Warm each app once (a real tenant has served pages), then let it settle.
  const block = portBlock(SLOT);
  if (apps)
    for (const domain of ["ciam", "iam"] as const)
      for (const app of ["hera", "athena"] as const)
        await fetch(`http://127.0.0.1:${block[domain][app]}/api/health?ready=1`, { signal: AbortSignal.timeout(30_000) }).catch(
          () => undefined,
        );
  console.log(`started in ${((Date.now() - started) / 1000).toFixed(1)} s; idling ${idleSeconds} s…`);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const { totalKb, processes } = await treePssKb([state.supervisorPid]);
  const names = new Map(state.processes.map((p) => [p.pid, p.name]));
  for (const p of processes) {
    const comm = (await readFile(`/proc/${p.pid}/comm`, "utf8").catch(() => "?")).trim();
    console.log(`  ${String(p.pid).padStart(7)}  ${(p.pssKb / 1024).toFixed(1).padStart(7)} MB  ${names.get(p.pid) ?? comm}`);
  }
  const mb = totalKb / 1024;
  const startedApps = state.processes.filter((p) => /-(hera|athena)$/.test(p.name)).map((p) => p.name);
  const ran =
    ["Postgres", "2×Kratos", "2×Hydra", ...startedApps].join(", ") + (missing.length > 0 ? `; not built: ${missing.join(", ")}` : "");
  console.log(`\nIdle PSS of one embedded tenant (${ran}): ${mb.toFixed(0)} MB`);
  console.log(`Cookbook: ${COOKBOOK_MB} MB per tenant. Target ≤ ${TARGET_MB} MB: ${mb <= TARGET_MB ? "met" : "not met"}.`);
} finally {
  await stopEmbeddedTenant(root, tenant.name);
  await rm(root, { recursive: true, force: true });
}
