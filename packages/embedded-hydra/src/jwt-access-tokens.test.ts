import { createHash } from "node:crypto";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./testing/clients";
import {
  startHydraWithConfig,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";
import { decodeJwtHeader, decodeJwtPayload, REDIRECT_URI, tokenRequest } from "./testing/oauth";
import { codeExchange, introspect } from "./testing/tokens";

/**
 * JWT access tokens as Hydra issues them: fosite's DefaultJWTStrategy
 * (fosite/handler/oauth2/strategy_jwt.go generate) with Hydra's claims
 * (oauth2/session.go GetJWTClaims), chosen per client (access_token_strategy)
 * or for the whole instance (strategies.access_token).
 */
let pg: TestPostgres;
let hydra: HydraUnderTest;
let jwtInstance: HydraUnderTest;

async function verifyWithPublishedKeys(target: HydraUnderTest, token: string) {
  const jwks = (await fetch(new URL(".well-known/jwks.json", target.publicUrl)).then((r) => r.json())) as Parameters<
    typeof createLocalJWKSet
  >[0];
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: target.issuer });
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  jwtInstance = await startHydraWithConfig(pg, (config) => {
    Object.assign((config.strategies ??= {}), { access_token: "jwt" });
  });
});

afterAll(() => stopHydraAndPostgres([hydra, jwtInstance], pg));

describe("access_token_strategy: jwt on a client", () => {
  it("client_credentials: a JWT signed with hydra.jwt.access-token carrying Hydra's claims; introspection and revocation work on it", async () => {
    const machine = await createClient(hydra, {
      grant_types: ["client_credentials"],
      scope: "reports.read",
      audience: ["https://api.example.com"],
      access_token_strategy: "jwt",
    });
    const answer = await tokenRequest(
      hydra,
      { grant_type: "client_credentials", scope: "reports.read", audience: "https://api.example.com" },
      machine,
    );
    expect(answer.body).toHaveProperty("access_token");
    const token = answer.body.access_token ?? "";
    const keys = await fetch(new URL("admin/keys/hydra.jwt.access-token", hydra.adminUrl)).then(
      (r) => r.json() as Promise<{ keys: Array<{ kid: string }> }>,
    );
    expect(decodeJwtHeader(token)).toEqual({ alg: "RS256", kid: keys.keys[0]?.kid, typ: "JWT" });
    const { payload } = await verifyWithPublishedKeys(hydra, token);
    expect(payload).toMatchObject({
      iss: hydra.issuer,
      sub: machine.id,
      client_id: machine.id,
      aud: ["https://api.example.com"],
      scp: ["reports.read"],
      ext: {},
    });
    expect(payload.nbf).toBe(payload.iat);
    // flow_client_credentials.go: exp is the unrounded issue instant + 1h (Unix seconds), expires_in that less the time taken, cut.
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(answer.body.expires_in).toBe(3599);

    expect(await introspect(hydra, token)).toMatchObject({
      active: true,
      client_id: machine.id,
      aud: ["https://api.example.com"],
      scope: "reports.read",
    });
    // The jti names the stored token but is no bearer credential of its own.
    expect((await introspect(hydra, String(payload.jti))).active).toBe(false);
    const revoked = await fetch(new URL("oauth2/revoke", hydra.publicUrl), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${machine.id}:${machine.secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ token }),
    });
    expect(revoked.status).toBe(200);
    expect((await introspect(hydra, token)).active).toBe(false);
  });

  it("authorization code: the JWT carries the subject, the granted scope and session.access_token as ext, and works at userinfo", async () => {
    const webApp = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      scope: "openid offline_access orders.read",
      grant_types: ["authorization_code", "refresh_token"],
      access_token_strategy: "jwt",
    });
    const answer = await codeExchange(hydra, webApp, "openid orders.read", "jwt-user", {
      consent: { session: { access_token: { tier: "gold" }, id_token: {} } },
    });
    const token = answer.body.access_token ?? "";
    const { payload } = await verifyWithPublishedKeys(hydra, token);
    expect(payload).toMatchObject({
      sub: "jwt-user",
      client_id: webApp.id,
      aud: [],
      scp: ["openid", "orders.read"],
      ext: { tier: "gold" },
    });
    expect(answer.body.scope).toBe("openid orders.read");
    // The ID token's at_hash is over the JWT the client received.
    expect(decodeJwtPayload(answer.body.id_token ?? "").at_hash).toBe(
      createHash("sha256").update(token).digest().subarray(0, 16).toString("base64url"),
    );
    const userinfo = await fetch(new URL("userinfo", hydra.publicUrl), { headers: { authorization: `Bearer ${token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: "jwt-user" });
    expect(await introspect(hydra, token)).toMatchObject({ active: true, sub: "jwt-user", ext: { tier: "gold" } });
  });

  it("leaves clients on the opaque strategy with opaque tokens", async () => {
    const machine = await createClient(hydra, { grant_types: ["client_credentials"], scope: "reports.read" });
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials" }, machine);
    // fosite's HMAC strategy value, not a JWT.
    expect(answer.body.access_token).toMatch(/^ory_at_[\w-]{43}\.[\w-]{43}$/);
  });
});

describe("strategies.access_token: jwt for the instance", () => {
  it("issues JWTs to every client unless the client chose opaque", async () => {
    const byDefault = await createClient(jwtInstance, { grant_types: ["client_credentials"], scope: "jobs.run" });
    const jwt = await tokenRequest(jwtInstance, { grant_type: "client_credentials", scope: "jobs.run" }, byDefault);
    expect((await verifyWithPublishedKeys(jwtInstance, jwt.body.access_token ?? "")).payload).toMatchObject({
      sub: byDefault.id,
      scp: ["jobs.run"],
    });
    const opaque = await createClient(jwtInstance, {
      grant_types: ["client_credentials"],
      scope: "jobs.run",
      access_token_strategy: "opaque",
    });
    const plain = await tokenRequest(jwtInstance, { grant_type: "client_credentials" }, opaque);
    expect(plain.body.access_token).toMatch(/^ory_at_[\w-]{43}\.[\w-]{43}$/);
  });
});
