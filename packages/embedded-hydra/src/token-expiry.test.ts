import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import * as clients from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import {
  acceptConsent,
  acceptLogin,
  authorizeUrl,
  decodeJwtPayload,
  REDIRECT_URI,
  responseParams,
  tokenRequest,
  toLoginUi,
} from "./testing/oauth";
import * as tokens from "./testing/tokens";
import { INVALID_GRANT, sleepUntil } from "./testing/tokens";
import { fositeExpiresAt, fositeExpiresIn, jwtValidUntil, providerTtlSeconds } from "./tokens/fosite-expiry";
import { accessTokenId } from "./tokens/jwt-access-tokens";

/**
 * Token expiry to fosite's instant, not oidc-provider's whole seconds
 * (Hydra v26.2's fosite: handler/oauth2/flow_client_credentials.go
 * HandleTokenEndpointRequest/PopulateTokenEndpointResponse,
 * flow_authorize_code_token.go, flow_refresh.go HandleTokenEndpointRequest,
 * helper.go getExpiresIn, strategy_hmacsha_plain.go ValidateAccessToken,
 * openid/strategy_jwt.go GenerateIDToken; oauth2/handler.go
 * introspectOAuth2Token). Timing margins are a whole half second or more.
 */
const SERVER_ERROR = "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.";

let pg: TestPostgres;
let hydra: HydraUnderTest;

const createClient = (body: Record<string, unknown>) => clients.createClient(hydra, body);
const introspect = (token: unknown) => tokens.introspect(hydra, token);
const codeExchange = (client: clients.CreatedClient, scope: string) => tokens.codeExchange(hydra, client, scope, "expiry-user");

/** When the stored row of a token value stops being found (epoch ms). */
async function rowValidUntil(value: string): Promise<number> {
  const { rows } = await pg.query(
    "SELECT (extract(epoch FROM expires_at) * 1000)::float8 AS until FROM oidc_payloads WHERE id = $1",
    [accessTokenId(value)],
    hydra.dsn.split("/").pop(),
  );
  return (rows[0] as { until: number }).until;
}

const machine = (lifespan: string) =>
  createClient({ grant_types: ["client_credentials"], scope: "jobs.run", client_credentials_grant_access_token_lifespan: lifespan });

beforeAll(async () => ({ postgres: pg, hydra } = await startHydraWithPostgres()));

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("fosite's expiry arithmetic", () => {
  it("rounds to the second where the handler rounds, halves up, and truncates expires_in toward zero", () => {
    // time.Now().UTC().Add(lifespan).Round(time.Second) vs the unrounded client_credentials expiry.
    expect(fositeExpiresAt(1_000_200, 1_500_000_000n, true)).toBe(1_002_000);
    expect(fositeExpiresAt(1_000_000, 1_500_000_000n, true)).toBe(1_002_000);
    expect(fositeExpiresAt(1_000_200, 1_500_000_000n, false)).toBe(1_001_700);
    expect(fositeExpiresAt(1_000_000, 1_500n, false)).toBe(1_000_000.0015);
    // int64(time.Duration(exp - now) / time.Second)
    expect(fositeExpiresIn(1_001_700, 1_000_200)).toBe(1);
    expect(fositeExpiresIn(1_000_399, 1_000_000)).toBe(0);
    expect(fositeExpiresIn(700_000, 1_000_001)).toBe(-300);
    expect(fositeExpiresIn(1_000_000, 1_000_001)).toBe(0);
    // oidc-provider's whole seconds never end before fosite's instant, and are at least one.
    expect(providerTtlSeconds(1_001_700, 1_000_200)).toBe(2);
    expect(providerTtlSeconds(700_000, 1_000_000)).toBe(1);
    // A JWT is valid while the Unix second is at most its exp (map_claims.go verifyExp).
    expect(jwtValidUntil(1_001_700)).toBe(1_002_000);
  });
});

