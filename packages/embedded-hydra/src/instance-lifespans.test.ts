import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as clients from "./testing/clients";
import { startHydraWithPostgres, startHydraWithTtl, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { REDIRECT_URI, tokenRequest } from "./testing/oauth";
import * as tokens from "./testing/tokens";
import { INVALID_GRANT, sleepUntil } from "./testing/tokens";

/**
 * An instance whose `ttl.*` are sub-second or shorter than its clients'
 * lifespans, and the refresh grant's order of checks, as Hydra v26.2 has them:
 * driver/config/provider_fosite.go (ttl.* as Go durations), fosite
 * handler/oauth2/flow_refresh.go HandleTokenEndpointRequest (reuse before
 * expiry, handleRefreshTokenReuse, `rtLifespan > -1`),
 * flow_authorize_code_token.go, strategy_hmacsha_plain.go
 * ValidateRefreshToken, oauth2/handler.go introspectOAuth2Token.
 * Waits leave a half second or more beside every instant.
 */
const ACCESS_TTL_MS = 1500;
const REFRESH_TTL_MS = 2000;

let pg: TestPostgres;
let hydra: HydraUnderTest;

const createClient = (body: Record<string, unknown>) => clients.createClient(hydra, body);
const introspect = (token: unknown) => tokens.introspect(hydra, token);
const codeExchange = (client: clients.CreatedClient) => tokens.codeExchange(hydra, client, "openid offline_access", "ttl-user");
const refresh = (client: clients.CreatedClient, token: unknown) => tokens.refresh(hydra, client, token);

const webApp = (lifespans: Record<string, string> = {}) =>
  createClient({
    redirect_uris: [REDIRECT_URI],
    grant_types: ["authorization_code", "refresh_token"],
    scope: "openid offline_access",
    skip_consent: true,
    ...lifespans,
  });

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres((server) =>
    startHydraWithTtl(server, { access_token: `${ACCESS_TTL_MS}ms`, refresh_token: `${REFRESH_TTL_MS}ms` }),
  ));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("sub-second instance ttl", () => {
  it("gives a client_credentials token ttl.access_token 1500ms to the instant: expires_in 1, inactive after 1.5 s", async () => {
    const machine = await createClient({ grant_types: ["client_credentials"], scope: "jobs.run" });
    const before = Date.now();
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "jobs.run" }, machine);
    const after = Date.now();
    expect(answer.body.expires_in).toBe(1);
    const info = await introspect(answer.body.access_token);
    expect(info.active).toBe(true);
    expect(info.exp).toBeGreaterThanOrEqual(Math.floor((before + ACCESS_TTL_MS) / 1000));
    expect(info.exp).toBeLessThanOrEqual(Math.floor((after + ACCESS_TTL_MS) / 1000));
    // Whole seconds (2 s) would keep it active until after + 2000.
    await sleepUntil(after + ACCESS_TTL_MS + 150);
    expect(await introspect(answer.body.access_token)).toEqual({ active: false });
  });
});

describe("refresh tokens outliving ttl.refresh_token", () => {
  it("keeps a client's longer refresh lifespan working after the instance's ttl.refresh_token has passed", async () => {
    const client = await webApp({
      authorization_code_grant_refresh_token_lifespan: "1h",
      refresh_token_grant_refresh_token_lifespan: "1h",
    });
    const first = await codeExchange(client);
    expect(first.status).toBe(200);
    const issued = Date.now();
    await sleepUntil(issued + REFRESH_TTL_MS + 1000);
    // oidc-provider's grant lasted ttl.refresh_token: "The refresh token expired."
    const second = await refresh(client, first.body.refresh_token);
    expect(second.status).toBe(200);
    const info = await introspect(second.body.refresh_token);
    expect(info.active).toBe(true);
    expect(Number(info.exp) - Number(info.iat)).toBeGreaterThanOrEqual(3599);
    expect((await introspect(second.body.access_token)).active).toBe(true);
  });

  it("never expires a refresh token whose lifespan is -1, and introspects it with exp = iat + ttl.refresh_token", async () => {
    // x.NullDuration keeps -1ns; fosite's `rtLifespan > -1` then sets no expiry, and the refreshed token inherits none.
    const client = await webApp({
      authorization_code_grant_refresh_token_lifespan: "-1ns",
      refresh_token_grant_refresh_token_lifespan: "-1ns",
    });
    const first = await codeExchange(client);
    expect(first.status).toBe(200);
    const before = await introspect(first.body.refresh_token);
    expect(before.active).toBe(true);
    // introspectOAuth2Token: a session without a refresh expiry reports requested_at + ttl.refresh_token.
    expect(Number(before.exp) - Number(before.iat)).toBe(2);
    await sleepUntil(Date.now() + REFRESH_TTL_MS + 1000);
    expect((await introspect(first.body.refresh_token)).active).toBe(true);
    const second = await refresh(client, first.body.refresh_token);
    expect(second.status).toBe(200);
    expect((await introspect(second.body.refresh_token)).active).toBe(true);
  });

  it("gives the refresh grant's token of lifespan -1 the expiry of the token it replaces (flow_refresh.go clones the session)", async () => {
    const client = await webApp({
      authorization_code_grant_refresh_token_lifespan: "1h",
      refresh_token_grant_refresh_token_lifespan: "-1ns",
    });
    const first = await codeExchange(client);
    const firstExp = (await introspect(first.body.refresh_token)).exp;
    const second = await refresh(client, first.body.refresh_token);
    expect(second.status).toBe(200);
    const info = await introspect(second.body.refresh_token);
    expect(info.active).toBe(true);
    expect(info.exp).toBe(firstExp);
  });
});

describe("refresh token reuse before expiry (flow_refresh.go HandleTokenEndpointRequest)", () => {
  it("answers an expired, already used refresh token as reuse and revokes the chain", async () => {
    const client = await webApp({
      authorization_code_grant_refresh_token_lifespan: "1s",
      refresh_token_grant_refresh_token_lifespan: "1h",
    });
    const first = await codeExchange(client);
    const second = await refresh(client, first.body.refresh_token);
    expect(second.status).toBe(200);
    // The first token's expiry is Round(issue + 1 s): over 1.5 s later it has passed.
    await sleepUntil(Date.now() + 2000);
    const reused = await refresh(client, first.body.refresh_token);
    expect(reused).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: `${INVALID_GRANT} The refresh token was already used.` },
    });
    expect(await introspect(second.body.refresh_token)).toEqual({ active: false });
    expect(await introspect(second.body.access_token)).toEqual({ active: false });
  });

  it("answers reuse before the client mismatch: another client's used token revokes its chain", async () => {
    const owner = await webApp();
    const other = await webApp();
    const first = await codeExchange(owner);
    const second = await refresh(owner, first.body.refresh_token);
    expect(second.status).toBe(200);
    const reused = await refresh(other, first.body.refresh_token);
    expect(reused.body.error_description).toBe(`${INVALID_GRANT} The refresh token was already used.`);
    expect(await introspect(second.body.refresh_token)).toEqual({ active: false });
  });

  it("answers an expired token presented by another client as expired, before the client mismatch", async () => {
    const owner = await webApp({ authorization_code_grant_refresh_token_lifespan: "-1m" });
    const other = await webApp();
    const first = await codeExchange(owner);
    const answer = await refresh(other, first.body.refresh_token);
    expect(answer.body.error_description).toBe(`${INVALID_GRANT} The refresh token expired.`);
  });
});
