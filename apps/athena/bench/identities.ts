/**
 * `npm run bench -w athena`: seeds 100,000 CIAM identities into a CIAM
 * Kratos (embedded, on a throwaway PostgreSQL) through its admin API, starts
 * the built Athena CIAM against it, and measures the identities page as an
 * admin sees it: p50/p95 server time per page (walking the pages) and the
 * time of a search by email. Targets: p95 < 100 ms per page, search < 50 ms.
 *
 *   BENCH_IDENTITIES=20000 npm run bench -w athena     (a smaller run)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import { startEmbeddedKratos } from "@olympus/embedded-kratos";
import { layOutTestOlympusDatabase } from "@olympus/sdk/olympus-db/testing";
import { freePort, startTestPostgres } from "@olympus/test-postgres";

const APP_DIR = path.resolve(import.meta.dirname, "..");
const REPO_DIR = path.resolve(APP_DIR, "..", "..");
const NEXT_BIN = path.join(REPO_DIR, "node_modules", "next", "dist", "bin", "next");
const TOTAL = Number(process.env.BENCH_IDENTITIES ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 24);
const PAGE_SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 60);
const SEARCH_SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES ?? 60);
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123456789";
const AUTH_SECRET = "bench-auth-secret-0123456789abcdef0123456789";

const log = (line: string) => process.stdout.write(`${line}\n`);
const emailOf = (i: number) => `bench-${String(i).padStart(6, "0")}@example.com`;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summary(name: string, samples: number[], target: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  return `${name.padEnd(34)} n=${String(samples.length).padEnd(4)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms   target p95 < ${target} ms: ${p95 < target ? "met" : "MISSED"}`;
}

async function seed(adminUrl: string): Promise<void> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      const response = await fetch(`${adminUrl}/admin/identities`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({
          schema_id: "customer",
          state: i % 10 === 0 ? "inactive" : "active",
          traits: { email: emailOf(i), name: { first: "Bench", last: `Customer ${i}` } },
        }),
      });
      if (response.status !== 201) throw new Error(`seeding identity ${i}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      done++;
      if (done % 10_000 === 0) log(`  seeded ${done.toLocaleString("en")} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`athena exited early:\n${output()}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`athena did not become healthy:\n${output()}`);
}

/** GETs an Athena page as the admin; returns the time to the full response body. */
async function timedGet(url: string, cookie: string): Promise<{ ms: number; html: string }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { Cookie: cookie }, redirect: "manual" });
  const html = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return { ms, html };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(APP_DIR, ".next", "BUILD_ID"))) {
    log("athena: no production build yet; running next build…");
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: APP_DIR, stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }

  log(`bench: ${TOTAL.toLocaleString("en")} CIAM identities through the Kratos admin API (concurrency ${CONCURRENCY})`);
  const pg = await startTestPostgres();
  const cleanups: (() => Promise<void>)[] = [() => pg.stop()];
  try {
    const kratosDsn = await pg.createDatabase("ciam_kratos");
    // Laid out and migrated as the migration step does; Athena CIAM logs in as its own role.
    const olympusDsn = (await layOutTestOlympusDatabase(pg)).ciam;
    const kratos = await startEmbeddedKratos({
      configPath: path.join(REPO_DIR, "platform", "dev", "ciam-kratos", "kratos.yml"),
      dsn: kratosDsn,
      publicPort: 0,
      adminPort: 0,
      adminToken: ADMIN_TOKEN,
      log: () => {},
    });
    cleanups.unshift(() => kratos.close());
    const adminUrl = kratos.adminUrl.replace(/\/$/, "");

    const seedStart = performance.now();
    await seed(adminUrl);
    log(`  seeded ${TOTAL.toLocaleString("en")} identities in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const port = await freePort();
    const publicUrl = `http://ciam.localhost:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DOMAIN: "ciam",
      OLYMPUS_ENV: "development",
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      KRATOS_PUBLIC_URL: kratos.publicUrl.replace(/\/$/, ""),
      KRATOS_ADMIN_URL: adminUrl,
      // The identities page never calls Hydra; nothing listens here.
      HYDRA_PUBLIC_URL: "http://127.0.0.1:9",
      HYDRA_ADMIN_URL: "http://127.0.0.1:9",
      COOKIE_SECRET: "bench-cookie-secret-0123456789abcdef01234",
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      AUTH_ISSUER_URL: "http://iam.localhost:4102/",
      AUTH_CLIENT_ID: "iam-athena-ciam",
      AUTH_CLIENT_SECRET: "bench-client-secret-0123456789",
      AUTH_SECRET,
      ENCRYPTION_KEY: "bench-encryption-key-0123456789abcdef0123",
      OLYMPUS_DATABASE_URL: olympusDsn,
    };
    const child = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"], { cwd: APP_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    cleanups.unshift(
      () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    );
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base, child, () => output);

    // An admin session minted with Athena's own secret: the bench measures pages, not the IAM sign-in.
    const token = await encode({
      secret: AUTH_SECRET,
      token: { sub: "bench-admin", email: "bench@olympus.local", name: "Bench", role: "admin", authTime: Math.floor(Date.now() / 1000) },
      maxAge: 30 * 60,
    });
    const cookie = `athena.session=${token}`;

    // Warm up the route (first compile of the server bundle, connection pools).
    for (let i = 0; i < 5; i++) await timedGet(`${base}/identities?size=50`, cookie);

    const pageTimes: number[] = [];
    let url = `${base}/identities?size=50`;
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      const { ms, html } = await timedGet(url, cookie);
      pageTimes.push(ms);
      const next = /href="(\/identities\?[^"]*cursor=[^"]+)"[^>]*rel="next"/.exec(html)?.[1] ?? /rel="next"[^>]*href="(\/identities\?[^"]*)"/.exec(html)?.[1];
      url = next ? `${base}${next.replace(/&amp;/g, "&")}` : `${base}/identities?size=50`;
    }

    const searchTimes: number[] = [];
    for (let i = 0; i < SEARCH_SAMPLES; i++) {
      const email = emailOf(Math.floor(Math.random() * TOTAL));
      const { ms, html } = await timedGet(`${base}/identities?q=${encodeURIComponent(email)}`, cookie);
      if (!html.includes(email)) throw new Error(`search for ${email} did not find it`);
      searchTimes.push(ms);
    }

    // For context: the Kratos admin calls alone, without Athena's session check and render.
    const kratosPageTimes: number[] = [];
    let pageToken: string | undefined;
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      const started = performance.now();
      const r = await fetch(`${adminUrl}/admin/identities?page_size=50${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ""}`, {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      await r.arrayBuffer();
      kratosPageTimes.push(performance.now() - started);
      pageToken = /page_token=([^&>]+)[^,]*rel="next"/.exec(r.headers.get("link") ?? "")?.[1];
      if (pageToken) pageToken = decodeURIComponent(pageToken);
    }
    const kratosTimes: number[] = [];
    for (let i = 0; i < SEARCH_SAMPLES; i++) {
      const started = performance.now();
      const r = await fetch(`${adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(emailOf(Math.floor(Math.random() * TOTAL)))}`, {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      await r.arrayBuffer();
      kratosTimes.push(performance.now() - started);
    }

    log("");
    log(`Athena identities page, ${TOTAL.toLocaleString("en")} CIAM identities (server time = full response on loopback):`);
    log(summary("page of 50 (walking next pages)", pageTimes, 100));
    log(summary("search by email (page with result)", searchTimes, 50));
    log(summary("  Kratos list page of 50 only", kratosPageTimes, 100));
    log(summary("  Kratos credentials_identifier only", kratosTimes, 50));
    log(`(load average during the run: ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")}, ${(await import("node:os")).cpus().length} CPUs)`);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
