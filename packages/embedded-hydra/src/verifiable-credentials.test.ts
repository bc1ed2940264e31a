import { createHash } from "node:crypto";
import { xchacha20Poly1305Open } from "@olympus/server-kit/crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { REDIRECT_URI, tokenRequest, type ClientCredentials } from "./testing/oauth";
import { authorizeCode, codeExchange, redeemCode } from "./testing/tokens";
import { createClient } from "./testing/clients";

/**
 * POST /credentials, compared with Hydra v26.2.0 oauth2/handler.go
 * createVerifiableCredential and persistence/sql/persister_nonce.go
 * (NewNonce, IsNonceValid).
 */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: ClientCredentials;
let accessToken: string;
let holderKey: PrivateKey;
let holderJwk: JWK;

async function credentials(body: unknown, token = accessToken) {
  const res = await fetch(new URL("credentials", hydra.publicUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function proof(claims: Record<string, unknown>, key: PrivateKey = holderKey, jwk: JWK = holderJwk): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", jwk }).setIssuedAt().sign(key);
}

async function nonce(): Promise<string> {
  const primed = await credentials({ format: "jwt_vc_json" });
  return String(primed.body.c_nonce);
}

function decode(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = jwt.split(".");
  const json = (part: string | undefined) => JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: json(header), payload: json(payload) };
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    scope: "openid",
    grant_types: ["authorization_code", "client_credentials"],
  });
  const tokens = await codeExchange(hydra, client, "openid", "vc-user", {
    consent: { session: { id_token: { email: "vc@example.com" } } },
  });
  accessToken = tokens.body.access_token ?? "";
  const pair = await generateKeyPair("ES256", { extractable: true });
  holderKey = pair.privateKey;
  holderJwk = await exportJWK(pair.publicKey);
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("verifiable credentials (createVerifiableCredential)", () => {
  it("primes with a c_nonce, then issues a UserInfoCredential for the proof key signed with the ID token key", async () => {
    const primed = await credentials({ format: "jwt_vc_json" });
    expect(primed).toEqual({
      status: 400,
      body: {
        format: "jwt_vc",
        c_nonce: expect.any(String) as unknown,
        c_nonce_expires_in: 3600,
        error: "missing_proof",
        error_description: "Could not issue a verifiable credential because the proof is missing in the request.",
      },
    });
    const issued = await credentials({
      format: "jwt_vc_json",
      proof: { proof_type: "jwt", jwt: await proof({ nonce: primed.body.c_nonce }) },
    });
    expect(issued.status).toBe(200);
    expect(issued.body.format).toBe("jwt_vc_json");
    const { header, payload } = decode(String(issued.body.credential_draft_00));
    const keys = (await (await fetch(new URL(".well-known/jwks.json", hydra.publicUrl))).json()) as { keys: { kid: string }[] };
    expect(header).toMatchObject({ typ: "JWT" });
    expect(keys.keys.map((key) => key.kid)).toContain(header.kid);
    const didJwk = JSON.parse(Buffer.from(String(payload.sub).replace(/^did:jwk:/, ""), "base64url").toString("utf8")) as JWK;
    expect(await calculateJwkThumbprint(didJwk)).toBe(await calculateJwkThumbprint(holderJwk));
    expect(payload).toMatchObject({
      iss: hydra.issuer,
      vc: {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        type: ["VerifiableCredential", "UserInfoCredential"],
        credentialSubject: { id: payload.sub, sub: "vc-user", email: "vc@example.com" },
      },
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
  });

  it("refuses a proof signed by another key than its header's, a nonce of another token, and a missing nonce", async () => {
    const other = await generateKeyPair("ES256");
    expect(
      await credentials({
        format: "jwt_vc_json",
        proof: { proof_type: "jwt", jwt: await proof({ nonce: await nonce() }, other.privateKey) },
      }),
    ).toEqual({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: `${INVALID_REQUEST} The JWT was not signed with the correct key supplied in the JWK header.`,
      },
    });
    const machine = await tokenRequest(hydra, { grant_type: "client_credentials" }, client);
    const foreign = await nonce();
    expect(
      await credentials(
        { format: "jwt_vc_json", proof: { proof_type: "jwt", jwt: await proof({ nonce: foreign }) } },
        machine.body.access_token,
      ),
    ).toEqual({ status: 400, body: { error: "invalid_request", error_description: `${INVALID_REQUEST} The nonce is invalid.` } });
    expect(await credentials({ format: "jwt_vc_json", proof: { proof_type: "jwt", jwt: await proof({}) } })).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: `${INVALID_REQUEST} The JWT did not contain the 'nonce' claim.` },
    });
  });

  it("refuses other formats and proof types, and tokens that are not access tokens", async () => {
    expect((await credentials({ format: "ldp_vc" })).body.error_description).toBe(
      `${INVALID_REQUEST} The format 'ldp_vc' is not supported.`,
    );
    expect((await credentials({ format: "jwt_vc_json", proof: { proof_type: "cwt", jwt: "x" } })).body.error_description).toBe(
      `${INVALID_REQUEST} The proof type 'cwt' is not supported.`,
    );
    const unknown = await credentials({ format: "jwt_vc_json" }, "not-a-token");
    expect(unknown.status).toBe(401);
    // fosite handler/oauth2/introspector.go introspectAccessToken: ErrRequestUnauthorized with its default hint.
    expect(unknown.body).toEqual({
      error: "request_unauthorized",
      error_description: "The request could not be authorized. Check that you provided valid credentials in the right format.",
    });
  });
});

