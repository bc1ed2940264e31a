/**
 * npm run bench -w @olympus/embedded-hydra
 * One embedded-hydra process on embedded Postgres (with the dev stack's
 * durability settings: synchronous_commit off). A separate load process
 * (wrk when installed) keeps 32 requests in flight: client_credentials grants, then
 * introspections of the tokens issued — opaque ones, and JWT ones from a
 * client whose access_token_strategy is jwt — beside the floor: a bare
 * node:http server running introspection's own lookup statement once per
 * request. The client-secret hash verification is measured alone in the
 * same run. Server CPU time per operation gives the rate one fully
 * available core would sustain ("per core"), a figure other load on the
 * machine distorts far less than the rate itself.
 * Goals: introspection ≥ 11,000/s per core (opaque and JWT);
 * client_credentials ≥ 1,400/s per core.
 */
import { startTestPostgres } from "@olympus/test-postgres";
import { hashClientSecret, SECRET_HASH_ITERATIONS, verifyClientSecret } from "../src/clients/secret-hash";
import { startHydraUnderTest } from "../src/testing/harness";
import { startFloorServer } from "./floor-server";
import { LOAD_GENERATOR, runLoad, type LoadResult, type LoadSpec } from "./load-process";

const CONCURRENCY = 32;
const DURATION_MS = Number(process.env.BENCH_MS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GRANTS_PER_CORE_GOAL = 1_400;
const INTROSPECTIONS_PER_CORE_GOAL = 11_000;

interface Measured {
  perSecond: number;
  cpuMsPerOp: number;
  result: LoadResult;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const verdict = (met: boolean) => (met ? "met" : "NOT met");

async function measureOnce(spec: Omit<LoadSpec, "concurrency" | "durationMs">, durationMs: number): Promise<Measured> {
  const cpuBefore = process.cpuUsage();
  const result = await runLoad({ ...spec, concurrency: CONCURRENCY, durationMs });
  const cpu = process.cpuUsage(cpuBefore);
  if (result.errors > 0) throw new Error(`${spec.url}: ${result.errors} requests failed`);
  return {
    perSecond: (result.count * 1000) / result.elapsedMs,
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / Math.max(1, result.count),
    result,
  };
}

/** A warm-up, then ROUNDS measurements; the median of each figure (samples from the last round). */
async function measure(label: string, spec: Omit<LoadSpec, "concurrency" | "durationMs">): Promise<Measured> {
  await runLoad({ ...spec, concurrency: CONCURRENCY, durationMs: 1_000 });
  const runs: Measured[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await measureOnce(spec, DURATION_MS));
  const measured = {
    perSecond: median(runs.map((r) => r.perSecond)),
    cpuMsPerOp: median(runs.map((r) => r.cpuMsPerOp)),
    result: runs[runs.length - 1]?.result ?? runs[0]!.result,
  };
  console.log(
    `${label.padEnd(52)} ${measured.perSecond.toFixed(0).padStart(7)} ops/s; server CPU ${measured.cpuMsPerOp.toFixed(3)} ms/op → ≈ ${(1000 / measured.cpuMsPerOp).toFixed(0)}/s per core`,
  );
  return measured;
}

function introspectionSpec(url: string, tokens: string[]): Omit<LoadSpec, "concurrency" | "durationMs"> {
  return {
    url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    bodies: tokens.map((token) => new URLSearchParams({ token }).toString()),
    expectStatus: 200,
  };
}

const pg = await startTestPostgres();
await pg.query("ALTER SYSTEM SET synchronous_commit = off");
await pg.query("SELECT pg_reload_conf()");
const hydra = await startHydraUnderTest(pg);
try {
  console.log(
    `embedded-hydra bench (concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds of ${DURATION_MS / 1000} s, load: ${LOAD_GENERATOR}, node ${process.version})`,
  );
  const basic = (id: string | undefined, secret: string | undefined) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  const { data: client } = await hydra.admin.createOAuth2Client({ oAuth2Client: { grant_types: ["client_credentials"], scope: "bench" } });
  const { data: jwtClient } = await hydra.admin.createOAuth2Client({
    oAuth2Client: { grant_types: ["client_credentials"], scope: "bench", access_token_strategy: "jwt" },
  });
  const tokenSpec = (authorization: string): Omit<LoadSpec, "concurrency" | "durationMs"> => ({
    url: new URL("oauth2/token", hydra.publicUrl).href,
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    bodies: ["grant_type=client_credentials&scope=bench"],
    expectStatus: 200,
  });

  const grants = await measure("client_credentials grants (opaque)", tokenSpec(basic(client.client_id, client.client_secret)));
  const jwtGrants = await measureOnce(tokenSpec(basic(jwtClient.client_id, jwtClient.client_secret)), 2_000);
  const opaqueTokens = grants.result.samples.map((body) => (JSON.parse(body) as { access_token: string }).access_token);
  const jwtTokens = jwtGrants.result.samples.map((body) => (JSON.parse(body) as { access_token: string }).access_token);
  if (!jwtTokens.every((token) => token.split(".").length === 3)) throw new Error("the jwt client was not issued JWT access tokens");

  const introspect = new URL("admin/oauth2/introspect", hydra.adminUrl).href;
  const opaque = await measure("introspections, opaque access tokens", introspectionSpec(introspect, opaqueTokens));
  const jwt = await measure("introspections, JWT access tokens", introspectionSpec(introspect, jwtTokens));
  for (const [kind, measured] of [
    ["opaque", opaque],
    ["JWT", jwt],
  ] as const) {
    const inactive = measured.result.samples.filter((body) => !(JSON.parse(body) as { active: boolean }).active).length;
    if (inactive > 0) throw new Error(`${inactive} ${kind} introspections answered inactive`);
  }

  const floorServer = await startFloorServer(hydra.dsn);
  const floor = await measure(
    "floor: node:http + the same lookup, one per request",
    introspectionSpec(`${floorServer.url}/`, opaqueTokens),
  );
  await floorServer.close();

  // The hash alone, in this process (nothing else runs now).
  const secret = client.client_secret ?? "";
  const stored = await hashClientSecret(secret);
  let hashes = 0;
  const hashStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - hashStarted < DURATION_MS) {
        if (!(await verifyClientSecret(secret, stored))) throw new Error("hash mismatch");
        hashes++;
      }
    }),
  );
  const hashRate = (hashes * 1000) / (performance.now() - hashStarted);
  console.log(
    `${`client-secret verification alone (PBKDF2-SHA256 ×${SECRET_HASH_ITERATIONS})`.padEnd(52)} ${hashRate.toFixed(0).padStart(7)} ops/s`,
  );

  const perCore = (m: Measured) => 1000 / m.cpuMsPerOp;
  console.log("");
  console.log(
    `client_credentials: ≈ ${perCore(grants).toFixed(0)}/s per core — goal ≥ ${GRANTS_PER_CORE_GOAL}/s per core: ${verdict(perCore(grants) >= GRANTS_PER_CORE_GOAL)}`,
  );
  for (const [kind, measured] of [
    ["opaque", opaque],
    ["JWT", jwt],
  ] as const) {
    console.log(
      `introspection (${kind}): ≈ ${perCore(measured).toFixed(0)}/s per core (floor ≈ ${perCore(floor).toFixed(0)}/s per core; ${measured.perSecond.toFixed(0)}/s measured here vs the floor's ${floor.perSecond.toFixed(0)}/s) — goal ≥ ${INTROSPECTIONS_PER_CORE_GOAL}/s per core: ${verdict(perCore(measured) >= INTROSPECTIONS_PER_CORE_GOAL)}`,
    );
  }
} finally {
  await hydra.close();
  await pg.stop();
}
