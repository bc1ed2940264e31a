import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { createClient } from "./testing/clients";
import { tokenRequest, type ClientCredentials } from "./testing/oauth";

/**
 * RFC 7523 JWT-bearer grant and its trust API, compared with Hydra v26.2.0:
 * oauth2/trust/handler.go + validator.go (admin API), and
 * fosite/handler/rfc7523/handler.go HandleTokenEndpointRequest
 * (validateTokenPreRequisites, findPublicKeyForToken, validateTokenClaims).
 */
const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const INVALID_GRANT =
  "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
const MISSING = "One of the required parameters is missing. Check your request parameters.";
const ISSUER = "https://partner.example";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: ClientCredentials;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let trustedKey: PrivateKey;
let trustedJwk: JWK;
let otherKey: PrivateKey;
let tokenUrl: string;

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(new URL(path.replace(/^\//, ""), hydra.adminUrl), {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const inOneHour = () => new Date(Date.now() + 3600_000).toISOString();

async function trust(body: Record<string, unknown>) {
  return admin("POST", "/admin/trust/grants/jwt-bearer/issuers", body);
}

interface AssertionOptions {
  key?: PrivateKey;
  kid?: string | null;
  claims?: Record<string, unknown>;
  omit?: string[];
}

async function assertion(options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: "alice",
    aud: tokenUrl,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const kid = options.kid === undefined ? "partner-key" : options.kid;
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", ...(kid === null ? {} : { kid }) }).sign(options.key ?? trustedKey);
}

async function exchange(form: Record<string, string | undefined>) {
  return tokenRequest(hydra, { grant_type: GRANT, ...form }, client);
}

function grantError(hint: string) {
  return { error: "invalid_grant", error_description: `${INVALID_GRANT} ${hint.replaceAll('"', "'")}` };
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  tokenUrl = new URL("oauth2/token", hydra.publicUrl).toString();
  const pair = await generateKeyPair("ES256", { extractable: true });
  trustedKey = pair.privateKey;
  trustedJwk = { ...(await exportJWK(pair.publicKey)), kid: "partner-key", alg: "ES256", use: "sig" };
  otherKey = (await generateKeyPair("ES256")).privateKey;
  client = await createClient(hydra, {
    grant_types: ["client_credentials", GRANT],
    scope: "read write",
    audience: ["https://api.example"],
  });
  const granted = await trust({ issuer: ISSUER, subject: "alice", scope: ["read"], jwk: trustedJwk, expires_at: inOneHour() });
  expect(granted.status).toBe(201);
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("trust API (oauth2/trust/handler.go, validator.go validateGrant)", () => {
  it("refuses incomplete grants with Hydra's missing_required_parameter hints, in the validator's order", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: "s", jwk: trustedJwk, expires_at: inOneHour() }, "Field 'issuer' is required."],
      [{ issuer: "i", jwk: trustedJwk, expires_at: inOneHour() }, "One of 'subject' or 'allow_any_subject' field must be set."],
      [
        { issuer: "i", subject: "s", allow_any_subject: true, jwk: trustedJwk, expires_at: inOneHour() },
        "Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.",
      ],
      [{ issuer: "i", subject: "s", jwk: trustedJwk }, "Field 'expires_at' is required."],
      [{ issuer: "i", subject: "s", expires_at: inOneHour() }, "Field 'jwk' must contain JWK with kid header."],
    ];
    for (const [body, hint] of cases) {
      const answer = await trust(body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: "missing_required_parameter", error_description: `${MISSING} ${hint}` });
    }
  });

  it("answers an undecodable body with Go's decoding error (trustOAuth2JwtGrantIssuer)", async () => {
    expect(await trust({ issuer: 1 })).toMatchObject({
      status: 400,
      body: {
        error: "error",
        error_description: "json: cannot unmarshal number into Go struct field createGrantRequest.issuer of type string",
      },
    });
    expect(await trust({ issuer: "i", subject: "s", jwk: { kty: "nope", kid: "k" }, expires_at: inOneHour() })).toMatchObject({
      status: 400,
      body: { error: "error", error_description: "go-jose/go-jose: unknown json web key type 'nope'" },
    });
  });

  it("creates, reads, lists with the issuer filter and keyset pagination, refuses duplicates, and deletes", async () => {
    const issuer = "https://list.example";
    const created = await trust({
      issuer,
      allow_any_subject: true,
      scope: ["read"],
      jwk: { ...trustedJwk, kid: "k1" },
      expires_at: "2030-01-02T03:04:05.6Z",
    });
    expect(created.status).toBe(201);
    const id = String(created.body?.id);
    expect(created.headers.get("location")).toBe(`/trust/grants/jwt-bearer/issuers/${id}`);
    expect(created.body).toEqual({
      id,
      issuer,
      subject: "",
      allow_any_subject: true,
      scope: ["read"],
      public_key: { set: issuer, kid: "k1" },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      // Rounded to the second, as the handler stores it.
      expires_at: "2030-01-02T03:04:06Z",
    });
    expect(await admin("GET", `/admin/trust/grants/jwt-bearer/issuers/${id}`)).toMatchObject({ status: 200, body: created.body });
    // UNIQUE (issuer, subject, key_id): sqlcon's conflict.
    expect((await trust({ issuer, allow_any_subject: true, jwk: { ...trustedJwk, kid: "k1" }, expires_at: inOneHour() })).status).toBe(409);
    await trust({ issuer, subject: "bob", jwk: { ...trustedJwk, kid: "k2" }, expires_at: inOneHour() });

    const filtered = await admin("GET", `/admin/trust/grants/jwt-bearer/issuers?issuer=${encodeURIComponent(issuer)}&page_size=1`);
    expect(filtered.status).toBe(200);
    expect(filtered.body).toHaveLength(1);
    const next = /<([^>]+)>; rel="next"/.exec(filtered.headers.get("link") ?? "")?.[1];
    expect(next).toBeDefined();
    const second = await admin("GET", next ?? "");
    expect(second.body).toHaveLength(1);
    expect(second.headers.get("link")).not.toContain('rel="next"');
    const all = await admin("GET", `/admin/trust/grants/jwt-bearer/issuers?issuer=${encodeURIComponent(issuer)}`);
    expect((all.body as unknown as { issuer: string }[]).map((grant) => grant.issuer)).toEqual([issuer, issuer]);

    expect((await admin("DELETE", `/admin/trust/grants/jwt-bearer/issuers/${id}`)).status).toBe(204);
    expect(await admin("GET", `/admin/trust/grants/jwt-bearer/issuers/${id}`)).toMatchObject({
      status: 404,
      body: { error: "Unable to locate the resource" },
    });
    expect((await admin("DELETE", `/admin/trust/grants/jwt-bearer/issuers/${id}`)).status).toBe(404);
    expect(await admin("GET", "/admin/trust/grants/jwt-bearer/issuers/not-a-uuid")).toMatchObject({
      status: 400,
      body: {
        error: "The request was malformed or contained invalid parameters",
        error_description: 'Unable to parse parameter id: uuid: incorrect UUID length 10 in string "not-a-uuid"',
      },
    });
  });
});

