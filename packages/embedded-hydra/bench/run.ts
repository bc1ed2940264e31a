/**
 * npm run bench -w @olympus/embedded-hydra
 * One embedded-hydra process on embedded Postgres; 32 concurrent workers
 * issue client_credentials grants, then introspect the tokens; the
 * client-secret hash verification is measured alone in the same run.
 */
import { startTestPostgres } from "@olympus/test-postgres";
import { hashClientSecret, SECRET_HASH_ITERATIONS, verifyClientSecret } from "../src/clients/secret-hash";
import { startHydraUnderTest } from "../src/testing/harness";

const CONCURRENCY = 32;
const DURATION_MS = Number(process.env.BENCH_MS ?? 5_000);

async function measure(label: string, operation: () => Promise<void>): Promise<number> {
  // Warm-up, then a timed run with CONCURRENCY workers.
  await Promise.all(Array.from({ length: CONCURRENCY }, operation));
  let done = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        await operation();
        done++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = done / seconds;
  console.log(`${label.padEnd(46)} ${rate.toFixed(0).padStart(7)} ops/s  (${done} in ${seconds.toFixed(1)}s, concurrency ${CONCURRENCY})`);
  return rate;
}

const pg = await startTestPostgres();
const hydra = await startHydraUnderTest(pg);
try {
  const { data: client } = await hydra.admin.createOAuth2Client({ oAuth2Client: { grant_types: ["client_credentials"], scope: "bench" } });
  const authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
  const tokenUrl = new URL("oauth2/token", hydra.publicUrl);
  const introspectUrl = new URL("admin/oauth2/introspect", hydra.adminUrl);
  const tokens: string[] = [];

  const grants = await measure("client_credentials grants", async () => {
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=bench",
    });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
    const body = (await response.json()) as { access_token: string };
    if (tokens.length < 1000) tokens.push(body.access_token);
  });

  let next = 0;
  const introspections = await measure("introspections", async () => {
    const token = tokens[next++ % tokens.length] ?? "";
    const response = await fetch(introspectUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    const body = (await response.json()) as { active: boolean };
    if (!body.active) throw new Error("introspection returned inactive");
  });

  const secret = client.client_secret ?? "";
  const stored = await hashClientSecret(secret);
  const hashes = await measure(`client-secret verification (PBKDF2-SHA256 ×${SECRET_HASH_ITERATIONS})`, async () => {
    if (!(await verifyClientSecret(secret, stored))) throw new Error("hash mismatch");
  });

  console.log(`\nclient_credentials target ≥ 360/s: ${grants >= 360 ? "met" : "NOT met"} (${grants.toFixed(0)}/s); introspections ${introspections.toFixed(0)}/s; secret hash alone ${hashes.toFixed(0)}/s`);
} finally {
  await hydra.close();
  await pg.stop();
}
