import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { HydraRequestGenerator, type HydraFuzzTargets } from "./testing/fuzz/hydra-generator";
import { Random, rowCountSummary, sendFuzzRequests, statusSummary, type RawResponse } from "@olympus/server-kit/testing/fuzz";
import { isNetHttpRefusal } from "@olympus/server-kit/http";
import { HYDRA_SERVER_TIMEOUTS } from "./hardening";
import { announcedIn, StorageAudit } from "./testing/fuzz/storage-audit";
import {
  errorLines,
  startHydraUnderTest,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";

/**
 * Hostile-input fuzz of every public (OAuth2/OIDC) and admin endpoint.
 * Deterministic (FUZZ_SEED), bounded in count (FUZZ_REQUESTS; `npm test`
 * sends a sample, `npm run test:resilience` the full run), loopback only.
 * The bar: no 5xx, no hang, no crash, security headers on every answer,
 * and nothing stored by a rejected request.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x0a1b2c3d);
const CONCURRENCY = 8;
const DATABASE = "hydra_fuzz";
const REDIRECT_URI = "http://rp.localhost:5555/callback";
/**
 * Hydra's 10 s WriteTimeout (hardening.ts) cuts an RSA-4096 key generation that a loaded test machine
 * stretches past it; the fuzz run judges answers to hostile input, not the machine's speed, so its
 * instance waits longer (go-server-timeouts.test.ts proves the deadline itself).
 */
const FUZZ_TIMEOUTS = { ...HYDRA_SERVER_TIMEOUTS, writeTimeoutMs: 60_000 };

describe(`hostile input: ${REQUESTS} requests, seed ${SEED}`, () => {
  let pg: TestPostgres;
  let hydra: HydraUnderTest;
  let targets: HydraFuzzTargets;
  let canary: { id: string; secret: string };
  const errors: string[] = [];

  beforeAll(async () => {
    ({ postgres: pg, hydra } = await startHydraWithPostgres((server) =>
      startHydraUnderTest(server, { freshDatabase: DATABASE, logger: errorLines(errors), serverTimeouts: FUZZ_TIMEOUTS }),
    ));
    ({ targets, canary } = await seedTargets(hydra));
  }, 120_000);
  afterAll(() => stopHydraAndPostgres(hydra, pg));

  it("answers every request with a non-5xx status, stores nothing from rejected ones, and keeps serving", async () => {
    const audit = new StorageAudit(pg, DATABASE);
    await audit.start();
    const generator = new HydraRequestGenerator(new Random(SEED), hydra.routes, targets);
    const ports = { public: Number(new URL(hydra.publicUrl).port), admin: Number(new URL(hydra.adminUrl).port) };
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

    const failures: string[] = [];
    const accepted = new Set<string>();
    const { statuses, seconds } = await sendFuzzRequests({
      total: REQUESTS,
      concurrency: CONCURRENCY,
      next: () => generator.next(),
      ports,
      inspect: (request, response) => {
        const what = `${request.kind} ${request.method} ${request.target.slice(0, 160)}`;
        if (
          response.status >= 500 &&
          !isErrorFallbackPage(request.method, request.target, response) &&
          !isJsonPatchFailure(request, response)
        )
          failures.push(`${response.status} ${what}: ${response.body.slice(0, 300)}`);
        else if (response.status === 0) failures.push(`no answer (${response.error ?? "closed"}) ${what}`);
        // net/http's own refusals (conn.serve) carry no header of the server's.
        else if (response.headers.get("x-content-type-options") !== "nosniff" && !isNetHttpRefusal(response))
          failures.push(`missing nosniff (${response.status}): ${what}`);
        if (isAccepted(response)) {
          for (const header of ["location", "set-cookie"])
            for (const token of announcedIn(response.headers.get(header) ?? "")) accepted.add(token);
          for (const token of announcedIn(response.body)) accepted.add(token);
          // What an accepted request named (a challenge it accepted, a client it replaced) may be stored too.
          for (const [, value] of new URL(request.target, "http://x").searchParams) accepted.add(value);
        }
      },
    });

    const report = await audit.finish(accepted);
    console.log(
      `hydra fuzz: ${REQUESTS} requests in ${seconds.toFixed(1)} s (${(REQUESTS / seconds).toFixed(0)}/s), statuses ${statusSummary(statuses)}`,
    );
    console.log(`hydra fuzz: rows ${rowCountSummary(report.counts)}`);

    expect(errors.slice(0, 5)).toEqual([]);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);

    // Still healthy and still issuing tokens.
    expect((await fetch(new URL("health/ready", hydra.publicUrl))).status).toBe(200);
    const grant = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${canary.id}:${canary.secret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials&scope=reports.read",
    });
    expect(grant.status).toBe(200);
  }, 600_000);
});

