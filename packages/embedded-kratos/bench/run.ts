import { availableParallelism } from "node:os";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestPostgres } from "@olympus/test-postgres";
import { Configuration, FrontendApi, IdentityApi } from "@ory/client";
import { loadKratosConfig, startEmbeddedKratos } from "../src/index";
import { WorkerPasswordHasher } from "../src/hashing/hasher";
import { CIAM_CONFIG } from "../src/testing/harness";
import { describeGc, findWrk, runWrk, startGcMeter, type GcStats } from "@olympus/server-kit/bench";
import { startFloorServer } from "./floor-server";
import { LOAD_WORKER_SOURCE } from "./load-worker";
import { ensureDevstackFlags } from "./node-flags";

/**
 * npm run bench -w @olympus/embedded-kratos
 *
 * 1. whoami at concurrency 32 (load from another process — wrk when it is
 *    installed, else a Node generator — over 32 sessions) beside its floor — a bare node:http server running whoami's own
 *    session statement once per request — in alternating rounds, so the
 *    machine's drift hits both alike. Goals: whoami ≥ 90 % of the floor's
 *    rate, p99 < 5 ms.
 * 2. Full API-mode password login per second beside the raw verify rate of
 *    the same hasher (same config, same pool size), measured in the same run.
 *    Goal: ≥ 90 % of raw. (The browser sign-in through Hera's edge is
 *    measured by `npm run bench -w @olympus/hera`.)
 *
 * The server side runs with the node flags the dev stack's backend runs the
 * embedded Kratos with (node-flags.ts), and each load line is followed by
 * that process's collections per 10,000 requests and the heap bytes it
 * allocated per request: figures a busy machine distorts far less than p99.
 */
/** Re-runs this file under the dev stack backend's node flags first (node-flags.ts). */
const NODE_FLAGS = ensureDevstackFlags(fileURLToPath(import.meta.url));

const WHOAMI_CONCURRENCY = 32;
const WHOAMI_ROUNDS = Number(process.env.BENCH_WHOAMI_ROUNDS ?? 3);
const WHOAMI_SECONDS = Number(process.env.BENCH_WHOAMI_SECONDS ?? 4);
/** Operations per hashing measurement (fixed counts, so both rates carry the same quantisation), in rounds of HASH_ROUND. */
const HASH_OPS = Number(process.env.BENCH_HASH_OPS ?? 48);
const HASH_ROUND = 16;
const PASSWORD = "bench-password-correct-horse-1";
const WHOAMI_RATIO_GOAL = 0.9;
const WHOAMI_P99_GOAL_MS = 5;
const LOGIN_RATIO_GOAL = 0.9;

interface LoadResult {
  count: number;
  errors: number;
  elapsedMs: number;
  p50: number;
  p99: number;
}

/** wrk (C) when installed: a JavaScript generator sharing two cores with the server and Postgres adds its own queueing to the tail. */
const WRK = process.env.BENCH_LOAD === "node" ? undefined : findWrk();
const GENERATOR = WRK ? "wrk, 1 thread" : "Node load process (install wrk for a generator that adds less to the tail)";

interface MeasuredLoad {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of this (server) process per request: a figure other load on the machine distorts little. */
  cpuMsPerRequest: number;
  requests: number;
  /** This (server) process's collections during the round. */
  gc: GcStats;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const verdict = (met: boolean) => (met ? "met" : "NOT met");

function runLoad(url: string, headerSets: Record<string, string>[], durationMs: number): Promise<LoadResult> {
  if (WRK) return runWrk(WRK, { url, method: "GET", headerSets, concurrency: WHOAMI_CONCURRENCY, durationMs, expectStatus: 200 });
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["-e", LOAD_WORKER_SOURCE],
      {
        env: { ...process.env, LOAD_CONFIG: JSON.stringify({ url, headerSets, concurrency: WHOAMI_CONCURRENCY, durationMs }) },
        maxBuffer: 256 * 1024 * 1024,
      },
      // ExecFileException is an Error; @types/node builds it from Omit<>, which hides that from the type checker.
      (error: Error | null, stdout: string) => {
        if (error) return reject(error);
        const { latencies, ...counts } = JSON.parse(stdout) as Omit<LoadResult, "p50" | "p99"> & { latencies: number[] };
        const sorted = latencies.sort((a, b) => a - b);
        resolve({ ...counts, p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
      },
    );
  });
}

