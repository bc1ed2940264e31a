import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import { createClient } from "../testing/clients";
import { runCleanup, startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";
import {
  acceptConsent,
  acceptLogin,
  authorizeUrl,
  decodeJwtHeader,
  decodeJwtPayload,
  newVerifier,
  REDIRECT_URI,
  responseParams,
  s256,
  tokenRequest,
  toLoginUi,
  type ClientCredentials,
} from "../testing/oauth";
import { introspect, redeemCode } from "../testing/tokens";

/**
 * GET/POST /userinfo as Hydra's oauth2/handler.go getOidcUserInfo answers:
 * the token session's ID token claims (fosite IDTokenClaims.ToMap) without
 * nonce, at_hash, c_hash, exp, sid and jti, `aud` naming the client; its
 * refusals with a `WWW-Authenticate: Bearer error="…",error_description="…"`.
 */
let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: ClientCredentials;

const SCOPE = "openid offline_access";
const UNAUTHORIZED = "The request could not be authorized. Check that you provided valid credentials in the right format.";

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    grant_types: ["authorization_code", "refresh_token", "client_credentials"],
    scope: `${SCOPE} email`,
  });
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

async function signIn(forClient: ClientCredentials = client) {
  const browser = new TestBrowser();
  const verifier = newVerifier();
  const before = Math.floor(Date.now() / 1000);
  const login = await toLoginUi(
    browser,
    authorizeUrl(hydra, forClient.id, { scope: SCOPE, code_challenge: s256(verifier), code_challenge_method: "S256" }),
  );
  const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject: "ui-user", acr: "aal2", amr: ["pwd", "otp"] });
  const callback = await acceptConsent(hydra, browser, consent, {
    session: { id_token: { zeta: "z", email: "ui@example.com", nested: { b: 1, a: 2 }, sid: "nope", nonce: "nope" } },
  });
  const tokens = await redeemCode(hydra, forClient, { code: responseParams(callback).get("code") ?? "", verifier });
  return { tokens: tokens.body, before, after: Math.floor(Date.now() / 1000) };
}

async function userinfo(init: RequestInit = {}, query = "") {
  const res = await fetch(new URL(`userinfo${query}`, hydra.publicUrl), init);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    authenticate: res.headers.get("www-authenticate"),
    text: await res.text(),
  };
}

const bearer = (token: unknown) => ({ headers: { authorization: `Bearer ${String(token)}` } });

const GO_UTC_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d*[1-9]))? \+0000 UTC$/;

/** A token_expired refusal (body and WWW-Authenticate alike); the expiry it names, in epoch ms, and its fraction digits. */
function expiredAt(answer: Awaited<ReturnType<typeof userinfo>>): { ms: number; fraction: string } {
  const body = JSON.parse(answer.text) as { error: string; error_description: string };
  expect([answer.status, answer.type, body.error]).toEqual([401, "application/json", "token_expired"]);
  expect(answer.authenticate).toBe(`Bearer error="token_expired",error_description="${body.error_description}"`);
  const quoted = /^Token expired\. Access token expired at '(.*)'\.$/.exec(body.error_description)?.[1] ?? "";
  const parts = GO_UTC_TIME.exec(quoted);
  expect(parts, quoted).not.toBeNull();
  const fraction = parts?.[3] ?? "";
  const ms = Date.parse(`${parts?.[1]}T${parts?.[2]}Z`) + Number(`0.${fraction || "0"}`) * 1000;
  return { ms, fraction };
}

