import { availableParallelism } from "node:os";
import { execFile } from "node:child_process";
import { startTestPostgres } from "@olympus/test-postgres";
import { Configuration, FrontendApi, IdentityApi } from "@ory/client";
import { loadKratosConfig, startEmbeddedKratos } from "../src/index";
import { WorkerPasswordHasher } from "../src/hashing/hasher";
import { CIAM_CONFIG } from "../src/testing/harness";
import { startFloorServer } from "./floor-server";
import { LOAD_WORKER_SOURCE } from "./load-worker";

/**
 * Prints: whoami requests/s and p99 at concurrency 32; full API-mode password
 * login per second beside the raw verify rate of the same hasher (same
 * config, same pool size), measured in the same run.
 * Targets: login ≥ 90 % of raw verify; whoami ≥ 5,000/s.
 */
const WHOAMI_CONCURRENCY = 32;
const WHOAMI_SECONDS = Number(process.env.BENCH_WHOAMI_SECONDS ?? 8);
/** Operations per hashing measurement (fixed count, so both rates carry the same quantisation). */
const HASH_OPS = Number(process.env.BENCH_HASH_OPS ?? 32);
const PASSWORD = "bench-password-correct-horse-1";
const EMAIL = "bench@example.com";

interface LoadResult {
  count: number;
  errors: number;
  elapsedMs: number;
  latencies: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function runLoad(url: string, headers: Record<string, string>, concurrency: number, durationMs: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["-e", LOAD_WORKER_SOURCE],
      { env: { ...process.env, LOAD_CONFIG: JSON.stringify({ url, headers, concurrency, durationMs }) }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as LoadResult)),
    );
  });
}

/** Runs `total` operations over `concurrency` lanes; returns operations per second. */
async function rate(concurrency: number, total: number, task: () => Promise<void>): Promise<{ perSecond: number; count: number }> {
  const started = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total) {
        issued++;
        await task();
      }
    }),
  );
  return { perSecond: (total * 1000) / (performance.now() - started), count: total };
}

interface MeasuredLoad extends LoadResult {
  perSecond: number;
  /** CPU time of this (server) process per request: a figure other load on the machine distorts little. */
  cpuMsPerRequest: number;
}

/** Warms up, then loads `url` at WHOAMI_CONCURRENCY for WHOAMI_SECONDS from another process. */
async function measureLoad(url: string, headers: Record<string, string>): Promise<MeasuredLoad> {
  await runLoad(url, headers, WHOAMI_CONCURRENCY, 1500);
  const cpuBefore = process.cpuUsage();
  const result = await runLoad(url, headers, WHOAMI_CONCURRENCY, WHOAMI_SECONDS * 1000);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...result,
    perSecond: (result.count * 1000) / result.elapsedMs,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, result.count),
  };
}

async function main(): Promise<void> {
  const pg = await startTestPostgres();
  const dsn = await pg.createDatabase("bench_kratos");
  const kratos = await startEmbeddedKratos({
    configPath: CIAM_CONFIG,
    dsn,
    publicPort: 0,
    adminPort: 0,
    log: () => {},
  });
  const config = loadKratosConfig(CIAM_CONFIG, { warn: () => {} });
  try {
    const frontend = new FrontendApi(new Configuration({ basePath: kratos.publicUrl }));
    const admin = new IdentityApi(new Configuration({ basePath: kratos.adminUrl }));
    await admin.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email: EMAIL }, credentials: { password: { config: { password: PASSWORD } } } },
    });
    const login = async () => {
      const { data: flow } = await frontend.createNativeLoginFlow();
      const { data } = await frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier: EMAIL, password: PASSWORD } });
      return data.session_token ?? "";
    };
    const token = await login();

    // 1. whoami at concurrency 32 (load generated in another process).
    const whoami = await measureLoad(`${kratos.publicUrl}/sessions/whoami`, { "X-Session-Token": token });
    const cpuMsPerRequest = whoami.cpuMsPerRequest;
    const sorted = whoami.latencies.sort((a, b) => a - b);
    const whoamiRps = whoami.perSecond;

    // 1b. the floor: node:http + the same session lookup, nothing else (same load, same process, same database).
    const floorServer = await startFloorServer(dsn);
    const floor = await measureLoad(`${floorServer.url}/`, { "X-Session-Token": token });
    await floorServer.close();

    // 2. raw verify rate of the same hasher: same config, same worker-pool size, same stored hash.
    const workers = availableParallelism();
    const { data: stored } = await admin.getIdentity({ id: (await admin.listIdentities({ credentialsIdentifier: EMAIL })).data[0]?.id ?? "", includeCredential: ["password"] });
    const hash = (stored.credentials?.password?.config as { hashed_password: string }).hashed_password;
    const hasher = new WorkerPasswordHasher(config.hashers, workers);
    await hasher.verify(PASSWORD, hash);
    const raw = await rate(workers * 2, HASH_OPS, async () => {
      await hasher.verify(PASSWORD, hash);
    });
    await hasher.close();

    // 3. full API-mode login: create flow + submit, session issued, token returned.
    const full = await rate(workers * 2, HASH_OPS, async () => {
      await login();
    });

    const ratio = full.perSecond / raw.perSecond;
    console.log(`embedded-kratos bench (${config.hashers.algorithm}, cost ${config.hashers.bcrypt.cost}, ${workers} hash workers, node ${process.version})`);
    console.log(
      `whoami:  ${whoamiRps.toFixed(0)} req/s at concurrency ${WHOAMI_CONCURRENCY}, p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, errors ${whoami.errors}  (target ≥ 5000 req/s)`,
    );
    console.log(
      `         server CPU ${cpuMsPerRequest.toFixed(3)} ms per whoami → ≈ ${(1000 / cpuMsPerRequest).toFixed(0)} req/s per fully available core`,
    );
    console.log(
      `floor:   node:http + the same session query ${floor.perSecond.toFixed(0)} req/s, CPU ${floor.cpuMsPerRequest.toFixed(3)} ms per request → whoami runs at ${((whoamiRps / floor.perSecond) * 100).toFixed(0)} % of this machine's floor`,
    );
    console.log(`hasher:  raw bcrypt verify ${raw.perSecond.toFixed(2)}/s (${raw.count} verifies)`);
    console.log(`login:   full API password login ${full.perSecond.toFixed(2)}/s (${full.count} logins) = ${(ratio * 100).toFixed(1)} % of raw verify  (target ≥ 90 %)`);
  } finally {
    await kratos.close();
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