describe("token endpoint (fosite rfc7523 HandleTokenEndpointRequest)", () => {
  it("issues an access token for the assertion's subject with the assertion's audience", async () => {
    const answer = await exchange({ assertion: await assertion(), scope: "read", audience: "https://api.example" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: "bearer", scope: "read", expires_in: expect.any(Number) as unknown });
    const { data } = await hydra.admin.introspectOAuth2Token({ token: answer.body.access_token ?? "" });
    expect(data).toMatchObject({ active: true, sub: "alice", client_id: client.id, scope: "read", aud: [tokenUrl, "https://api.example"] });
  });

  it("finds the trusted key without a kid (GetPublicKeys) and uses the client's jwt_bearer lifespan", async () => {
    await hydra.admin.setOAuth2ClientLifespans({
      id: client.id,
      oAuth2ClientTokenLifespans: { jwt_bearer_grant_access_token_lifespan: "7m" },
    });
    const answer = await exchange({ assertion: await assertion({ kid: null }) });
    expect(answer.status).toBe(200);
    // rfc7523 handler: the expiry is now + 7m rounded to the second (Round), expires_in the time left cut to seconds
    // (getExpiresIn): 420 when the rounding went up, 419 when it went down.
    expect([419, 420]).toContain(answer.body.expires_in);
  });

  it("puts the assertion's subject and audience into a JWT access token (access_token_strategy jwt)", async () => {
    const jwtClient = await createClient(hydra, { grant_types: [GRANT], access_token_strategy: "jwt" });
    const answer = await tokenRequest(hydra, { grant_type: GRANT, assertion: await assertion() }, jwtClient);
    expect(answer.status).toBe(200);
    const payload = JSON.parse(Buffer.from((answer.body.access_token ?? "").split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ sub: "alice", client_id: jwtClient.id, aud: [tokenUrl] });
  });

  it("refuses a replayed jti (jti_known)", async () => {
    const value = await assertion();
    expect((await exchange({ assertion: value })).status).toBe(200);
    expect(await exchange({ assertion: value })).toEqual({
      status: 400,
      body: { error: "jti_known", error_description: "The jti was already used." },
    });
  });

  it("refuses an assertion signed by another key than the trusted one", async () => {
    expect(await exchange({ assertion: await assertion({ key: otherKey }) })).toEqual({
      status: 400,
      body: grantError("Unable to verify the integrity of the 'assertion' value."),
    });
    expect(await exchange({ assertion: await assertion({ key: otherKey, kid: null }) })).toEqual({
      status: 400,
      body: grantError(
        `No public JWK was registered for issuer "${ISSUER}" and subject "alice", and public key is required to check signature of JWT in "assertion" request parameter.`,
      ),
    });
  });

  it("refuses untrusted issuers and subjects", async () => {
    for (const claims of [{ iss: "https://stranger.example" }, { sub: "mallory" }]) {
      const answer = await exchange({ assertion: await assertion({ claims }) });
      expect(answer.status).toBe(400);
      expect(answer.body.error_description).toContain("No public JWK was registered for issuer");
    }
  });

  it("checks the claims in fosite's order and words (validateTokenPreRequisites, validateTokenClaims)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [AssertionOptions, string][] = [
      [{ omit: ["iss"] }, 'The JWT in "assertion" request parameter MUST contain an "iss" (issuer) claim.'],
      [{ omit: ["sub"] }, 'The JWT in "assertion" request parameter MUST contain a "sub" (subject) claim.'],
      [{ omit: ["aud"] }, 'The JWT in "assertion" request parameter MUST contain an "aud" (audience) claim.'],
      [
        { claims: { aud: "https://elsewhere.example/token" } },
        `The JWT in "assertion" request parameter MUST contain an "aud" (audience) claim containing a value "${tokenUrl}" that identifies the authorization server as an intended audience.`,
      ],
      [{ omit: ["exp"] }, 'The JWT in "assertion" request parameter MUST contain an "exp" (expiration time) claim.'],
      [{ claims: { iat: now - 600, exp: now - 60 } }, 'The JWT in "assertion" request parameter expired.'],
      [
        { claims: { nbf: now + 120 } },
        `The JWT in "assertion" request parameter contains an "nbf" (not before) claim, that identifies the time '${new Date((now + 120) * 1000).toISOString().replace(/\.000Z$/, "Z")}' before which the token MUST NOT be accepted.`,
      ],
      [{ omit: ["iat"] }, 'The JWT in "assertion" request parameter MUST contain an "iat" (issued at) claim.'],
      [
        // iat given: fosite measures the lifetime from the claim, and the helper's own clock may have moved to the next second.
        { claims: { iat: now, exp: now + 31 * 24 * 3600 } },
        `The JWT in "assertion" request parameter contains an "exp" (expiration time) claim with value "${new Date((now + 31 * 24 * 3600) * 1000).toISOString().replace(/\.000Z$/, "Z")}" that is unreasonably far in the future, considering token issued at "${new Date(now * 1000).toISOString().replace(/\.000Z$/, "Z")}".`,
      ],
      [{ omit: ["jti"] }, 'The JWT in "assertion" request parameter MUST contain an "jti" (JWT ID) claim.'],
    ];
    for (const [options, hint] of cases) {
      expect(await exchange({ assertion: await assertion(options) }), hint).toEqual({ status: 400, body: grantError(hint) });
    }
    expect(await exchange({ assertion: "not-a-jwt" })).toEqual({
      status: 400,
      body: grantError('Unable to parse JSON Web Token passed in "assertion" request parameter.'),
    });
  });

  it("limits scopes to the trust relationship's, and needs the assertion and the grant type", async () => {
    const answer = await exchange({ assertion: await assertion(), scope: "write" });
    expect(answer.body).toEqual({
      error: "invalid_scope",
      error_description: `The requested scope is invalid, unknown, or malformed. The public key registered for issuer '${ISSUER}' and subject 'alice' is not allowed to request scope 'write'.`,
    });
    expect((await exchange({})).body).toMatchObject({
      error: "invalid_request",
      error_description: expect.stringContaining(
        `The assertion request parameter must be set when using grant_type of '${GRANT}'.`,
      ) as unknown,
    });
    const plain = await createClient(hydra, { grant_types: ["client_credentials"] });
    const refused = await tokenRequest(hydra, { grant_type: GRANT, assertion: await assertion() }, plain);
    expect(refused.body).toEqual({
      error: "unauthorized_client",
      error_description: `The client is not authorized to request a token using this method. The OAuth 2.0 Client is not allowed to use authorization grant '${GRANT}'.`,
    });
  });
});

