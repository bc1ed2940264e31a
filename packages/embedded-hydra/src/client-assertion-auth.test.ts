import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient as createClientOn } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { authorizeCode } from "./testing/tokens";
import { tokenEndpointUrls } from "./tokens/token-urls";
import { REDIRECT_URI } from "./testing/oauth";

/**
 * `private_key_jwt` at the token and revocation endpoints, compared with
 * fosite as Hydra v26.2 runs it: client_authentication.go
 * DefaultClientAuthenticationStrategy (the checks and their words, the
 * audience = the token endpoint URL, ClientAssertionJWTValid /
 * SetClientAssertionJWT for `jti`), client_authentication_jwks_strategy.go
 * DefaultJWKSFetcherStrategy with Hydra's HTTP client (driver/registry_sql.go
 * HTTPClient: retries), access_request_handler.go NewAccessRequest (the
 * grant type before the client) and revoke_handler.go NewRevocationRequest /
 * WriteRevocationResponse. Each case below is one oidc-provider answered
 * otherwise.
 */
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const INVALID_CLIENT =
  "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).";
const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let tokenUrl: string;
let revokeUrl: string;
let key: CryptoKey;
let publicJwk: JWK;
let clientId: string;
let rs256ClientId: string;
let jwksServer: Server;
let jwksAnswers: number[] = [];
let jwksFetches = 0;
let jwksUriClientId: string;

async function createClient(extra: Record<string, unknown>): Promise<string> {
  const body = { grant_types: ["client_credentials"], scope: "read", token_endpoint_auth_method: "private_key_jwt", ...extra };
  return (await createClientOn(hydra, body)).id;
}

async function assertionFor(id: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iss: id, sub: id, aud: tokenUrl, jti: randomUUID(), iat: now, exp: now + 300, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: "client-key", ...header }).sign(key);
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

function token(assertion: string, form: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  return post(
    tokenUrl,
    { grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, ...form },
    headers,
  );
}

const invalidClient = (hint: string) => ({ error: "invalid_client", error_description: `${INVALID_CLIENT} ${hint}` });

async function introspect(value: string): Promise<boolean> {
  const res = await fetch(new URL("admin/oauth2/introspect", hydra.adminUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: value }),
  });
  return ((await res.json()) as { active: boolean }).active;
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  tokenUrl = new URL("oauth2/token", hydra.publicUrl).toString();
  revokeUrl = new URL("oauth2/revoke", hydra.publicUrl).toString();
  const pair = await generateKeyPair("ES256", { extractable: true });
  key = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "client-key", alg: "ES256", use: "sig" };
  clientId = await createClient({ token_endpoint_auth_signing_alg: "ES256", jwks: { keys: [publicJwk] } });
  // Hydra's clients default token_endpoint_auth_signing_alg to RS256.
  rs256ClientId = await createClient({ jwks: { keys: [publicJwk] } });
  jwksServer = createServer((_req, res) => {
    jwksFetches += 1;
    const status = jwksAnswers.shift() ?? 200;
    res.writeHead(status, { "content-type": "application/json" }).end(status === 200 ? JSON.stringify({ keys: [publicJwk] }) : "{}");
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const { port } = jwksServer.address() as AddressInfo;
  jwksUriClientId = await createClient({ token_endpoint_auth_signing_alg: "ES256", jwks_uri: `http://127.0.0.1:${port}/jwks.json` });
}, 60_000);

afterAll(async () => {
  jwksServer?.close();
  await stopHydraAndPostgres(hydra, pg);
});

