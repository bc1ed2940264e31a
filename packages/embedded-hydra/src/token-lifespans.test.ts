import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, startHydraWithTtl, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { relyingParty, signIn } from "./testing/sign-in";

const REDIRECT_URI = "http://rp.localhost:5555/callback";
/** The instance-wide ttl.access_token of this file's instance: short enough to watch a token expire. */
const GLOBAL_ACCESS_TOKEN_SECONDS = 2;

let pg: TestPostgres;
let hydra: HydraUnderTest;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const rp = (id: string, secret: string) => relyingParty(hydra, id, secret);

const machineClient = (lifespans: Record<string, string> = {}) =>
  createClient(hydra, { client_name: "m2m", grant_types: ["client_credentials"], scope: "jobs.run", ...lifespans });

async function introspect(token: string) {
  return (await hydra.admin.introspectOAuth2Token({ token })).data;
}

async function tokenRows(token: string): Promise<number> {
  const { rows } = await pg.query("SELECT count(*)::int AS n FROM oidc_payloads WHERE id = $1", [token], hydra.dsn.split("/").pop());
  return (rows[0] as { n: number }).n;
}

beforeAll(async () => {
  // The CIAM config with a 2-second access-token lifespan.
  ({ postgres: pg, hydra } = await startHydraWithPostgres((server) =>
    startHydraWithTtl(server, { access_token: `${GLOBAL_ACCESS_TOKEN_SECONDS}s` }, { cleanupIntervalMs: 300 }),
  ));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("per-client token lifespans (Hydra's client lifespans)", () => {
  it("bounds a client_credentials token by client_credentials_grant_access_token_lifespan", async () => {
    const machine = await machineClient({ client_credentials_grant_access_token_lifespan: "5m" });
    // Hydra answers lifespans as Go durations.
    expect(machine.created.client_credentials_grant_access_token_lifespan).toBe("5m0s");
    expect((await hydra.admin.getOAuth2Client({ id: machine.id })).data.client_credentials_grant_access_token_lifespan).toBe("5m0s");

    const tokens = await oidc.clientCredentialsGrant(await rp(machine.id, machine.secret), { scope: "jobs.run" });
    expect(tokens.expires_in).toBeGreaterThanOrEqual(299);
    expect(tokens.expires_in).toBeLessThanOrEqual(300);
    const info = await introspect(tokens.access_token);
    expect(info.active).toBe(true);
    expect((info.exp ?? 0) - (info.iat ?? 0)).toBe(300);
  });

  it("sets lifespans alone with PUT /admin/clients/{id}/lifespans, keeping the other fields and the secret", async () => {
    const machine = await machineClient();
    const { data: updated } = await hydra.admin.setOAuth2ClientLifespans({
      id: machine.id,
      oAuth2ClientTokenLifespans: { client_credentials_grant_access_token_lifespan: "10m", refresh_token_grant_id_token_lifespan: "90s" },
    });
    expect(updated).toMatchObject({
      client_id: machine.id,
      client_name: "m2m",
      scope: "jobs.run",
      client_credentials_grant_access_token_lifespan: "10m0s",
      refresh_token_grant_id_token_lifespan: "1m30s",
    });
    expect(updated.client_secret).toBeUndefined();
    const config = await rp(machine.id, machine.secret);
    expect((await oidc.clientCredentialsGrant(config, { scope: "jobs.run" })).expires_in).toBeGreaterThanOrEqual(599);

    // A body without a lifespan clears it: the instance-wide ttl applies again, and unset lifespans are null (x.NullDuration).
    const { data: cleared } = await hydra.admin.setOAuth2ClientLifespans({ id: machine.id, oAuth2ClientTokenLifespans: {} });
    expect(cleared.client_credentials_grant_access_token_lifespan).toBeNull();
    expect(cleared.refresh_token_grant_id_token_lifespan).toBeNull();
    expect((await oidc.clientCredentialsGrant(config, { scope: "jobs.run" })).expires_in).toBeLessThanOrEqual(GLOBAL_ACCESS_TOKEN_SECONDS);
  });

  it("keeps fractions of seconds as Go's time.Duration.String prints them", async () => {
    // Hydra: x.NullDuration stores any time.Duration and answers it with Duration.String().
    const { data } = await hydra.admin.setOAuth2ClientLifespans({
      id: (await machineClient()).id,
      oAuth2ClientTokenLifespans: {
        client_credentials_grant_access_token_lifespan: "1.5s",
        refresh_token_grant_id_token_lifespan: "90.25s",
        implicit_grant_access_token_lifespan: "500ms",
        jwt_bearer_grant_access_token_lifespan: "1500us",
        authorization_code_grant_access_token_lifespan: "2h0.000000001s",
      },
    });
    expect(data).toMatchObject({
      client_credentials_grant_access_token_lifespan: "1.5s",
      refresh_token_grant_id_token_lifespan: "1m30.25s",
      implicit_grant_access_token_lifespan: "500ms",
      jwt_bearer_grant_access_token_lifespan: "1.5ms",
      authorization_code_grant_access_token_lifespan: "2h0m0.000000001s",
    });
    const machine = await machineClient({ client_credentials_grant_access_token_lifespan: "400ms" });
    expect(machine.created.client_credentials_grant_access_token_lifespan).toBe("400ms");
    // How such lifespans mint tokens: token-expiry.test.ts.
  });

  it("refuses a lifespan that is not a Go duration as Go's decoder does", async () => {
    // Hydra: x/sqlx.go NullDuration.UnmarshalJSON (time.ParseDuration, time/format.go: its three texts) via client/handler.go ("Unable to decode the request body").
    const cases: [string, string][] = [
      ["forever", 'time: invalid duration "forever"'],
      ["5", 'time: missing unit in duration "5"'],
      ["", 'time: invalid duration ""'],
      ["1d", 'time: unknown unit "d" in duration "1d"'],
      ["1µx", 'time: unknown unit "\\xc2\\xb5x" in duration "1\\xc2\\xb5x"'],
      ["9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'],
    ];
    for (const [value, message] of cases) {
      const response = await fetch(new URL("admin/clients", hydra.adminUrl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_types: ["client_credentials"], client_credentials_grant_access_token_lifespan: value }),
      });
      expect(response.status, value).toBe(400);
      expect(await response.json()).toEqual({
        error: "The request was malformed or contained invalid parameters",
        error_description: `Unable to decode the request body: ${message}`,
      });
    }
    const machine = await machineClient();
    const lifespans = await fetch(new URL(`admin/clients/${machine.id}/lifespans`, hydra.adminUrl), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ authorization_code_grant_access_token_lifespan: "soon" }),
    });
    expect(lifespans.status).toBe(400);
    const missing = await hydra.admin
      .setOAuth2ClientLifespans({ id: "no-such-client", oAuth2ClientTokenLifespans: {} })
      .catch((error: { response: { status: number } }) => error.response);
    expect(missing.status).toBe(404);
  });

  it("uses the authorization_code_grant_* lifespans on a code exchange and refresh_token_grant_* on a refresh", async () => {
    const client = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid offline_access",
      skip_consent: true,
      authorization_code_grant_access_token_lifespan: "7m",
      authorization_code_grant_id_token_lifespan: "8m",
      authorization_code_grant_refresh_token_lifespan: "9m",
      refresh_token_grant_access_token_lifespan: "3m",
      refresh_token_grant_id_token_lifespan: "4m",
      refresh_token_grant_refresh_token_lifespan: "6m",
    });
    const config = await rp(client.id, client.secret);
    const { tokens } = await signIn(hydra, new TestBrowser(), config, {
      subject: "lifespan-user",
      redirectUri: REDIRECT_URI,
      scope: "openid offline_access",
    });

    expect(tokens.expires_in).toBeGreaterThanOrEqual(419);
    expect(tokens.expires_in).toBeLessThanOrEqual(420);
    const idClaims = tokens.claims();
    // GenerateIDToken sets exp before iat: a second may tick in between, in Hydra as here.
    expect([479, 480]).toContain((idClaims?.exp ?? 0) - (idClaims?.iat ?? 0));
    const refreshInfo = await introspect(tokens.refresh_token ?? "");
    expect(refreshInfo.active).toBe(true);
    // fosite rounds the refresh token's expiry to the second (flow_authorize_code_token.go); iat is rounded down.
    expect([540, 541]).toContain((refreshInfo.exp ?? 0) - (refreshInfo.iat ?? 0));

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "");
    expect(refreshed.expires_in).toBeGreaterThanOrEqual(179);
    expect(refreshed.expires_in).toBeLessThanOrEqual(180);
    const refreshedClaims = refreshed.claims();
    expect([239, 240]).toContain((refreshedClaims?.exp ?? 0) - (refreshedClaims?.iat ?? 0));
    const rotated = await introspect(refreshed.refresh_token ?? "");
    expect([360, 361]).toContain((rotated.exp ?? 0) - (rotated.iat ?? 0));
  });
});