describe("the grant's key lives in the key set named after the issuer (persister_grant_jwk.go CreateGrant, GetPublicKey, DeleteGrant)", () => {
  const issuer = "urn:partner:keyset";
  const keysPath = `/admin/keys/${encodeURIComponent(issuer)}`;

  it("adds the key to /admin/keys/<issuer> on creation and removes it with the grant", async () => {
    const created = await trust({
      issuer,
      subject: "bob",
      scope: ["read"],
      jwk: { ...trustedJwk, kid: "set-key" },
      expires_at: inOneHour(),
    });
    expect(created.status).toBe(201);
    expect(created.body?.public_key).toEqual({ set: issuer, kid: "set-key" });
    const listed = await admin("GET", keysPath);
    expect(listed.status).toBe(200);
    expect(listed.body?.keys).toEqual([expect.objectContaining({ kid: "set-key", kty: "EC", x: trustedJwk.x, y: trustedJwk.y })]);
    expect((await admin("GET", `${keysPath}/set-key`)).status).toBe(200);

    expect((await admin("DELETE", `/admin/trust/grants/jwt-bearer/issuers/${String(created.body?.id)}`)).status).toBe(204);
    expect((await admin("GET", keysPath)).status).toBe(404);
  });

  it("refuses assertions once the grant's key is deleted from its set (GetPublicKey reads the key set)", async () => {
    const created = await trust({ issuer, subject: "bob", scope: [], jwk: { ...trustedJwk, kid: "doomed" }, expires_at: inOneHour() });
    expect(created.status).toBe(201);
    const signed = () => assertion({ kid: "doomed", claims: { iss: issuer, sub: "bob" } });
    expect((await exchange({ assertion: await signed() })).status).toBe(200);
    expect((await admin("DELETE", `${keysPath}/doomed`)).status).toBe(204);
    expect(await exchange({ assertion: await signed() })).toEqual({
      status: 400,
      body: grantError(
        `No public JWK was registered for issuer "${issuer}" and subject "bob", and public key is required to check signature of JWT in "assertion" request parameter.`,
      ),
    });
    // Without a kid (GetPublicKeys) the key is looked up in the same set.
    expect((await exchange({ assertion: await assertion({ kid: null, claims: { iss: issuer, sub: "bob" } }) })).status).toBe(400);
    expect((await admin("DELETE", `/admin/trust/grants/jwt-bearer/issuers/${String(created.body?.id)}`)).status).toBe(204);
  });
});