describe("an expired access token (fosite strategy_hmacsha_plain.go ValidateAccessToken, found by introspector.go introspectAccessToken)", () => {
  it("is refused with token_expired naming the token's expiry in Go's time.Time String() form (UTC, rounded to the second)", async () => {
    const expiring = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      scope: "openid",
      grant_types: ["authorization_code"],
      authorization_code_grant_access_token_lifespan: "-1m",
    });
    const before = Date.now();
    const tokens = await codeExchange(hydra, expiring, "openid", "vc-user");
    const after = Date.now();
    const answer = await credentials({ format: "jwt_vc_json" }, tokens.body.access_token ?? "");
    expect(answer.status).toBe(401);
    expect(Object.keys(answer.body)).toEqual(["error", "error_description"]);
    expect(answer.body.error).toBe("token_expired");
    const named = /^Token expired\. Access token expired at '(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) \+0000 UTC'\.$/.exec(
      String(answer.body.error_description),
    );
    expect(named, String(answer.body.error_description)).not.toBeNull();
    const expiry = Date.parse(`${named?.[1]}T${named?.[2]}Z`);
    expect(expiry).toBeGreaterThanOrEqual(Math.round((before - 60_000) / 1000) * 1000);
    expect(expiry).toBeLessThanOrEqual(Math.round((after - 60_000) / 1000) * 1000);
  });
});

describe("an expired JWT access token (fosite strategy_jwt.go ValidateAccessToken through Hydra's JWT signer)", () => {
  it("is refused with the bare token_expired: toRFCErr of MapClaims.Valid's ValidationErrorExpired, no expiry named", async () => {
    const expiring = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      scope: "openid",
      grant_types: ["authorization_code"],
      access_token_strategy: "jwt",
      authorization_code_grant_access_token_lifespan: "-1m",
    });
    const tokens = await codeExchange(hydra, expiring, "openid", "vc-user");
    const answer = await credentials({ format: "jwt_vc_json" }, tokens.body.access_token ?? "");
    expect(answer).toEqual({ status: 401, body: { error: "token_expired", error_description: "Token expired. The token expired." } });
  });
});