describe("the claims", () => {
  it("are the token session's ID token claims, keys in Go's map order, whatever the scope", async () => {
    const { tokens, before, after } = await signIn();
    const answer = await userinfo(bearer(tokens.access_token));
    expect([answer.status, answer.type]).toEqual([200, "application/json; charset=utf-8"]);
    const claims = JSON.parse(answer.text) as Record<string, unknown>;
    expect(Object.keys(claims)).toEqual(["acr", "amr", "aud", "auth_time", "email", "iat", "iss", "nested", "rat", "sub", "zeta"]);
    expect(answer.text).toContain('"nested":{"a":2,"b":1}');
    expect(answer.text.endsWith("}\n")).toBe(true);
    expect(claims).toMatchObject({ acr: "aal2", amr: ["pwd", "otp"], aud: [client.id], iss: hydra.issuer, sub: "ui-user", zeta: "z" });
    for (const time of ["auth_time", "iat", "rat"]) {
      expect(claims[time]).toBeGreaterThanOrEqual(before);
      expect(claims[time]).toBeLessThanOrEqual(after);
    }
  });

  it("are read from the URL's or the form's access_token without a Bearer header (AccessTokenFromRequest)", async () => {
    const { tokens } = await signIn();
    expect((await userinfo({}, `?access_token=${tokens.access_token}`)).status).toBe(200);
    const posted = await userinfo({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `access_token=${tokens.access_token}`,
    });
    expect(posted.status).toBe(200);
  });

  it("of a client_credentials token are its issuer, time and the client as audience, no subject", async () => {
    const issued = await tokenRequest(hydra, { grant_type: "client_credentials" }, client);
    const answer = await userinfo(bearer(issued.body.access_token));
    expect(answer.status).toBe(200);
    const claims = JSON.parse(answer.text) as Record<string, unknown>;
    expect(Object.keys(claims)).toEqual(["aud", "iat", "iss"]);
    expect(claims).toMatchObject({ aud: [client.id], iss: hydra.issuer });
  });

  it("are a JWT signed with the ID token key for a client with userinfo_signed_response_alg RS256", async () => {
    const signed = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      scope: SCOPE,
      userinfo_signed_response_alg: "RS256",
    });
    const { tokens } = await signIn(signed);
    const answer = await userinfo(bearer(tokens.access_token));
    expect([answer.status, answer.type]).toEqual([200, "application/jwt"]);
    expect(decodeJwtHeader(answer.text)).toMatchObject({ alg: "RS256", kid: decodeJwtHeader(tokens.id_token ?? "").kid });
    const claims = decodeJwtPayload(answer.text);
    expect(claims).toMatchObject({ aud: [signed.id], sub: "ui-user", zeta: "z", iss: hydra.issuer });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("refusals", () => {
  it("an unknown token: fosite's request_unauthorized, also in WWW-Authenticate", async () => {
    for (const init of [bearer("nope"), {}]) {
      const answer = await userinfo(init);
      expect(answer).toEqual({
        status: 401,
        type: "application/json",
        authenticate: `Bearer error="request_unauthorized",error_description="${UNAUTHORIZED}"`,
        text: `{"error":"request_unauthorized","error_description":"${UNAUTHORIZED}"}\n`,
      });
    }
  });

  it("an expired access token: token_expired naming its expiry in Go's time.Time String() form, until the cleanup deletes it (fosite strategy_hmacsha_plain.go ValidateAccessToken)", async () => {
    // Born expired (x.NullDuration takes any duration). flow_authorize_code_token.go rounds the expiry to the second,
    // flow_client_credentials.go does not; the session's expiry is read back from JSON: UTC, no monotonic part.
    const expiring = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      scope: SCOPE,
      authorization_code_grant_access_token_lifespan: "-1m",
      client_credentials_grant_access_token_lifespan: "-5m",
    });
    const { tokens, before, after } = await signIn(expiring);
    const coded = expiredAt(await userinfo(bearer(tokens.access_token)));
    expect(coded.fraction).toBe("");
    expect(coded.ms).toBeGreaterThanOrEqual((before - 60) * 1000);
    expect(coded.ms).toBeLessThanOrEqual((after - 59) * 1000);

    const minting = Date.now();
    const machine = await tokenRequest(hydra, { grant_type: "client_credentials" }, expiring);
    const minted = Date.now();
    const machineToken = String(machine.body.access_token);
    const unrounded = expiredAt(await userinfo(bearer(machineToken)));
    expect(unrounded.ms).toBeGreaterThanOrEqual(minting - 300_000);
    expect(unrounded.ms).toBeLessThanOrEqual(minted - 300_000 + 1);

    // Hydra keeps the row until an operator runs its janitor; here the periodic cleanup deletes it: an unknown token.
    await runCleanup(hydra);
    for (const token of [tokens.access_token, machineToken]) {
      expect((await userinfo(bearer(token))).text).toBe(`{"error":"request_unauthorized","error_description":"${UNAUTHORIZED}"}\n`);
    }
  });

  it("an expired JWT access token: the bare token_expired of fosite strategy_jwt.go ValidateAccessToken (toRFCErr of MapClaims.Valid's ValidationErrorExpired); introspection inactive", async () => {
    const expiring = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      scope: SCOPE,
      access_token_strategy: "jwt",
      authorization_code_grant_access_token_lifespan: "-1m",
      client_credentials_grant_access_token_lifespan: "-5m",
    });
    const { tokens } = await signIn(expiring);
    const machine = await tokenRequest(hydra, { grant_type: "client_credentials" }, expiring);
    const description = "Token expired. The token expired.";
    for (const token of [String(tokens.access_token), String(machine.body.access_token)]) {
      expect(decodeJwtPayload(token).exp).toBeLessThan(Math.floor(Date.now() / 1000));
      expect(await userinfo(bearer(token))).toEqual({
        status: 401,
        type: "application/json",
        authenticate: `Bearer error="token_expired",error_description="${description}"`,
        text: `{"error":"token_expired","error_description":"${description}"}\n`,
      });
      // oauth2/handler.go introspectOAuth2Token: any IntrospectToken error is an inactive token.
      expect(await introspect(hydra, token)).toEqual({ active: false });
    }
  });

  it("a refresh token: only access tokens are allowed (a bare error: herodot's unrecognizable one, status 401)", async () => {
    const { tokens } = await signIn();
    expect(await userinfo(bearer(tokens.refresh_token))).toEqual({
      status: 401,
      type: "application/json",
      authenticate: 'Bearer error="invalid_token",error_description="Only access tokens are allowed in the authorization header."',
      text: '{"error":"error","error_description":"The error is unrecognizable"}\n',
    });
  });
});