describe("access token expiry to the instant", () => {
  it("gives a 1.5 s client_credentials token expires_in 1, its exact exp, and makes it inactive after 1.5 s", async () => {
    const client = await machine("1.5s");
    const before = Date.now();
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, client);
    const after = Date.now();
    expect(answer.status).toBe(200);
    // fosite: 1.5 s minus the time the request took, cut to whole seconds (oidc-provider said 2).
    expect(answer.body.expires_in).toBe(1);
    const info = await introspect(answer.body.access_token);
    expect(info.active).toBe(true);
    // exp is the instant issue-time + 1.5 s, in Unix seconds rounded down.
    expect(info.exp).toBeGreaterThanOrEqual(Math.floor((before + 1500) / 1000));
    expect(info.exp).toBeLessThanOrEqual(Math.floor((after + 1500) / 1000));
    await sleepUntil(after + 1600);
    expect(await introspect(answer.body.access_token)).toEqual({ active: false });
  });

  it("stores the instant itself, and for a JWT access token the end of the second its exp names", async () => {
    const opaque = await machine("1.5s");
    const before = Date.now();
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, opaque);
    const after = Date.now();
    const until = await rowValidUntil(String(answer.body.access_token));
    expect(until).toBeGreaterThanOrEqual(before + 1500 - 1);
    expect(until).toBeLessThanOrEqual(after + 1500 + 1);

    const jwtClient = await createClient({
      grant_types: ["client_credentials"],
      scope: "jobs.run",
      access_token_strategy: "jwt",
      client_credentials_grant_access_token_lifespan: "1.5s",
    });
    const jwt = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, jwtClient);
    expect(jwt.body.expires_in).toBe(1);
    const exp = Number(decodeJwtPayload(String(jwt.body.access_token)).exp);
    expect(await rowValidUntil(String(jwt.body.access_token))).toBe((exp + 1) * 1000);
    expect((await introspect(jwt.body.access_token)).exp).toBe(exp);
  });

  it("answers expires_in 0 for a 400 ms lifespan", async () => {
    const client = await machine("400ms");
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, client);
    expect(answer.body.expires_in).toBe(0);
    const after = Date.now();
    await sleepUntil(after + 500);
    expect(await introspect(answer.body.access_token)).toEqual({ active: false });
  });

  it("keeps lifespans that are not positive and mints tokens born expired, as Hydra does", async () => {
    // x.NullDuration takes any Go duration; client/validator.go does not look at lifespans.
    const negative = await machine("-5m");
    expect(negative.created.client_credentials_grant_access_token_lifespan).toBe("-5m0s");
    const zero = await machine("0s");
    expect((await hydra.admin.getOAuth2Client({ id: zero.id })).data.client_credentials_grant_access_token_lifespan).toBe("0s");

    const past = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, negative);
    expect(past.status).toBe(200);
    expect(past.body.expires_in).toBe(-300);
    expect(await introspect(past.body.access_token)).toEqual({ active: false });
    const now = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, zero);
    expect(now.status).toBe(200);
    expect(now.body.expires_in).toBe(0);
    expect(await introspect(now.body.access_token)).toEqual({ active: false });
  });
});

describe("implicit flow", () => {
  it("answers the fragment's expires_in as flow_authorize_implicit.go: Round(now + 1.5 s) - now, cut to seconds", async () => {
    const client = await createClient({
      redirect_uris: [REDIRECT_URI],
      scope: "openid",
      grant_types: ["implicit"],
      response_types: ["id_token token"],
      skip_consent: true,
      implicit_grant_access_token_lifespan: "1.5s",
    });
    const browser = new TestBrowser();
    const login = await toLoginUi(
      browser,
      authorizeUrl(hydra, client.id, { response_type: "id_token token", scope: "openid", nonce: "nonce-expiry-1" }),
    );
    const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject: "implicit-expiry" });
    const params = responseParams(await acceptConsent(hydra, browser, consent));
    // Round(now + 1.5 s) is 1 to 2 s away, so 1, or 0 when the answer took longer than that over 1 s; oidc-provider said 2.
    expect(["0", "1"]).toContain(params.get("expires_in"));
  });
});

describe("code flow tokens born expired", () => {
  it("answers a rounded negative expires_in, then 'The refresh token expired.' for the refresh token", async () => {
    const client = await createClient({
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid offline_access",
      skip_consent: true,
      authorization_code_grant_access_token_lifespan: "-1m",
      authorization_code_grant_refresh_token_lifespan: "-1m",
    });
    const answer = await codeExchange(client, "openid offline_access");
    expect(answer.status).toBe(200);
    // Round(now - 60 s) minus now: between -60.5 and -59.5 s, truncated.
    expect([-60, -59]).toContain(answer.body.expires_in);
    expect(await introspect(answer.body.access_token)).toEqual({ active: false });
    expect(await introspect(answer.body.refresh_token)).toEqual({ active: false });
    const id = decodeJwtPayload(answer.body.id_token ?? "");
    expect([3599, 3600]).toContain(Number(id.exp) - Number(id.iat));

    const refreshed = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: answer.body.refresh_token }, client);
    expect(refreshed).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: `${INVALID_GRANT} The refresh token expired.` },
    });
  });

  it("stops the ID token with server_error when its lifespan is not positive", async () => {
    // GenerateIDToken: "Failed to generate id token because expiry claim can not be in the past."
    const client = await createClient({
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code"],
      scope: "openid",
      skip_consent: true,
      authorization_code_grant_id_token_lifespan: "0s",
    });
    const answer = await codeExchange(client, "openid");
    expect(answer).toEqual({ status: 500, body: { error: "server_error", error_description: SERVER_ERROR } });
  });
});

describe("ID token exp under one second", () => {
  it("is GenerateIDToken's now + lifespan in Unix seconds even within the current second (openid/strategy_jwt.go, jwt/claims_id_token.go ToMap)", async () => {
    // A 1 µs lifespan ends within the second it starts in: fosite's exp is that second, never after the iat it sets later.
    const client = await createClient({
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code"],
      scope: "openid",
      skip_consent: true,
      authorization_code_grant_id_token_lifespan: "1us",
    });
    const before = Date.now();
    const answer = await codeExchange(client, "openid");
    const after = Date.now();
    expect(answer.status).toBe(200);
    const id = decodeJwtPayload(answer.body.id_token ?? "");
    // oidc-provider's one-second minimum made it iat + 1.
    expect(Number(id.exp)).toBeLessThanOrEqual(Number(id.iat));
    expect(Number(id.exp)).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(Number(id.exp)).toBeLessThanOrEqual(Math.floor(after / 1000));
  });
});