describe("JWT-bearer and private_key_jwt assertions share one used-jti list (fosite ClientAssertionJWTValid / SetClientAssertionJWT, Hydra MarkJWTUsedForTime)", () => {
  let keyClient: string;
  let clientKey: PrivateKey;

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    clientKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kty: "EC", kid: "client-key", alg: "ES256", use: "sig" };
    keyClient = (
      await createClient(hydra, {
        grant_types: ["client_credentials", GRANT],
        scope: "read",
        token_endpoint_auth_method: "private_key_jwt",
        token_endpoint_auth_signing_alg: "ES256",
        jwks: { keys: [publicJwk] },
      })
    ).id;
  });

  async function clientAssertion(jti: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: keyClient, sub: keyClient, aud: tokenUrl, jti, iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: "ES256", kid: "client-key" })
      .sign(clientKey);
  }

  async function withClientAssertion(form: Record<string, string>, jti: string) {
    const body = new URLSearchParams({
      ...form,
      client_id: keyClient,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await clientAssertion(jti),
    });
    const res = await fetch(tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("refuses a JWT-bearer assertion whose jti a client assertion used", async () => {
    const jti = randomUUID();
    expect((await withClientAssertion({ grant_type: "client_credentials" }, jti)).status).toBe(200);
    expect(await exchange({ assertion: await assertion({ claims: { jti } }) })).toEqual({
      status: 400,
      body: { error: "jti_known", error_description: "The jti was already used." },
    });
  });

  it("refuses a client assertion whose jti a JWT-bearer assertion used, with fosite's hint", async () => {
    const jti = randomUUID();
    expect((await exchange({ assertion: await assertion({ claims: { jti } }) })).status).toBe(200);
    expect(await withClientAssertion({ grant_type: "client_credentials" }, jti)).toEqual({
      status: 400,
      body: {
        error: "jti_known",
        error_description: "The jti was already used. Claim 'jti' from 'client_assertion' MUST only be used once.",
      },
    });
  });

  it("refuses a replayed client assertion as fosite does (jti_known, not invalid_client)", async () => {
    const jti = randomUUID();
    expect((await withClientAssertion({ grant_type: "client_credentials" }, jti)).status).toBe(200);
    expect((await withClientAssertion({ grant_type: "client_credentials" }, jti)).body).toMatchObject({ error: "jti_known" });
  });
});
