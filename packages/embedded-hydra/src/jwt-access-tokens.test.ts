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

describe("a JWT access token its signer no longer verifies (jwk/jwt_strategy.go DefaultJWTSigner, fosite token/jwt ParseWithClaims)", () => {
  it("after the access token set rotates or is deleted: token_signature_mismatch at /userinfo and /credentials, inactive at introspection", async () => {
    // Its own database: the access token set is changed here.
    const rotating = await startHydraWithConfig(pg, () => undefined);
    try {
      const machine = await createClient(rotating, { grant_types: ["client_credentials"], access_token_strategy: "jwt" });
      const mint = async () => (await tokenRequest(rotating, { grant_type: "client_credentials" }, machine)).body.access_token ?? "";
      const older = await mint();
      const lapsing = await createClient(rotating, {
        grant_types: ["client_credentials"],
        access_token_strategy: "jwt",
        client_credentials_grant_access_token_lifespan: "-5m",
      });
      const expired = (await tokenRequest(rotating, { grant_type: "client_credentials" }, lapsing)).body.access_token ?? "";
      expect(await introspect(rotating, older)).toMatchObject({ active: true });
      const userinfo = (token: string) => fetch(new URL("userinfo", rotating.publicUrl), { headers: { authorization: `Bearer ${token}` } });
      expect((await userinfo(older)).status).toBe(200);

      // POST adds a newer key: GetOrGenerateKeys now hands out that one, and only it verifies (DefaultSigner.Decode).
      const added = await fetch(new URL("admin/keys/hydra.jwt.access-token", rotating.adminUrl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ alg: "ES256", use: "sig" }),
      });
      expect(added.status).toBe(201);
      // strategy_jwt.go toRFCErr: ValidationErrorSignatureInvalid is ErrTokenSignatureMismatch (400, so no WWW-Authenticate).
      const mismatch = {
        error: "token_signature_mismatch",
        error_description: "Token signature mismatch. Check that you provided  a valid token in the right format.",
      };
      // An expired one too: ParseWithClaims verifies the signature before MapClaims.Valid looks at `exp`.
      for (const token of [older, expired]) {
        const refused = await userinfo(token);
        expect([refused.status, await refused.json(), refused.headers.get("www-authenticate")]).toEqual([400, mismatch, null]);
      }
      const credentials = await fetch(new URL("credentials", rotating.publicUrl), {
        method: "POST",
        headers: { authorization: `Bearer ${older}`, "content-type": "application/json" },
        body: JSON.stringify({ format: "jwt_vc_json" }),
      });
      expect([credentials.status, await credentials.json()]).toEqual([400, mismatch]);
      // fosite introspect.go NewIntrospectionRequest: any IntrospectToken error is ErrInactiveToken.
      expect(await introspect(rotating, older)).toEqual({ active: false });

      const newer = await mint();
      expect(decodeJwtHeader(newer)).toMatchObject({ alg: "ES256" });
      expect(await introspect(rotating, newer)).toMatchObject({ active: true });
      // A deleted set is generated anew (GetOrGenerateKeys): no token signed before verifies.
      expect((await fetch(new URL("admin/keys/hydra.jwt.access-token", rotating.adminUrl), { method: "DELETE" })).status).toBe(204);
      expect(await introspect(rotating, newer)).toEqual({ active: false });
      expect((await userinfo(newer)).status).toBe(400);
      expect((await userinfo(await mint())).status).toBe(200);
    } finally {
      await rotating.close();
    }
  });
});

describe("a client moved from access_token_strategy: jwt to opaque (fositex/token_strategy.go ValidateAccessToken: the strategy of the token's client as it is now)", () => {
  it("its JWTs are validated by the HMAC strategy: inactive at introspection, unknown at /userinfo, an expired one refused with the HMAC strategy's hint", async () => {
    const machine = await createClient(hydra, { grant_types: ["client_credentials"], access_token_strategy: "jwt" });
    const lapsing = await createClient(hydra, {
      grant_types: ["client_credentials"],
      access_token_strategy: "jwt",
      client_credentials_grant_access_token_lifespan: "-5m",
    });
    const live = (await tokenRequest(hydra, { grant_type: "client_credentials" }, machine)).body.access_token ?? "";
    const expired = (await tokenRequest(hydra, { grant_type: "client_credentials" }, lapsing)).body.access_token ?? "";
    expect(await introspect(hydra, live)).toMatchObject({ active: true });
    const userinfo = (token: string) => fetch(new URL("userinfo", hydra.publicUrl), { headers: { authorization: `Bearer ${token}` } });
    expect(await (await userinfo(expired)).json()).toEqual({
      error: "token_expired",
      error_description: "Token expired. The token expired.",
    });

    for (const client of [machine, lapsing]) {
      const patched = await fetch(new URL(`admin/clients/${client.id}`, hydra.adminUrl), {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([{ op: "replace", path: "/access_token_strategy", value: "opaque" }]),
      });
      expect(patched.status).toBe(200);
    }
    // The JWT's "payload.signature" does not base64-decode (token/hmac/hmacsha.go validate): introspectOAuth2Token's ErrInactiveToken.
    expect(await introspect(hydra, live)).toEqual({ active: false });
    // Hydra answers that error at /userinfo with fosite's unrecognizable 500; here it is a token that cannot be found.
    const unknown = await userinfo(live);
    expect([unknown.status, await unknown.json()]).toEqual([
      401,
      {
        error: "request_unauthorized",
        error_description: "The request could not be authorized. Check that you provided valid credentials in the right format.",
      },
    ]);
    // strategy_hmacsha_plain.go ValidateAccessToken looks at the session's expiry first, with its own hint.
    const lapsed = (await (await userinfo(expired)).json()) as { error: string; error_description: string };
    expect(lapsed.error).toBe("token_expired");
    expect(lapsed.error_description).toMatch(
      /^Token expired\. Access token expired at '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \+0000 UTC'\.$/,
    );
    // New tokens are opaque.
    expect((await tokenRequest(hydra, { grant_type: "client_credentials" }, machine)).body.access_token).toMatch(
      /^ory_at_[\w-]{43}\.[\w-]{43}$/,
    );
  });
});