/**
 * Hydra's error fallback page answers 500 by design (oauth2/handler_fallback_endpoints.go DefaultErrorHandler),
 * to a HEAD too (its GET route serves HEAD), without the body then.
 */
function isErrorFallbackPage(method: string, target: string, response: RawResponse): boolean {
  return (
    new URL(target, "http://x").pathname === "/oauth2/fallbacks/error" &&
    response.status === 500 &&
    (method === "HEAD" ? response.body === "" : response.body.includes("The OAuth2 request resulted in an error."))
  );
}

/**
 * Hydra answers a client JSON Patch it cannot decode or apply with 500
 * (client/handler.go patchOAuth2Client: jsonx.ApplyJSONPatch's bare error,
 * herodot's default status), its error enhancer's unnamed error.
 */
function isJsonPatchFailure(request: { method: string; target: string }, response: RawResponse): boolean {
  return (
    request.method === "PATCH" &&
    /^(\/admin)?\/clients\/[^/]+$/.test(new URL(request.target, "http://x").pathname) &&
    response.status === 500 &&
    // herodot's writer ends every answer with json.Encoder's newline.
    response.body === `${JSON.stringify({ error: "error", error_description: "The error is unrecognizable" })}\n`
  );
}

/** 2xx, or a redirect that is not an OAuth2 error redirect. */
function isAccepted(response: RawResponse): boolean {
  if (response.status >= 200 && response.status < 300) return true;
  if (response.status < 300 || response.status >= 400) return false;
  return !/[?&#]error=/.test(response.headers.get("location") ?? "");
}

/** Clients (confidential, public, machine) and pending login and consent challenges. */
async function seedTargets(hydra: HydraUnderTest): Promise<{ targets: HydraFuzzTargets; canary: { id: string; secret: string } }> {
  const confidential = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    scope: "openid offline_access email",
    grant_types: ["authorization_code", "refresh_token"],
  });
  const pub = await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid", token_endpoint_auth_method: "none" });
  // The canary: the generator never sees it, and it must still get a token after the run.
  const machine = await createClient(hydra, { grant_types: ["client_credentials"], scope: "reports.read" });
  const clients = [{ id: confidential.id, secret: confidential.secret }, { id: pub.id }];
  const loginChallenges: string[] = [];
  const consentChallenges: string[] = [];
  for (let i = 0; i < 4; i++) {
    const browser = new TestBrowser();
    const url = new URL("oauth2/auth", hydra.publicUrl);
    for (const [k, v] of Object.entries({
      client_id: clients[0]?.id ?? "",
      response_type: "code",
      redirect_uri: REDIRECT_URI,
      scope: "openid",
      state: `seed-state-${i}`,
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }))
      url.searchParams.set(k, v);
    const atLogin = await browser.navigate(url.toString(), (u) => u.toString().startsWith("http://ciam.localhost:3000/login"));
    const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
    if (i % 2 === 0) {
      loginChallenges.push(loginChallenge);
      continue;
    }
    const { data } = await hydra.admin.acceptOAuth2LoginRequest({ loginChallenge, acceptOAuth2LoginRequest: { subject: `seed-${i}` } });
    const atConsent = await browser.navigate(data.redirect_to, (u) => u.toString().startsWith("http://ciam.localhost:3000/consent"));
    consentChallenges.push(atConsent.url.searchParams.get("consent_challenge") ?? "");
  }
  return {
    targets: { clients, loginChallenges, consentChallenges, keySet: "hydra.openid.id-token", redirectUri: REDIRECT_URI },
    canary: { id: machine.id, secret: machine.secret },
  };
}
