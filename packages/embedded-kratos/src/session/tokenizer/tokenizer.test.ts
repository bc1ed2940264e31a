import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../config/load";
import {
  CIAM_CONFIG,
  CORE_STRATEGIES,
  startKratos,
  startTestPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";

/**
 * session/tokenizer.go TokenizeSession (and SetSubjectClaim), reached through
 * session/handler.go whoami `?tokenize_as=`; templates as
 * driver/config/config.go TokenizeTemplate reads them. Tokens are checked
 * with jose against the public half of the JWKS.
 */

interface Keys {
  privateJwk: JWK;
  publicJwk: JWK;
}

async function keyPair(alg: "RS256" | "ES256" | "EdDSA", kid: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateJwk: { ...(await exportJWK(privateKey)), alg, kid }, publicJwk: { ...(await exportJWK(publicKey)), alg, kid } };
}

const base64 = (text: string) => `base64://${Buffer.from(text).toString("base64")}`;

describe("session tokenizer (session/tokenizer.go TokenizeSession)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let rsa: Keys;
  let ec: Keys;
  let ed: Keys;
  const dir = mkdtempSync(path.join(tmpdir(), "kratos-tokenizer-"));
  const hmacSecret = Buffer.from("a-shared-secret-of-at-least-32-bytes!!");

  beforeAll(async () => {
    [rsa, ec, ed] = await Promise.all([keyPair("RS256", "rsa-1"), keyPair("ES256", "ec-1"), keyPair("EdDSA", "ed-1")]);
    const rsaFile = path.join(dir, "rsa.jwks.json");
    // The first key of the set signs (jwksx.FetcherNext.ResolveKey without a forced kid).
    writeFileSync(rsaFile, JSON.stringify({ keys: [rsa.privateJwk, ec.privateJwk] }));
    const mapperFile = path.join(dir, "claims.jsonnet");
    writeFileSync(
      mapperFile,
      `local claims = std.extVar('claims');
       local session = std.extVar('session');
       { claims: { email: session.identity.traits.email, aal: session.authenticator_assurance_level, sub: 'not-kept', iss: claims.iss + 'x', nested: { b: 2, a: 1 } } }`,
    );
    const templates = {
      jwt: { ttl: "10m", jwks_url: `file://${rsaFile}`, claims_mapper_url: `file://${mapperFile}` },
      es: { ttl: "1h", jwks_url: base64(JSON.stringify({ keys: [ec.privateJwk] })) },
      ed: { ttl: "1m", jwks_url: base64(JSON.stringify(ed.privateJwk)) },
      hs: {
        ttl: "1m",
        jwks_url: base64(JSON.stringify({ keys: [{ kty: "oct", k: hmacSecret.toString("base64url"), alg: "HS256", kid: "hs" }] })),
      },
      no_ttl: { jwks_url: base64(JSON.stringify({ keys: [ec.privateJwk] })) },
      no_alg: { ttl: "1m", jwks_url: base64(JSON.stringify({ keys: [{ ...ec.privateJwk, alg: undefined }] })) },
      public_only: { ttl: "1m", jwks_url: base64(JSON.stringify({ keys: [rsa.publicJwk] })) },
      empty: { ttl: "1m", jwks_url: base64(JSON.stringify({ keys: [] })) },
      garbage: { ttl: "1m", jwks_url: base64("not json") },
      over_ftp: { ttl: "1m", jwks_url: `file://${rsaFile}`, claims_mapper_url: "ftp://example.com/claims.jsonnet" },
      mapper_error: { ttl: "1m", jwks_url: `file://${rsaFile}`, claims_mapper_url: base64("error 'nope'") },
      mapper_no_claims: { ttl: "1m", jwks_url: `file://${rsaFile}`, claims_mapper_url: base64("{ claims: 'x' }") },
      external: { ttl: "1m", jwks_url: `file://${rsaFile}`, subject_source: "external_id" },
    };
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_tokenizer", {
      strategies: CORE_STRATEGIES,
      configOverrides: { session: { whoami: { tokenizer: { templates } } } },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  async function signUp(): Promise<{ token: string; identityId: string; sessionId: string; email: string }> {
    const email = uniqueEmail("tokenizer");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    return { token: data.session_token ?? "", identityId: data.identity.id, sessionId: data.session?.id ?? "", email };
  }

  const whoami = async (token: string, template: string) => {
    const res = await fetch(`${kratos.publicUrl}/sessions/whoami?tokenize_as=${template}`, { headers: { "X-Session-Token": token } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { reason?: string; message?: string } } };
  };

  it("signs with the JWKS's first key: header {alg, kid, typ}, Kratos' claims, the mapper's claims merged, sub kept", async () => {
    const user = await signUp();
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await whoami(user.token, "jwt");
    expect(status).toBe(200);
    expect(body.id).toBe(user.sessionId);
    const jwt = String(body.tokenized);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS256", kid: "rsa-1", typ: "JWT" });
    // golang-jwt marshals maps with sorted keys.
    expect(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString()).toBe('{"alg":"RS256","kid":"rsa-1","typ":"JWT"}');
    const { payload } = await jwtVerify(jwt, createLocalJWKSet({ keys: [rsa.publicJwk] }));
    expect(payload).toMatchObject({
      sub: user.identityId,
      sid: user.sessionId,
      iss: `${kratos.publicUrl}/x`,
      email: user.email,
      aal: "aal1",
      nested: { a: 1, b: 2 },
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp).toBe((payload.iat ?? 0) + 600);
  });

  it("ES256 from an inline (base64://) JWKS, EdDSA from a single inline JWK, HS256 from an oct key", async () => {
    const user = await signUp();
    const es = String((await whoami(user.token, "es")).body.tokenized);
    const esClaims = (await jwtVerify(es, createLocalJWKSet({ keys: [ec.publicJwk] }))).payload;
    expect(esClaims).toMatchObject({ sub: user.identityId, sid: user.sessionId, iss: `${kratos.publicUrl}/` });
    expect(esClaims.exp).toBe((esClaims.iat ?? 0) + 3600);
    expect(Object.keys(esClaims)).toEqual(["exp", "iat", "iss", "jti", "nbf", "sid", "sub"]);
    const ed25519 = String((await whoami(user.token, "ed")).body.tokenized);
    await expect(jwtVerify(ed25519, createLocalJWKSet({ keys: [ed.publicJwk] }))).resolves.toBeDefined();
    const hs = String((await whoami(user.token, "hs")).body.tokenized);
    expect((await jwtVerify(hs, new Uint8Array(hmacSecret))).payload.sub).toBe(user.identityId);
  });

  it("a template without ttl: Go's zero duration (configx sets no default below patternProperties), exp = iat", async () => {
    const user = await signUp();
    const jwt = String((await whoami(user.token, "no_ttl")).body.tokenized);
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as { exp: number; iat: number };
    expect(claims.exp).toBe(claims.iat);
  });

  it("answers Kratos' errors", async () => {
    const user = await signUp();
    const reason = async (template: string) => {
      const { status, body } = await whoami(user.token, template);
      return [status, body.error?.reason ?? body.error?.message];
    };
    expect(await reason("unknown")).toEqual([400, 'Unable to find tokenizer template "unknown".']);
    expect(await reason("no_alg")).toEqual([400, 'The JSON Web Key must include a valid "alg" parameter but "" was given.']);
    expect(await reason("empty")).toEqual([400, "Could not find key a suitable key for tokenization in the JWKS url."]);
    expect(await reason("garbage")).toEqual([400, "failed to parse JWK set"]);
    expect(await reason("public_only")).toEqual([400, "Unable to sign JSON Web Token."]);
    expect(await reason("mapper_error")).toEqual([400, "Unable to execute tokenizer JsonNet."]);
    expect(await reason("mapper_no_claims")).toEqual([400, "Expected tokenizer JsonNet to return a claims object but it did not."]);
    expect(await reason("external")).toEqual([
      400,
      "The session's identity does not have an external ID set, but it is required for the subject claim.",
    ]);
    // fetcher.FetchBytes' default case: stringsx's errUnknownPrefix, wrapped around ErrUnknownScheme.
    expect(await reason("over_ftp")).toEqual([
      500,
      "expected ftp://example.com/claims.jsonnet to have one of the prefixes [http://, https://, file://, base64://]: unknown scheme",
    ]);
  });

  it("subject_source external_id puts the identity's external id in sub", async () => {
    const user = await signUp();
    await kratos.identity.patchIdentity({ id: user.identityId, jsonPatch: [{ op: "add", path: "/external_id", value: "ext-42" }] });
    const jwt = String((await whoami(user.token, "external")).body.tokenized);
    expect((await jwtVerify(jwt, createLocalJWKSet({ keys: [rsa.publicJwk] }))).payload.sub).toBe("ext-42");
  });
});

describe("tokenizer templates in the config (embedx/config.schema.json)", () => {
  const load = (templates: unknown) =>
    loadKratosConfig(CIAM_CONFIG, { overrides: { session: { whoami: { tokenizer: { templates } } } }, warn: () => undefined });

  it("reads ttl as a Go duration, subject_source defaulting to id", () => {
    const config = load({ a: { ttl: "1h30m", jwks_url: "file:///keys.json" } });
    expect(config.session.whoami.tokenizer.templates.a).toEqual({ ttl: 5_400_000, jwks_url: "file:///keys.json", subject_source: "id" });
  });

  it("refuses a template without jwks_url, a bad ttl or an unknown subject_source", () => {
    expect(() => load({ a: { ttl: "1m" } })).toThrow(/jwks_url/);
    expect(() => load({ a: { jwks_url: "file:///k", ttl: "1 minute" } })).toThrow(/ttl/);
    expect(() => load({ a: { jwks_url: "file:///k", subject_source: "email" } })).toThrow(/subject_source/);
    expect(() => load({ a: { jwks_url: "keys.json" } })).toThrow(/jwks_url/);
  });
});