describe("the access token of a request body (fosite introspect.go AccessTokenFromRequest: r.ParseMultipartForm, r.Form)", () => {
  async function post(query: string, body: string | FormData, headers: Record<string, string> = {}) {
    const res = await fetch(new URL(`credentials${query}`, hydra.publicUrl), { method: "POST", headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("finds the token in a multipart body, which leaves nothing for the JSON decoder", async () => {
    const body = new FormData();
    body.append("access_token", accessToken);
    expect((await post("", body)).body).toEqual({
      error: "invalid_request",
      error_description: `${INVALID_REQUEST} Unable to decode request body.`,
    });
  });

  it("finds none when ParseMultipartForm fails: a query ParseForm refuses, or a body that does not parse", async () => {
    const body = new FormData();
    body.append("format", "jwt_vc_json");
    expect((await post(`?access_token=${accessToken}&x=%zz`, body)).body.error).toBe("request_unauthorized");
    const broken = await post(`?access_token=${accessToken}`, "--b\r\nnot a part", { "content-type": "multipart/form-data; boundary=b" });
    expect(broken.body.error).toBe("request_unauthorized");
  });

  it("reads no form with a Bearer header: a JSON body sent as urlencoded is still decoded", async () => {
    const answer = await post("", JSON.stringify({ format: "jwt_vc_json" }), {
      authorization: `Bearer ${accessToken}`,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect([answer.status, answer.body.error]).toEqual([400, "missing_proof"]);
  });
});

describe("the nonce and the credential's times (persister_nonce.go NewNonce; createVerifiableCredential's session.Claims.IssuedAt)", () => {
  it("seals the expiry with Hydra's flow cipher: XChaCha20-Poly1305 under SHA-256(secrets.system[0]), padded base64url", async () => {
    const before = Math.floor(Date.now() / 1000);
    const primed = await nonce();
    const raw = Buffer.from(primed, "base64url");
    expect(Buffer.from(raw).toString("base64url").padEnd(primed.length, "=")).toBe(primed);
    const key = createHash("sha256").update("ciam-hydra-dev-system-secret-NOT-FOR-PRODUCTION").digest();
    const opened = xchacha20Poly1305Open(key, raw.subarray(0, 24), raw.subarray(24), Buffer.from(`vc-nonce-at:${accessToken}`));
    expect(opened?.length).toBe(8);
    const expiry = Number(opened?.readBigInt64LE() ?? 0n);
    expect(expiry - before).toBeGreaterThanOrEqual(3600);
    expect(expiry - before).toBeLessThanOrEqual(3602);
  });

  it("dates the credential at the consent's redemption (the session's ID token claims), not at the code exchange", async () => {
    // The consent is redeemed within the authorization (its last step).
    const redeemedFrom = Math.floor(Date.now() / 1000);
    const authorized = await authorizeCode(hydra, client.id, "openid", "vc-dated");
    const redeemedBy = Math.floor(Date.now() / 1000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const tokens = await redeemCode(hydra, client, authorized);
    const token = tokens.body.access_token ?? "";
    const primed = await credentials({ format: "jwt_vc_json" }, token);
    const issued = await credentials(
      { format: "jwt_vc_json", proof: { proof_type: "jwt", jwt: await proof({ nonce: primed.body.c_nonce }) } },
      token,
    );
    const { payload } = decode(String(issued.body.credential_draft_00));
    expect(Number(payload.iat)).toBeGreaterThanOrEqual(redeemedFrom);
    expect(Number(payload.iat)).toBeLessThanOrEqual(redeemedBy);
    expect(payload.nbf).toBe(payload.iat);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
  });
});

describe("OPTIONS /credentials (oauth2/handler.go SetPublicRoutes: corsMiddleware(handleOptions); rs/cors in cmd/server/handler.go publicServer)", () => {
  async function options(headers: Record<string, string>) {
    const res = await fetch(new URL("credentials", hydra.publicUrl), { method: "OPTIONS", headers });
    const cors: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (name.startsWith("access-control-") || name === "vary") cors[name] = value;
    });
    return { status: res.status, cors, body: await res.text() };
  }
  const VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

  it("answers a preflight from an allowed origin (serve.public.cors) with the origin, method, headers and credentials", async () => {
    expect(
      await options({
        Origin: "http://ciam.localhost:3000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
      }),
    ).toEqual({
      status: 204,
      body: "",
      cors: {
        vary: VARY,
        "access-control-allow-origin": "http://ciam.localhost:3000",
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "authorization,content-type",
        "access-control-allow-credentials": "true",
      },
    });
  });

  it("answers a preflight it refuses (origin or header not allowed) without CORS headers", async () => {
    const refused = { status: 204, body: "", cors: { vary: VARY } };
    expect(await options({ Origin: "http://evil.example", "Access-Control-Request-Method": "POST" })).toEqual(refused);
    expect(
      await options({
        Origin: "http://ciam.localhost:3000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-custom",
      }),
    ).toEqual(refused);
  });

  it("answers a plain OPTIONS with handleOptions' empty 200 (both CORS middlewares' Vary, rs/cors handleActualRequest)", async () => {
    expect(await options({})).toEqual({ status: 200, body: "", cors: { vary: "Origin, Origin" } });
  });
});