describe("instance-wide lifespans and expiry cleanup", () => {
  it("introspects an access token past ttl.access_token as inactive, and the cleanup deletes its row", async () => {
    const machine = await machineClient();
    const tokens = await oidc.clientCredentialsGrant(await rp(machine.id, machine.secret), { scope: "jobs.run" });
    expect(tokens.expires_in).toBeLessThanOrEqual(GLOBAL_ACCESS_TOKEN_SECONDS);
    expect((await introspect(tokens.access_token)).active).toBe(true);
    // The row exists (stored with its expiry) while the token is live.
    expect(await tokenRows(tokens.access_token)).toBe(1);

    await sleep(GLOBAL_ACCESS_TOKEN_SECONDS * 1000 + 500);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });

    // The periodic cleanup (cleanupIntervalMs: 300 here, a minute by default) removes the expired row.
    let rows = await tokenRows(tokens.access_token);
    for (let attempt = 0; rows > 0 && attempt < 20; attempt++) {
      await sleep(200);
      rows = await tokenRows(tokens.access_token);
    }
    expect(rows).toBe(0);

    // A live token issued meanwhile survives the same cleanup.
    const fresh = await oidc.clientCredentialsGrant(await rp(machine.id, machine.secret), { scope: "jobs.run" });
    await sleep(700);
    expect(await tokenRows(fresh.access_token)).toBe(1);
  });
});
