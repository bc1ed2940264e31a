import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { Configuration, JwkApi } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";
import { selfSignedCertificate } from "../testing/certificates";
import { decodeJwtHeader } from "../testing/oauth";
import { relyingParty, signIn } from "../testing/sign-in";

/** Hydra's JWK admin API (jwk/handler.go, jwk/generate.go, persistence/sql/persister_jwk.go). */
const REDIRECT_URI = "http://rp.localhost:5555/callback";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let jwk: JwkApi;

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, hydra.adminUrl), {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  jwk = new JwkApi(new Configuration({ basePath: hydra.adminUrl.replace(/\/$/, "") }));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("creating, reading and deleting key sets", () => {
  it.each([
    ["RS256", "RSA", ["use", "kty", "kid", "alg", "n", "e", "d", "p", "q", "dp", "dq", "qi"]],
    ["ES256", "EC", ["use", "kty", "kid", "crv", "alg", "x", "y", "d"]],
    ["ES512", "EC", ["use", "kty", "kid", "crv", "alg", "x", "y", "d"]],
    ["PS256", "RSA", ["use", "kty", "kid", "alg", "n", "e", "d", "p", "q", "dp", "dq", "qi"]],
    ["EdDSA", "OKP", ["use", "kty", "kid", "crv", "alg", "x", "d"]],
  ])("creates a %s key with its private parts, reads it back, deletes it (204, then 404)", async (alg, kty, members) => {
    // Hydra: jwk/handler.go createJsonWebKeySet (201, private key returned), getJsonWebKey, deleteJsonWebKey;
    // the key as go-jose v3.0.4 jwk.go MarshalJSON writes it: rawJSONWebKey's members in its field order.
    const set = `test-${alg.toLowerCase()}`;
    const { data: created, status } = await jwk.createJsonWebKeySet({ set, createJsonWebKeySet: { alg, use: "sig", kid: `${alg}-kid` } });
    expect(status).toBe(201);
    const key = created.keys?.[0] as unknown as Record<string, unknown>;
    expect(key).toMatchObject({ kid: `${alg}-kid`, alg, use: "sig", kty });
    expect(Object.keys(key)).toEqual(members);
    if (alg === "RS256") expect(Buffer.from(String(key.n), "base64url").length * 8).toBe(4096);

    const { data: fetched } = await jwk.getJsonWebKey({ set, kid: `${alg}-kid` });
    expect(fetched.keys).toEqual([key]);
    expect((await jwk.getJsonWebKeySet({ set })).data.keys).toEqual([key]);

    expect((await jwk.deleteJsonWebKey({ set, kid: `${alg}-kid` })).status).toBe(204);
    expect(await send("GET", `admin/keys/${set}/${alg}-kid`)).toEqual({
      status: 404,
      body: { error: "Unable to locate the resource", error_description: "" },
    });
    expect(await send("GET", `admin/keys/${set}`)).toEqual({
      status: 404,
      body: { error: "Not Found", error_description: "Unable to locate the requested resource" },
    });
    // Deleting what is not there is still 204 (pop's Delete does not count rows).
    expect((await send("DELETE", `admin/keys/${set}/${alg}-kid`)).status).toBe(204);
  });

  it("refuses an algorithm the generator does not know, an undecodable body and a kid the set holds already", async () => {
    // Hydra: jwk/manager.go ErrUnsupportedKeyAlgorithm; jwk/handler.go (decode error); sqlcon.ErrUniqueViolation.
    expect(await send("POST", "admin/keys/bad-alg", { alg: "HS256", use: "sig" })).toEqual({
      status: 400,
      body: { error: "Bad Request", error_description: "Unsupported key algorithm" },
    });
    expect(await send("POST", "admin/keys/bad-alg", "")).toEqual({
      status: 400,
      body: {
        error: "The request was malformed or contained invalid parameters",
        error_description: "Unable to decode the request body: EOF",
      },
    });
    await send("POST", "admin/keys/dup", { alg: "ES256", use: "sig", kid: "same" });
    expect(await send("POST", "admin/keys/dup", { alg: "ES256", use: "sig", kid: "same" })).toEqual({
      status: 409,
      body: { error: "Unable to insert or update resource because a resource with that value exists already", error_description: "" },
    });
  });

  it("accepts any key id and set name, as Hydra does", async () => {
    const { status } = await send("POST", `admin/keys/${encodeURIComponent("set with spaces")}`, {
      alg: "ES256",
      use: "sig",
      kid: "kid/with slash",
    });
    expect(status).toBe(201);
    const { data } = await jwk.getJsonWebKey({ set: "set with spaces", kid: "kid/with slash" });
    expect(data.keys?.[0]?.kid).toBe("kid/with slash");
  });

  it("refuses a key id Postgres cannot store (NUL) with a 400 rather than failing in the database", async () => {
    const { status } = await send("POST", "admin/keys/nul-kid", { alg: "ES256", use: "sig", kid: "a\u0000b" });
    expect(status).toBe(400);
    expect((await send("GET", "admin/keys/nul-kid")).status).toBe(404);
  });
});

describe("replacing keys and sets", () => {
  it("PUT /admin/keys/{set}/{kid} stores the body's key; PUT /admin/keys/{set} replaces the set; DELETE /admin/keys/{set} empties it", async () => {
    // Hydra: jwk/handler.go adminUpdateJsonWebKey, setJsonWebKeySet, adminDeleteJsonWebKeySet.
    const { body } = await send("POST", "admin/keys/replace-me", { alg: "ES256", use: "sig", kid: "one" });
    const one = (body.keys as Array<Record<string, unknown>>)[0] ?? {};
    const updated = await send("PUT", "admin/keys/replace-me/one", { ...one, use: "enc" });
    expect(updated).toMatchObject({ status: 200, body: { kid: "one", use: "enc" } });
    const { body: other } = await send("POST", "admin/keys/elsewhere", { alg: "ES384", use: "sig", kid: "two" });
    const two = (other.keys as Array<Record<string, unknown>>)[0] ?? {};
    expect(await send("PUT", "admin/keys/replace-me", { keys: [two] })).toMatchObject({ status: 200, body: { keys: [two] } });
    expect((await jwk.getJsonWebKeySet({ set: "replace-me" })).data.keys?.map((key) => key.kid)).toEqual(["two"]);
    expect(await send("PUT", "admin/keys/replace-me/x", { kty: "nonsense" })).toMatchObject({ status: 400 });
    expect((await send("DELETE", "admin/keys/replace-me")).status).toBe(204);
    expect((await send("GET", "admin/keys/replace-me")).status).toBe(404);
  });
});

describe("the ID token signing set", () => {
  it("signs with the newest key whatever its algorithm, and gets a new key when emptied", async () => {
    // Hydra: jwk/helper.go GetOrGenerateKeys / FindPrivateKey (newest key signs; an empty set is generated again).
    const { data: client } = await hydra.admin.createOAuth2Client({ oAuth2Client: { redirect_uris: [REDIRECT_URI], scope: "openid" } });
    const { data: created } = await jwk.createJsonWebKeySet({
      set: "hydra.openid.id-token",
      createJsonWebKeySet: { alg: "ES256", use: "sig", kid: "es-signer" },
    });
    expect(created.keys?.[0]?.kid).toBe("es-signer");
    // Discovery names the signing key's algorithm: a relying party discovers after the rotation.
    const config = await relyingParty(hydra, client.client_id ?? "", client.client_secret ?? "");
    const es = await signIn(hydra, new TestBrowser(), config, { subject: "key-user", redirectUri: REDIRECT_URI, scope: "openid" });
    expect(decodeJwtHeader(es.tokens.id_token ?? "")).toMatchObject({ alg: "ES256", kid: "es-signer" });

    expect((await send("DELETE", "admin/keys/hydra.openid.id-token")).status).toBe(204);
    const { data: regenerated } = await jwk.getJsonWebKeySet({ set: "hydra.openid.id-token" });
    expect(regenerated.keys).toHaveLength(1);
    const fresh = await signIn(hydra, new TestBrowser(), await relyingParty(hydra, client.client_id ?? "", client.client_secret ?? ""), {
      subject: "key-user",
      redirectUri: REDIRECT_URI,
      scope: "openid",
    });
    expect(decodeJwtHeader(fresh.tokens.id_token ?? "")).toMatchObject({ alg: "RS256", kid: regenerated.keys?.[0]?.kid });
    const published = (await fetch(new URL(".well-known/jwks.json", hydra.publicUrl)).then((r) => r.json())) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(published.keys.map((key) => key.kid)).toContain(regenerated.keys?.[0]?.kid);
    for (const key of published.keys) expect(key).not.toHaveProperty("d");
  });
});

describe("key material go-jose refuses (jwk/handler.go adminUpdateJsonWebKey, setJsonWebKeySet; go-jose v3 jwk.go UnmarshalJSON)", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const ecJwk = { ...ec.export({ format: "jwk" }), kid: "k1", alg: "ES256", use: "sig" };
  const rsaJwk = { ...rsa.export({ format: "jwk" }), kid: "k2", alg: "RS256", use: "sig" };
  const cert = selfSignedCertificate(createPublicKey(ec), ec);
  const malformed = (reason: string) => ({
    status: 400,
    body: {
      error: "The request was malformed or contained invalid parameters",
      error_description: `Unable to decode the request body: ${reason}`,
    },
  });
  const offCurve = (() => {
    const y = Buffer.from(String(ecJwk.y), "base64url");
    y[31] = (y[31] ?? 0) ^ 1;
    return y.toString("base64url");
  })();
  const otherQ = (() => {
    const q = BigInt(`0x${Buffer.from(String(rsaJwk.q), "base64url").toString("hex")}`) + 2n;
    return Buffer.from(q.toString(16).padStart(Math.ceil(q.toString(16).length / 2) * 2, "0"), "hex").toString("base64url");
  })();

  it.each([
    ["a point off the curve", { ...ecJwk, y: offCurve }, "go-jose/go-jose: invalid EC key, X/Y are not on declared curve"],
    ["a coordinate of the wrong length", { ...ecJwk, x: "AAAA" }, "go-jose/go-jose: invalid EC private key, wrong length for x"],
    ["RSA primes that do not make the modulus (rsa.Validate's own text)", { ...rsaJwk, q: otherQ }, "crypto/rsa: p * q != n"],
    ["a missing private member", { ...rsaJwk, p: undefined }, "go-jose/go-jose: invalid RSA private key, missing P value(s)"],
    [
      "a certificate that is not DER",
      { ...ecJwk, x5c: ["aGVsbG8="] },
      "go-jose/go-jose: failed to unmarshal x5c field: x509: malformed certificate",
    ],
    [
      "a certificate of another key",
      { ...rsaJwk, x5c: [cert.toString("base64")] },
      "go-jose/go-jose: invalid JWK, public keys in key and x5c fields do not match",
    ],
    [
      "a thumbprint of another certificate",
      { ...ecJwk, x5c: [cert.toString("base64")], x5t: "AAAAAAAAAAAAAAAAAAAAAAAAAAA" },
      "go-jose/go-jose: invalid JWK, x5c thumbprint does not match x5t value",
    ],
  ])("%s: 400 with go-jose's text for a key and for a set, nothing stored", async (_name, key, reason) => {
    expect(await send("PUT", "admin/keys/bad-material/k1", key)).toEqual(malformed(reason));
    expect(await send("PUT", "admin/keys/bad-material", { keys: [ecJwk, key] })).toEqual(malformed(reason));
    expect((await send("GET", "admin/keys/bad-material")).status).toBe(404);
  });

  it("stores a key whose x5c leaf holds it, with its thumbprint", async () => {
    const x5t = createHash("sha256").update(cert).digest("base64url");
    const key = { ...ecJwk, kid: "with-chain", x5c: [cert.toString("base64")], "x5t#S256": x5t };
    expect(await send("PUT", "admin/keys/chained/with-chain", key)).toMatchObject({ status: 200, body: { kid: "with-chain" } });
    expect((await send("GET", "admin/keys/chained/with-chain")).body).toMatchObject({ keys: [{ x5c: key.x5c }] });
  });
});

