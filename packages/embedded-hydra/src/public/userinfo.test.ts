import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import { createClient } from "../testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";
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
import { redeemCode } from "../testing/tokens";

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