/** Loads `url` at WHOAMI_CONCURRENCY for WHOAMI_SECONDS from another process. */
async function measureLoad(url: string, headerSets: Record<string, string>[]): Promise<MeasuredLoad> {
  const cpuBefore = process.cpuUsage();
  const gcMeter = startGcMeter();
  const result = await runLoad(url, headerSets, WHOAMI_SECONDS * 1000);
  const gc = gcMeter.stop();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perSecond: (result.count * 1000) / result.elapsedMs,
    p50: result.p50,
    p99: result.p99,
    errors: result.errors,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, result.count),
    requests: result.count,
    gc,
  };
}

/** Runs `total` operations over `concurrency` lanes; returns operations per second. */
async function rate(concurrency: number, total: number, task: () => Promise<void>): Promise<number> {
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
  return (total * 1000) / (performance.now() - started);
}

/** Heap bytes allocated per request over a 2 s round of `url` (the GC profiler on, so its latency is not reported). */
async function allocationPerRequest(url: string, headerSets: Record<string, string>[]): Promise<number> {
  const meter = startGcMeter({ allocation: true });
  const result = await runLoad(url, headerSets, 2000);
  return meter.stop().allocatedBytes / Math.max(1, result.count);
}

const describeAllocation = (bytes: number) => `heap allocated ${(bytes / 1024).toFixed(2)} KiB/request (own 2 s round)`;

function sumGc(all: readonly GcStats[]): GcStats {
  return {
    scavenges: all.reduce((sum, g) => sum + g.scavenges, 0),
    scavengeMs: all.reduce((sum, g) => sum + g.scavengeMs, 0),
    maxScavengeMs: Math.max(0, ...all.map((g) => g.maxScavengeMs)),
    fullGcs: all.reduce((sum, g) => sum + g.fullGcs, 0),
    otherMs: all.reduce((sum, g) => sum + g.otherMs, 0),
    allocatedBytes: all.reduce((sum, g) => sum + g.allocatedBytes, 0),
  };
}