describe("keys as go-jose marshals them (go-jose v3.0.4 jwk.go MarshalJSON; jwk/handler.go adminUpdateJsonWebKey, getJsonWebKey, discoverJsonWebKeys)", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const text = async (url: URL, init: RequestInit = {}) => {
    const response = await fetch(url, { ...init, headers: { "content-type": "application/json" } });
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
  };

  it("PUT answers, stores and GET answers the key go-jose decoded: its member order, unknown members dropped, numbers and thumbprints re-encoded", async () => {
    const jwk = ec.export({ format: "jwk" });
    const cert = selfSignedCertificate(createPublicKey(ec), ec);
    const hexThumbprint = Buffer.from(createHash("sha1").update(cert).digest("hex")).toString("base64url");
    const sent = {
      ext: true,
      key_ops: ["sign"],
      ...jwk,
      alg: "ES256",
      kid: "marshalled",
      x5c: [cert.toString("base64")],
      x5t: hexThumbprint,
    };
    const expected = JSON.stringify({
      kty: "EC",
      kid: "marshalled",
      crv: "P-256",
      alg: "ES256",
      x: jwk.x,
      y: jwk.y,
      d: jwk.d,
      x5c: [cert.toString("base64")],
      x5t: createHash("sha1").update(cert).digest("base64url"),
    });
    const put = await text(new URL("admin/keys/marshalled/ignored-path-kid", hydra.adminUrl), {
      method: "PUT",
      body: JSON.stringify(sent),
    });
    // herodot's writer ends every answer with Encode's "\n" (herodot json.go WriteCode).
    expect(put).toMatchObject({ status: 200, text: `${expected}\n` });
    expect((await text(new URL("admin/keys/marshalled/marshalled", hydra.adminUrl))).text).toBe(`{"keys":[${expected}]}\n`);
    expect((await text(new URL("admin/keys/marshalled", hydra.adminUrl))).text).toBe(`{"keys":[${expected}]}\n`);

    const rsaJwk = createPublicKey(rsa).export({ format: "jwk" });
    const padded = Buffer.concat([Buffer.alloc(2), Buffer.from(String(rsaJwk.n), "base64url")]).toString("base64url");
    const set = await text(new URL("admin/keys/marshalled", hydra.adminUrl), {
      method: "PUT",
      body: JSON.stringify({ keys: [{ n: padded, e: "AAEAAQ==", kty: "RSA", crv: "P-256", kid: "rsa", use: "", oth: [] }] }),
    });
    expect(set.text).toBe(`{"keys":[{"kty":"RSA","kid":"rsa","n":"${String(rsaJwk.n)}","e":"AQAB"}]}\n`);
    expect((await text(new URL("admin/keys/marshalled", hydra.adminUrl))).text).toBe(set.text);
  });

  it("/.well-known/jwks.json lists every key of the ID token and access token sets, public, in go-jose's order, as herodot writes JSON", async () => {
    const rsaJwk = createPublicKey(rsa).export({ format: "jwk" });
    const put = await text(new URL("admin/keys/hydra.jwt.access-token/enc-key", hydra.adminUrl), {
      method: "PUT",
      body: JSON.stringify({ e: rsaJwk.e, n: rsaJwk.n, kty: "RSA", use: "enc", kid: "enc-key", alg: "RSA-OAEP" }),
    });
    expect(put.status).toBe(200);
    const published = await text(new URL(".well-known/jwks.json", hydra.publicUrl));
    expect(published).toMatchObject({ status: 200, type: "application/json; charset=utf-8" });
    const keys = (JSON.parse(published.text) as { keys: Array<Record<string, unknown>> }).keys;
    // An imported public key, which signs nothing, is published too (ExcludePrivateKeys keeps every key).
    expect(published.text).toContain(`{"use":"enc","kty":"RSA","kid":"enc-key","alg":"RSA-OAEP","n":"${String(rsaJwk.n)}","e":"AQAB"}`);
    const idTokenKids = ((await jwk.getJsonWebKeySet({ set: "hydra.openid.id-token" })).data.keys ?? []).map((key) => key.kid);
    expect(keys.slice(0, idTokenKids.length).map((key) => key.kid)).toEqual(idTokenKids);
    for (const key of keys) {
      expect(key).not.toHaveProperty("d");
      expect(Object.keys(key).slice(0, 3)).toEqual(["use", "kty", "kid"]);
    }
    expect((await send("DELETE", "admin/keys/hydra.jwt.access-token/enc-key")).status).toBe(204);
  });

  it("a client's jwks (client.Client's x.JoseJSONWebKeySet) is stored and answered as go-jose marshals its keys", async () => {
    const pub = createPublicKey(ec).export({ format: "jwk" });
    const sent = { jwks: { keys: [{ y: pub.y, x: pub.x, crv: "P-256", kty: "EC", kid: "client-key", use: "sig", ext: true }] } };
    const created = await send("POST", "admin/clients", sent);
    expect(created.status).toBe(201);
    const expected = `{"keys":[{"use":"sig","kty":"EC","kid":"client-key","crv":"P-256","x":"${String(pub.x)}","y":"${String(pub.y)}"}]}`;
    const fetched = await text(new URL(`admin/clients/${String(created.body.client_id)}`, hydra.adminUrl));
    expect(JSON.stringify((JSON.parse(fetched.text) as { jwks: unknown }).jwks)).toBe(expected);
  });
});
