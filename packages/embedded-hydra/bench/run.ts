/**
 * npm run bench -w @olympus/embedded-hydra
 * One embedded-hydra process on embedded Postgres (with the dev stack's
 * durability settings: synchronous_commit off). A separate load process
 * keeps 32 requests in flight: client_credentials grants, then
 * introspections of the tokens issued; the client-secret hash verification
 * is measured alone in the same run. Besides the rates, the server's CPU time
 * per operation gives the rate one fully available core would sustain.
 */
import { startTestPostgres } from "@olympus/test-postgres";
import { hashClientSecret, SECRET_HASH_ITERATIONS, verifyClientSecret } from "../src/clients/secret-hash";
import { startHydraUnderTest } from "../src/testing/harness";
import { runLoad, type LoadResult, type LoadSpec } from "./load-process";

const CONCURRENCY = 32;
const DURATION_MS = Number(process.env.BENCH_MS ?? 5_000);
const TARGET_GRANTS_PER_CORE = 360;

interface Measured {
  perSecond: number;
  cpuMsPerOp: number;
  result: LoadResult;
}

async function measure(label: string, spec: Omit<LoadSpec, "concurrency" | "durationMs">): Promise<Measured> {
  await runLoad({ ...spec, concurrency: CONCURRENCY, durationMs: 1_000 }); // warm-up
  const cpuBefore = process.cpuUsage();
  const result = await runLoad({ ...spec, concurrency: CONCURRENCY, durationMs: DURATION_MS });
  const cpu = process.cpuUsage(cpuBefore);
  if (result.errors > 0) throw new Error(`${label}: ${result.errors} requests failed`);
  const perSecond = (result.count * 1000) / result.elapsedMs;
  const cpuMsPerOp = (cpu.user + cpu.system) / 1000 / Math.max(1, result.count);
  console.log(
    `${label.padEnd(46)} ${perSecond.toFixed(0).padStart(7)} ops/s  (${result.count} in ${(result.elapsedMs / 1000).toFixed(1)}s, concurrency ${CONCURRENCY}); server CPU ${cpuMsPerOp.toFixed(2)} ms/op → ≈ ${(1000 / cpuMsPerOp).toFixed(0)}/s per core`,
  );
  return { perSecond, cpuMsPerOp, result };
}

const pg = await startTestPostgres();
await pg.query("ALTER SYSTEM SET synchronous_commit = off");
await pg.query("SELECT pg_reload_conf()");
const hydra = await startHydraUnderTest(pg);
try {
  const { data: client } = await hydra.admin.createOAuth2Client({ oAuth2Client: { grant_types: ["client_credentials"], scope: "bench" } });
  const authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;

  const grants = await measure("client_credentials grants", {
    url: new URL("oauth2/token", hydra.publicUrl).href,
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    bodies: ["grant_type=client_credentials&scope=bench"],
    expectStatus: 200,
  });

  const tokens = grants.result.samples.map((body) => (JSON.parse(body) as { access_token: string }).access_token);
  const introspections = await measure("introspections", {
    url: new URL("admin/oauth2/introspect", hydra.adminUrl).href,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    bodies: tokens.map((token) => new URLSearchParams({ token }).toString()),
    expectStatus: 200,
  });
  const inactive = introspections.result.samples.filter((body) => !(JSON.parse(body) as { active: boolean }).active).length;
  if (inactive > 0) throw new Error(`${inactive} introspections answered inactive`);

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
  console.log(`${`client-secret verification (PBKDF2-SHA256 ×${SECRET_HASH_ITERATIONS})`.padEnd(46)} ${hashRate.toFixed(0).padStart(7)} ops/s`);

  const perCore = 1000 / grants.cpuMsPerOp;
  console.log(
    `\nclient_credentials target ≥ ${TARGET_GRANTS_PER_CORE}/s per core: ${perCore >= TARGET_GRANTS_PER_CORE ? "met" : "NOT met"} (≈ ${perCore.toFixed(0)}/s per core from server CPU; ${grants.perSecond.toFixed(0)}/s measured on this machine as loaded now); introspections ${introspections.perSecond.toFixed(0)}/s; secret hash alone ${hashRate.toFixed(0)}/s`,
  );
} finally {
  await hydra.close();
  await pg.stop();
}