describe("the token endpoint (fosite DefaultClientAuthenticationStrategy)", () => {
  it("issues a token to a client authenticated by its signed assertion", async () => {
    const answer = await token(await assertionFor(clientId));
    expect(answer.status).toBe(200);
    expect(await introspect(String(answer.body?.access_token))).toBe(true);
  });

  it("accepts only the token endpoint URL as audience (GetTokenURLs), not the issuer oidc-provider accepts", async () => {
    for (const aud of [hydra.issuer, [hydra.issuer], revokeUrl]) {
      expect(await token(await assertionFor(clientId, { aud })), JSON.stringify(aud)).toMatchObject({
        status: 401,
        body: invalidClient(`Claim 'audience' from 'client_assertion' must match the authorization server's token endpoint '${tokenUrl}'.`),
      });
    }
    expect((await token(await assertionFor(clientId, { aud: ["https://other.example", tokenUrl] }))).status).toBe(200);
  });

  it("enforces the client's signing algorithm, RS256 when it registered none", async () => {
    expect((await token(await assertionFor(rs256ClientId))).body).toEqual(
      invalidClient(
        "The 'client_assertion' uses signing algorithm 'ES256' but the requested OAuth 2.0 Client enforces signing algorithm 'RS256'.",
      ),
    );
  });

  it("refuses in fosite's words: forged signature, iss/sub, missing jti, replayed jti, unknown assertion type", async () => {
    const forged = await new SignJWT({
      iss: clientId,
      sub: clientId,
      aud: tokenUrl,
      jti: randomUUID(),
      exp: Math.floor(Date.now() / 1000) + 60,
    })
      .setProtectedHeader({ alg: "ES256", kid: "client-key" })
      .sign((await generateKeyPair("ES256")).privateKey);
    expect(await token(forged)).toMatchObject({
      status: 401,
      body: invalidClient("Unable to verify the integrity of the 'client_assertion' value."),
    });
    expect((await token(await assertionFor(clientId, { iss: "someone-else" }), { client_id: clientId })).body).toEqual(
      invalidClient("Claim 'iss' from 'client_assertion' must match the 'client_id' of the OAuth 2.0 Client."),
    );
    expect((await token(await assertionFor(clientId, { jti: undefined }))).body).toEqual(
      invalidClient("Claim 'jti' from 'client_assertion' must be set but is not."),
    );
    const once = await assertionFor(clientId);
    expect((await token(once)).status).toBe(200);
    expect(await token(once)).toMatchObject({
      status: 400,
      body: {
        error: "jti_known",
        error_description: "The jti was already used. Claim 'jti' from 'client_assertion' MUST only be used once.",
      },
    });
    expect(await token(once, { client_assertion_type: "urn:example:other" })).toMatchObject({
      status: 400,
      body: { error: "invalid_request", error_description: `${INVALID_REQUEST} Unknown client_assertion_type 'urn:example:other'.` },
    });
  });

  it("answers with fosite's headers", async () => {
    const refused = await token(await assertionFor(clientId, { aud: hydra.issuer }));
    expect(refused.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(refused.headers.get("pragma")).toBe("no-cache");
  });

  it("uses the assertion and ignores a Basic header next to it (oidc-provider refuses two mechanisms)", async () => {
    const basic = `Basic ${Buffer.from(`${clientId}:whatever`).toString("base64")}`;
    expect((await token(await assertionFor(clientId), {}, { authorization: basic })).status).toBe(200);
  });

  it("checks the grant type before the client: without one the assertion is not consumed", async () => {
    const assertion = await assertionFor(clientId);
    expect(await token(assertion, { grant_type: "" })).toMatchObject({
      status: 400,
      body: { error: "invalid_request", error_description: `${INVALID_REQUEST} Request parameter 'grant_type' is missing` },
    });
    expect((await token(assertion)).status).toBe(200);
    // A grant type no handler takes: invalid_request, though the client authenticated (and its jti is spent).
    const unknown = await assertionFor(clientId);
    expect((await token(unknown, { grant_type: "password" })).body).toEqual({
      error: "invalid_request",
      error_description: `${INVALID_REQUEST} Make sure that the various parameters are correct, be aware of case sensitivity and trim your parameters. Make sure that the client you are using has exactly whitelisted the redirect_uri you specified.`,
    });
    expect((await token(unknown)).body).toMatchObject({ error: "jti_known" });
  });

  it("reads the form as Go's ParseForm: a pair with `;` or a bad escape is not there (NewAccessRequest: r.PostForm)", async () => {
    const assertion = encodeURIComponent(await assertionFor(clientId));
    const raw = (grantType: string) =>
      fetch(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=${grantType}&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}&client_assertion=${assertion}`,
      });
    // WHATWG's parser would read grant types `client_credentials;x` and `%zz`, which no handler takes.
    for (const grantType of ["client_credentials;x", "%zz"]) {
      expect(await (await raw(grantType)).json()).toEqual({
        error: "invalid_request",
        error_description: `${INVALID_REQUEST} Request parameter 'grant_type' is missing`,
      });
    }
    // The assertion was not consumed by those: it still authenticates.
    expect((await raw("client_credentials")).status).toBe(200);
  });

  it("exchanges an authorization code for a client authenticated by its assertion", async () => {
    const codeClient = await createClient({
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: [REDIRECT_URI],
      scope: "openid",
      token_endpoint_auth_signing_alg: "ES256",
      jwks: { keys: [publicJwk] },
    });
    const { code, verifier } = await authorizeCode(hydra, codeClient, "openid", "asserting-user");
    const answer = await post(tokenUrl, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertionFor(codeClient),
    });
    expect(answer.status).toBe(200);
    expect(answer.body?.id_token).toEqual(expect.any(String));
  });

  it("fetches a jwks_uri with Hydra's HTTP client, retrying a 5xx (oidc-provider's fetch does not retry)", async () => {
    jwksFetches = 0;
    jwksAnswers = [503];
    expect((await token(await assertionFor(jwksUriClientId))).status).toBe(200);
    expect(jwksFetches).toBe(2);
    // Kept for an hour (DefaultJWKSFetcherStrategy), and oidc-provider does not fetch it again.
    expect((await token(await assertionFor(jwksUriClientId))).status).toBe(200);
    expect(jwksFetches).toBe(2);
  });
});

describe("the revocation endpoint (fosite NewRevocationRequest, WriteRevocationResponse)", () => {
  it("revokes the client's token when its assertion authenticates it", async () => {
    const issued = String((await token(await assertionFor(clientId))).body?.access_token);
    const answer = await post(revokeUrl, {
      token: issued,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertionFor(clientId),
    });
    expect(answer.status).toBe(200);
    expect(await introspect(issued)).toBe(false);
  });

  it("answers only invalid_client and invalid_request, bare, and anything else with 200", async () => {
    const issued = String((await token(await assertionFor(clientId))).body?.access_token);
    const revoke = (assertion: string, extra: Record<string, string> = {}) =>
      post(revokeUrl, { token: issued, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, ...extra });
    expect(await revoke(await assertionFor(clientId, { aud: hydra.issuer }))).toMatchObject({
      status: 401,
      body: { error: "invalid_client", error_description: INVALID_CLIENT },
    });
    expect(await revoke(await assertionFor(clientId), { client_assertion_type: "urn:example:other" })).toMatchObject({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: `${INVALID_REQUEST} Make sure that the various parameters are correct, be aware of case sensitivity and trim your parameters. Make sure that the client you are using has exactly whitelisted the redirect_uri you specified.`,
      },
    });
    // jti_known is neither: fosite answers 200, and nothing was revoked.
    const once = await assertionFor(clientId, {}, {});
    await token(once);
    expect(await revoke(once)).toMatchObject({ status: 200, body: undefined });
    expect(await introspect(issued)).toBe(true);
  });
});

describe("the token endpoint URLs an assertion may name (fositex/config.go GetTokenURLs)", () => {
  it("are the public URL's and the issuer's /oauth2/token, each once", () => {
    expect(tokenEndpointUrls("https://public.example/", "https://public.example/")).toEqual(["https://public.example/oauth2/token"]);
    expect(tokenEndpointUrls("https://public.example/", "https://issuer.example/base")).toEqual([
      "https://public.example/oauth2/token",
      "https://issuer.example/base/oauth2/token",
    ]);
  });
});