function describeLoad(load: MeasuredLoad): string {
  return `${load.perSecond.toFixed(0)} req/s, p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms, server CPU ${load.cpuMsPerRequest.toFixed(3)} ms/request, errors ${load.errors}`;
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
    const workers = availableParallelism();
    const hasher = new WorkerPasswordHasher(config.hashers, workers);
    // One hash with the configured hasher, imported for every identity: setting up costs no hashing per identity.
    const hashed = await hasher.hash(PASSWORD);
    const emails = Array.from({ length: WHOAMI_CONCURRENCY }, (_, i) => `bench-${i}@example.com`);
    for (const email of emails) {
      await admin.createIdentity({
        createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config: { hashed_password: hashed } } } },
      });
    }
    let nextLogin = 0;
    const login = async (email = emails[nextLogin++ % emails.length] ?? "") => {
      const { data: flow } = await frontend.createNativeLoginFlow();
      const { data } = await frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: { method: "password", identifier: email, password: PASSWORD },
      });
      return data.session_token ?? "";
    };
    const headerSets: Record<string, string>[] = [];
    for (const email of emails) headerSets.push({ "X-Session-Token": await login(email) });

    // 1. whoami and its floor, alternating, after one warm-up of each.
    const floorServer = await startFloorServer(dsn);
    const targets = { whoami: `${kratos.publicUrl}/sessions/whoami`, floor: `${floorServer.url}/` };
    if (!WRK) console.log("note: wrk is not installed (apt install wrk); the load comes from a Node process instead");
    await runLoad(targets.whoami, headerSets, 2000);
    await runLoad(targets.floor, headerSets, 2000);
    const rounds: { whoami: MeasuredLoad; floor: MeasuredLoad }[] = [];
    for (let i = 0; i < WHOAMI_ROUNDS; i++)
      rounds.push({ whoami: await measureLoad(targets.whoami, headerSets), floor: await measureLoad(targets.floor, headerSets) });
    // Allocation in rounds of their own: V8's GC profiler, which counts it, lengthens every pause.
    const allocated = {
      whoami: await allocationPerRequest(targets.whoami, headerSets),
      floor: await allocationPerRequest(targets.floor, headerSets),
    };
    await floorServer.close();
    const pick = (which: "whoami" | "floor"): MeasuredLoad => {
      const loads = rounds.map((r) => r[which]);
      return {
        perSecond: median(loads.map((l) => l.perSecond)),
        p50: median(loads.map((l) => l.p50)),
        p99: median(loads.map((l) => l.p99)),
        errors: loads.reduce((sum, l) => sum + l.errors, 0),
        cpuMsPerRequest: median(loads.map((l) => l.cpuMsPerRequest)),
        // Collections are summed over the rounds, and so are their requests.
        requests: loads.reduce((sum, l) => sum + l.requests, 0),
        gc: sumGc(loads.map((l) => l.gc)),
      };
    };
    const whoami = pick("whoami");
    const floor = pick("floor");
    const whoamiRatio = median(rounds.map((r) => r.whoami.perSecond / r.floor.perSecond));

    // 2. raw verifies of the same hasher (same config, same worker-pool size, same stored hash) and full API
    //    logins, in alternating rounds of equal counts, so drift in the machine's speed hits both alike.
    await hasher.verify(PASSWORD, hashed);
    const raws: number[] = [];
    const fulls: number[] = [];
    for (let round = 0; round < HASH_OPS / HASH_ROUND; round++) {
      raws.push(
        await rate(workers * 2, HASH_ROUND, async () => {
          await hasher.verify(PASSWORD, hashed);
        }),
      );
      fulls.push(
        await rate(workers * 2, HASH_ROUND, async () => {
          await login();
        }),
      );
    }
    await hasher.close();
    const raw = median(raws);
    const full = median(fulls);
    const loginRatio = median(fulls.map((f, i) => f / (raws[i] ?? f)));

    console.log(
      `embedded-kratos bench (${config.hashers.algorithm}, cost ${config.hashers.bcrypt.cost}, ${workers} hash workers, node ${process.version})`,
    );
    console.log(
      `node flags: ${NODE_FLAGS.join(" ")} — the dev stack backend's (packages/devstack's dev script); whoami and its floor are served by this one process, so both run with them`,
    );
    console.log(
      `whoami:  ${describeLoad(whoami)}  (concurrency ${WHOAMI_CONCURRENCY}, ${WHOAMI_CONCURRENCY} sessions; median of ${WHOAMI_ROUNDS} rounds of ${WHOAMI_SECONDS} s; load: ${GENERATOR})`,
    );
    console.log(`         ${describeGc(whoami.gc, whoami.requests)}; ${describeAllocation(allocated.whoami)}`);
    console.log(`floor:   ${describeLoad(floor)}  (node:http + whoami's session statement, one round trip per request)`);
    console.log(`         ${describeGc(floor.gc, floor.requests)}; ${describeAllocation(allocated.floor)}`);
    console.log(
      `         whoami/floor ${(whoamiRatio * 100).toFixed(0)} % (median of the rounds' ratios) — goal ≥ ${WHOAMI_RATIO_GOAL * 100} %: ${verdict(whoamiRatio >= WHOAMI_RATIO_GOAL)}; ` +
        `p99 ${whoami.p99.toFixed(2)} ms (floor's own p99 ${floor.p99.toFixed(2)} ms) — goal < ${WHOAMI_P99_GOAL_MS} ms: ${verdict(whoami.p99 < WHOAMI_P99_GOAL_MS)}`,
    );
    console.log(`hasher:  raw ${config.hashers.algorithm} verify ${raw.toFixed(2)}/s (median of ${raws.length} rounds of ${HASH_ROUND})`);
    console.log(
      `login:   full API password login ${full.toFixed(2)}/s (median of ${fulls.length} rounds of ${HASH_ROUND}) = ${(loginRatio * 100).toFixed(1)} % of raw verify (median of the rounds' ratios) — goal ≥ ${LOGIN_RATIO_GOAL * 100} %: ${verdict(loginRatio >= LOGIN_RATIO_GOAL)}`,
    );
  } finally {
    await kratos.close();
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
