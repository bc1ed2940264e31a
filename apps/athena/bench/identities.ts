/**
 * `npm run bench -w @olympus/athena`: seeds 1,000,000 CIAM identities into a CIAM
 * Kratos (embedded, on a throwaway PostgreSQL) — one template identity made
 * through Kratos' admin API, copied by Postgres (bench/seed-identities.ts;
 * no password is hashed per identity) — then measures, at that size:
 *  - Kratos' admin list: pages of 50 walked with `page_token`, an exact
 *    `credentials_identifier` lookup and a `preview_credentials_identifier_similar`
 *    prefix search, p50/p95;
 *  - the built Athena CIAM's identities page as an admin sees it: p50/p95
 *    server time per page (walking the pages) and a search by email.
 * Goals: page p95 < 100 ms, search p95 < 50 ms.
 *
 *   BENCH_IDENTITIES=100000 npm run bench -w @olympus/athena     (a smaller run)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import { preparedStandaloneServer, standaloneDir } from "@olympus/devstack/next-standalone";
import { startEmbeddedKratos } from "@olympus/embedded-kratos";
import { layOutTestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { freePort, startTestPostgres } from "@olympus/test-postgres";
import pg from "pg";
import { deriveEncryptionKey } from "@olympus/athena-store/settings";
import { SESSION_COOKIE_BASENAME } from "../shared/auth/cookie-names";
import { SESSION_ABSOLUTE_SECONDS } from "../shared/auth/policy";
import { createServerSessions } from "../shared/auth/server-sessions";
import { createSessionRows } from "../shared/auth/session-rows";
import { benchEmail, seedIdentities } from "./seed-identities";

const APP_DIR = path.resolve(import.meta.dirname, "..");
const REPO_DIR = path.resolve(APP_DIR, "..", "..");
const NEXT_BIN = path.join(REPO_DIR, "node_modules", "next", "dist", "bin", "next");
const TOTAL = Number(process.env.BENCH_IDENTITIES ?? 1_000_000);
/** BENCH_ATHENA=0: Kratos' figures only (no Next.js build, no Athena). */
const WITH_ATHENA = process.env.BENCH_ATHENA !== "0";
const PAGE_SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 60);
const SEARCH_SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES ?? 60);
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123456789";
const AUTH_SECRET = "bench-auth-secret-0123456789abcdef0123456789";
const ENCRYPTION_KEY = "bench-encryption-key-0123456789abcdef0123";
/** Athena's longest re-validation window; the measured part of a run is shorter, so IAM is never asked. */
const REVALIDATE_SECONDS = 300;

const log = (line: string) => process.stdout.write(`${line}\n`);
/** One of the seeded identities' emails, at random. */
const randomEmail = () => benchEmail(1 + Math.floor(Math.random() * TOTAL));

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summary(name: string, samples: number[], target: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  return `${name.padEnd(44)} n=${String(samples.length).padEnd(4)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms   target p95 < ${target} ms: ${p95 < target ? "met" : "MISSED"}`;
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`athena exited early:\n${output()}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
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

/**
 * An admin session as Athena's sign-in leaves it — a server-side row in the
 * olympus database (shared/auth/server-sessions.ts, with Athena's own key) and
 * the cookie naming it — so the bench measures pages, not the IAM sign-in.
 * IAM is never asked: the row is fresh for the whole run.
 */
async function adminSessionCookie(olympusDsn: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: olympusDsn, max: 1 });
  try {
    const sessions = createServerSessions({
      rows: createSessionRows({ pool, domain: "ciam", key: deriveEncryptionKey(ENCRYPTION_KEY, "development") }),
      iam: {
        refresh: async () => ({ kind: "rejected", reason: "the bench has no IAM" }),
        revoke: async () => ({ kind: "rejected", reason: "the bench has no IAM" }),
      },
      revalidateSeconds: REVALIDATE_SECONDS,
      absoluteSeconds: SESSION_ABSOLUTE_SECONDS,
    });
    const subject = "bench-admin";
    const sid = await sessions.start({
      subject,
      email: "bench@olympus.local",
      name: "Bench",
      role: "admin",
      refreshToken: "bench",
      idToken: "bench",
    });
    const token = await encode({
      secret: AUTH_SECRET,
      token: { sub: subject, sid, authTime: Math.floor(Date.now() / 1000) },
      maxAge: 30 * 60,
    });
    return `${SESSION_COOKIE_BASENAME}=${token}`;
  } finally {
    await pool.end();
  }
}

/** Kratos' admin list at this size: pages walked with page_token, exact and prefix identifier searches. */
async function measureKratos(adminUrl: string): Promise<string[]> {
  const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const timed = async (pathAndQuery: string): Promise<{ ms: number; response: Response; body: unknown }> => {
    const started = performance.now();
    const response = await fetch(`${adminUrl}${pathAndQuery}`, { headers });
    const body: unknown = await response.json();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status} ${JSON.stringify(body)}`);
    return { ms, response, body };
  };
  for (let i = 0; i < 5; i++) await timed("/admin/identities?page_size=50");
  const pageTimes: number[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < PAGE_SAMPLES; i++) {
    const { ms, response, body } = await timed(
      `/admin/identities?page_size=50${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ""}`,
    );
    if (!Array.isArray(body) || body.length !== 50)
      throw new Error(`page ${i + 1} of the Kratos list has ${Array.isArray(body) ? body.length : "no"} identities`);
    pageTimes.push(ms);
    const next = /<[^>]*[?&]page_token=([^&>]+)[^>]*>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
    if (!next) throw new Error(`page ${i + 1} of the Kratos list has no next page`);
    pageToken = decodeURIComponent(next);
  }
  const exactTimes: number[] = [];
  const prefixTimes: number[] = [];
  for (let i = 0; i < SEARCH_SAMPLES; i++) {
    const email = randomEmail();
    const exact = await timed(`/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
    if (!Array.isArray(exact.body) || exact.body.length !== 1)
      throw new Error(`credentials_identifier=${email} found ${JSON.stringify(exact.body).slice(0, 200)}`);
    exactTimes.push(exact.ms);
    // The first 12 characters of an email: a prefix that matches up to 1,000 identities, as a typing admin's would.
    const prefix = await timed(
      `/admin/identities?page_size=50&preview_credentials_identifier_similar=${encodeURIComponent(email.slice(0, 12))}`,
    );
    prefixTimes.push(prefix.ms);
  }
  return [
    summary("  list, page of 50 (page_token, walking)", pageTimes, 100),
    summary("  credentials_identifier (exact)", exactTimes, 50),
    summary("  preview_credentials_identifier_similar", prefixTimes, 50),
  ];
}

async function main(): Promise<void> {
  if (WITH_ATHENA && !existsSync(path.join(standaloneDir("athena", REPO_DIR), "server.js"))) {
    log("athena: no production (standalone) build yet; running next build…");
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: APP_DIR, stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }

  log(`bench: ${TOTAL.toLocaleString("en")} CIAM identities (a template made through Kratos' admin API, copied by Postgres)`);
  const pg = await startTestPostgres();
  const cleanups: (() => Promise<void>)[] = [() => pg.stop()];
  try {
    // Collation C, as the dev stack's cluster (initdb --no-locale): the prefix search can then use the identifier index.
    await pg.query("CREATE DATABASE ciam_kratos TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'");
    const kratosDsn = pg.url("ciam_kratos");
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
    await seedIdentities(kratosDsn, {
      adminUrl,
      adminToken: ADMIN_TOKEN,
      total: TOTAL,
      onProgress: (done) => {
        if (done % 200_000 === 0 || done === TOTAL)
          log(`  seeded ${done.toLocaleString("en")} (${((performance.now() - seedStart) / 1000).toFixed(0)} s)`);
      },
    });
    log(`  seeded ${TOTAL.toLocaleString("en")} identities in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const kratosFigures = await measureKratos(adminUrl);
    if (!WITH_ATHENA) {
      log("");
      log(`Kratos admin API, ${TOTAL.toLocaleString("en")} CIAM identities (Athena not measured: BENCH_ATHENA=0):`);
      for (const line of kratosFigures) log(line);
      return;
    }

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
      ENCRYPTION_KEY,
      AUTH_SESSION_REVALIDATE_SECONDS: String(REVALIDATE_SECONDS),
      OLYMPUS_DATABASE_URL: olympusDsn,
    };
    // The build's standalone server, as the Docker image and the journeys run it (it reads PORT and HOSTNAME).
    const server = preparedStandaloneServer("athena", REPO_DIR);
    if (!server) throw new Error("apps/athena has no standalone build");
    const child = spawn(process.execPath, [server], {
      cwd: standaloneDir("athena", REPO_DIR),
      env: { ...env, PORT: String(port), HOSTNAME: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
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

    const cookie = await adminSessionCookie(olympusDsn);

    // Warm up the route (first compile of the server bundle, connection pools).
    for (let i = 0; i < 5; i++) await timedGet(`${base}/identities?size=50`, cookie);

    const pageTimes: number[] = [];
    let url = `${base}/identities?size=50`;
    let followed = 0;
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      const { ms, html } = await timedGet(url, cookie);
      pageTimes.push(ms);
      const next =
        /href="(\/identities\?[^"]*)"[^>]*rel="next"/.exec(html)?.[1] ?? /rel="next"[^>]*href="(\/identities\?[^"]*)"/.exec(html)?.[1];
      if (next) followed++;
      url = next ? `${base}${next.replace(/&amp;/g, "&")}` : `${base}/identities?size=50`;
    }

    const searchTimes: number[] = [];
    for (let i = 0; i < SEARCH_SAMPLES; i++) {
      const email = randomEmail();
      const { ms, html } = await timedGet(`${base}/identities?q=${encodeURIComponent(email)}`, cookie);
      if (!html.includes(email)) throw new Error(`search for ${email} did not find it`);
      searchTimes.push(ms);
    }

    log("");
    log(`Athena identities page, ${TOTAL.toLocaleString("en")} CIAM identities (server time = full response on loopback):`);
    log(summary(`page of 50 (${followed} next links followed)`, pageTimes, 100));
    log(summary("search by email (page with result)", searchTimes, 50));
    log("");
    log(`Kratos admin API alone, same ${TOTAL.toLocaleString("en")} identities:`);
    for (const line of kratosFigures) log(line);
    log(
      `(load average during the run: ${(await import("node:os"))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}, ${(await import("node:os")).cpus().length} CPUs)`,
    );
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
