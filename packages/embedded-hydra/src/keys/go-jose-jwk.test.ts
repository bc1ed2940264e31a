import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "../testing/certificates";
import { goJoseJwkError } from "./go-jose-jwk";
import { nodeLoadError } from "./node-loadable";

/**
 * go-jose v3.0.4 (Hydra v26.2.0's go.mod) jwk.go JSONWebKey.UnmarshalJSON and
 * the functions it calls, with Go 1.26's crypto/rsa, crypto/elliptic,
 * crypto/x509 and encoding/base64/hex behind them.
 */

type Jwk = Record<string, unknown>;

const b64 = (bytes: Buffer) => bytes.toString("base64url");
const bytesOf = (value: unknown) => Buffer.from(String(value), "base64url");
const num = (value: unknown) => BigInt(`0x${bytesOf(value).toString("hex") || "0"}`);
function numB64(value: bigint): string {
  const hex = value.toString(16);
  return b64(Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex"));
}

const ec256 = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
const ec384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
const ec521 = generateKeyPairSync("ec", { namedCurve: "P-521" }).privateKey;
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const ed = generateKeyPairSync("ed25519").privateKey;
const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;

const jwkOf = (key: KeyObject): Jwk => ({ ...key.export({ format: "jwk" }) });
const publicJwkOf = (key: KeyObject): Jwk => ({ ...createPublicKey(key).export({ format: "jwk" }) });

describe("keys go-jose accepts (jwk.go UnmarshalJSON)", () => {
  it.each([
    ["EC P-256 private", jwkOf(ec256)],
    ["EC P-384 private", jwkOf(ec384)],
    ["EC P-521 private", jwkOf(ec521)],
    ["EC P-521 public", publicJwkOf(ec521)],
    ["RSA private with CRT members", jwkOf(rsa)],
    ["RSA private without CRT members (Validate derives them)", { ...jwkOf(rsa), dp: undefined, dq: undefined, qi: undefined }],
    ["RSA public", publicJwkOf(rsa)],
    ["Ed25519 private", jwkOf(ed)],
    ["oct", { kty: "oct", k: "c2VjcmV0" }],
    ["oct with an empty k (a buffer holding nothing)", { kty: "oct", k: "" }],
  ])("%s", (_name, jwk) => {
    expect(goJoseJwkError(JSON.parse(JSON.stringify(jwk)) as Jwk)).toBeUndefined();
  });
});

describe("EC keys (jwk.go ecPublicKey, ecPrivateKey; crypto/elliptic IsOnCurve)", () => {
  const key = jwkOf(ec256);
  const { d: _d, ...pub } = key;
  const flipped = Buffer.from(bytesOf(key.y));
  flipped[31] = (flipped[31] ?? 0) ^ 1;

  it.each([
    ["a point off the curve", { ...pub, y: b64(flipped) }, "go-jose/go-jose: invalid EC key, X/Y are not on declared curve"],
    ["a private key's point off the curve", { ...key, y: b64(flipped) }, "go-jose/go-jose: invalid EC key, X/Y are not on declared curve"],
    ["x one byte short", { ...pub, x: b64(bytesOf(key.x).subarray(1)) }, "go-jose/go-jose: invalid EC public key, wrong length for x"],
    [
      "y one byte long",
      { ...pub, y: b64(Buffer.concat([Buffer.from([0]), bytesOf(key.y)])) },
      "go-jose/go-jose: invalid EC public key, wrong length for y",
    ],
    ["an empty x (present, holding nothing)", { ...pub, x: "" }, "go-jose/go-jose: invalid EC public key, wrong length for x"],
    ["a private key's y too short", { ...key, y: "AAAA" }, "go-jose/go-jose: invalid EC private key, wrong length for y"],
    [
      "d of the wrong length",
      { ...key, d: b64(bytesOf(key.d).subarray(2)) },
      "go-jose/go-jose: invalid EC private key, wrong length for d",
    ],
    ["no y", { ...pub, y: undefined }, "go-jose/go-jose: invalid EC key, missing x/y values"],
    ["a private key without y", { ...key, y: null }, "go-jose/go-jose: invalid EC private key, missing x/y/d values"],
    ["an unknown curve", { ...pub, crv: "P-192" }, "go-jose/go-jose: unsupported elliptic curve 'P-192'"],
    [
      "the point at infinity",
      { ...pub, x: b64(Buffer.alloc(32)), y: b64(Buffer.alloc(32)) },
      "go-jose/go-jose: invalid EC key, X/Y are not on declared curve",
    ],
  ])("%s", (_name, jwk, message) => {
    expect(goJoseJwkError(JSON.parse(JSON.stringify(jwk)) as Jwk)).toBe(message);
  });
});

describe("RSA keys (jwk.go rsaPublicKey, rsaPrivateKey; Go 1.26 rsa.PrivateKey.Validate, fips140/rsa checkPrivateKey)", () => {
  const key = jwkOf(rsa);
  const [n, p, q, dp, qi] = [num(key.n), num(key.p), num(key.q), num(key.dp), num(key.qi)];

  it.each([
    ["a public key without e", { kty: "RSA", n: key.n }, "go-jose/go-jose: invalid RSA key, missing n/e values"],
    ["a private key without p", { ...key, p: undefined }, "go-jose/go-jose: invalid RSA private key, missing P value(s)"],
    [
      "a private key without e (the first member missing is named)",
      { ...key, e: null, p: null },
      "go-jose/go-jose: invalid RSA private key, missing E value(s)",
    ],
    ["a modulus of one", { ...key, n: "AQ" }, "modulus must be > 1"],
    ["an even modulus", { ...key, n: numB64(n + 1n) }, "crypto/rsa: public modulus is even"],
    ["an exponent of one", { ...key, e: "AQ" }, "crypto/rsa: public exponent too small or negative"],
    ["an even exponent", { ...key, e: numB64(65538n) }, "crypto/rsa: public exponent is even"],
    ["an exponent over 2³¹−1", { ...key, e: numB64(2n ** 31n + 1n) }, "crypto/rsa: public exponent too large"],
    ["primes whose product is not the modulus", { ...key, q: numB64(q + 2n) }, "crypto/rsa: p * q != n"],
    ["a prime not below the modulus", { ...key, p: numB64(n + 2n) }, "crypto/rsa: invalid prime"],
    ["a wrong dp", { ...key, dp: numB64(dp + 2n) }, "crypto/rsa: invalid CRT exponent"],
    ["dp not below p − 1", { ...key, dp: numB64(p) }, "crypto/rsa: invalid CRT exponent"],
    ["a wrong qi", { ...key, qi: numB64(qi === 1n ? 2n : qi - 1n) }, "crypto/rsa: invalid CRT coefficient"],
    ["qi not below p (NewPrivateKeyWithPrecomputation's bigmod error)", { ...key, qi: numB64(p) }, "input overflows the modulus"],
    ["d not below n", { ...key, d: numB64(n) }, "input overflows the modulus"],
    ["a small d", { ...key, d: "Aw" }, "crypto/rsa: d too small"],
    [
      "without CRT members, p and q swapped for a wrong pair",
      { ...key, dp: undefined, dq: undefined, qi: undefined, q: numB64(q + 2n) },
      "crypto/rsa: p * q != n",
    ],
  ])("%s", (_name, jwk, message) => {
    expect(goJoseJwkError(JSON.parse(JSON.stringify(jwk)) as Jwk)).toBe(message);
  });

  it("an empty n and e are present members holding zero: go-jose (and Node) take the public key", () => {
    const jwk = { kty: "RSA", n: "", e: "" };
    expect(goJoseJwkError(jwk)).toBeUndefined();
    expect(nodeLoadError(jwk)).toBeUndefined();
  });
});

describe("Ed25519 and symmetric keys (jwk.go edPublicKey, edPrivateKey, symmetricKey) and unknown types", () => {
  const key = jwkOf(ed);
  it.each([
    ["an OKP key without x", { kty: "OKP", crv: "Ed25519", d: key.d }, "go-jose/go-jose: unknown curve Ed25519'"],
    ["another OKP curve", { kty: "OKP", crv: "X25519", x: key.x }, "go-jose/go-jose: unknown curve X25519'"],
    ["oct without k", { kty: "oct" }, "go-jose/go-jose: invalid OCT (symmetric) key, missing k value"],
    ["an unknown key type", { kty: "DSA" }, "go-jose/go-jose: unknown json web key type 'DSA'"],
  ])("%s", (_name, jwk, message) => {
    expect(goJoseJwkError(jwk)).toBe(message);
  });

  it("an Ed25519 x or d of the wrong length: go-jose pads or cuts it to 32 bytes, Node cannot load it", () => {
    for (const jwk of [
      { kty: "OKP", crv: "Ed25519", x: b64(bytesOf(key.x).subarray(1)) },
      { ...key, d: "AAAA" },
    ]) {
      expect(goJoseJwkError(jwk)).toBeUndefined();
      expect(nodeLoadError(jwk)).toBe("go-jose/go-jose: invalid JWK, the key material does not decode");
    }
  });
});

describe("x5c, x5t and x5t#S256 (jwk.go UnmarshalJSON, shared.go parseCertificateChain, x509.ParseCertificate)", () => {
  const ecCert = selfSignedCertificate(createPublicKey(ec256), ec256);
  const rsaCert = selfSignedCertificate(createPublicKey(rsa), ec256);
  const edCert = selfSignedCertificate(createPublicKey(ed), ed);
  const sha1 = createHash("sha1").update(ecCert).digest();
  const sha256 = createHash("sha256").update(ecCert).digest();
  const ecKey = { ...publicJwkOf(ec256), x5c: [ecCert.toString("base64")] };
  const prefix = "go-jose/go-jose: failed to unmarshal x5c field: ";

  it("accepts a chain whose leaf holds the key, with matching thumbprints (raw or hex-encoded)", () => {
    expect(goJoseJwkError({ ...ecKey, x5t: b64(sha1), "x5t#S256": b64(sha256) })).toBeUndefined();
    expect(goJoseJwkError({ ...ecKey, x5t: b64(Buffer.from(sha1.toString("hex"))) })).toBeUndefined();
    expect(goJoseJwkError({ ...jwkOf(ec256), x5c: [ecCert.toString("base64"), rsaCert.toString("base64")] })).toBeUndefined();
    expect(goJoseJwkError({ ...publicJwkOf(rsa), x5c: [rsaCert.toString("base64")] })).toBeUndefined();
    expect(goJoseJwkError({ ...jwkOf(ed), x5c: [edCert.toString("base64")] })).toBeUndefined();
    // Thumbprints without a chain are only checked for size.
    expect(goJoseJwkError({ ...publicJwkOf(ec256), x5t: b64(Buffer.alloc(20)) })).toBeUndefined();
  });

  it.each([
    [
      "a certificate of another key",
      { ...publicJwkOf(other), x5c: ecKey.x5c },
      "go-jose/go-jose: invalid JWK, public keys in key and x5c fields do not match",
    ],
    [
      "a certificate of another key type",
      { ...publicJwkOf(rsa), x5c: ecKey.x5c },
      "go-jose/go-jose: invalid JWK, public keys in key and x5c fields do not match",
    ],
    [
      "a symmetric key with a chain",
      { kty: "oct", k: "c2VjcmV0", x5c: ecKey.x5c },
      "go-jose/go-jose: invalid JWK, found 'oct' (symmetric) key with cert chain",
    ],
    ["an entry that is not base64", { ...ecKey, x5c: ["!!!!"] }, `${prefix}illegal base64 data at input byte 0`],
    ["an entry without its padding", { ...ecKey, x5c: ["AAA"] }, `${prefix}illegal base64 data at input byte 0`],
    [
      "URL-safe base64",
      { ...ecKey, x5c: [ecCert.toString("base64url")] },
      `${prefix}illegal base64 data at input byte ${ecCert.toString("base64").search(/[+/=]/)}`,
    ],
    ["bytes that are not DER", { ...ecKey, x5c: [Buffer.from("hello").toString("base64")] }, `${prefix}x509: malformed certificate`],
    [
      "a truncated certificate",
      { ...ecKey, x5c: [ecCert.subarray(0, ecCert.length - 10).toString("base64")] },
      `${prefix}x509: malformed certificate`,
    ],
    ["an empty entry", { ...ecKey, x5c: [""] }, `${prefix}x509: malformed certificate`],
    [
      "a SEQUENCE holding no TBSCertificate",
      { ...ecKey, x5c: [Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]).toString("base64")] },
      `${prefix}x509: malformed tbs certificate`,
    ],
    [
      "a certificate followed by more bytes",
      { ...ecKey, x5c: [Buffer.concat([ecCert, Buffer.from([0])]).toString("base64")] },
      `${prefix}x509: trailing data`,
    ],
    ["a bad second certificate", { ...ecKey, x5c: [ecCert.toString("base64"), "AAAA"] }, `${prefix}x509: malformed certificate`],
    [
      "x5t of another certificate",
      { ...ecKey, x5t: b64(Buffer.alloc(20)) },
      "go-jose/go-jose: invalid JWK, x5c thumbprint does not match x5t value",
    ],
    [
      "x5t#S256 of another certificate",
      { ...ecKey, "x5t#S256": b64(Buffer.alloc(32)) },
      "go-jose/go-jose: invalid JWK, x5c thumbprint does not match x5t#S256 value",
    ],
    ["x5t of the wrong size", { ...ecKey, x5t: b64(Buffer.alloc(10)) }, "go-jose/go-jose: invalid JWK, x5t header is of incorrect size"],
    [
      "x5t#S256 of the wrong size",
      { ...ecKey, "x5t#S256": b64(Buffer.alloc(20)) },
      "go-jose/go-jose: invalid JWK, x5t#S256 header is of incorrect size",
    ],
    ["x5t that is not base64url", { ...ecKey, x5t: "a+b" }, "go-jose/go-jose: invalid JWK, x5t header has invalid encoding"],
    [
      "x5t#S256 that is not base64url",
      { ...ecKey, "x5t#S256": "a/b" },
      "go-jose/go-jose: invalid JWK, x5t#S256 header has invalid encoding",
    ],
    [
      "x5t of 40 bytes that are not hex",
      { ...ecKey, x5t: b64(Buffer.from(`g${"0".repeat(39)}`)) },
      "go-jose/go-jose: invalid JWK, unable to hex decode x5t: encoding/hex: invalid byte: U+0067 'g'",
    ],
    [
      "x5t#S256 of 64 bytes with a control byte",
      { ...ecKey, "x5t#S256": b64(Buffer.from(`${"0".repeat(63)}\u0001`)) },
      "go-jose/go-jose: invalid JWK, unable to hex decode x5t#S256: encoding/hex: invalid byte: U+0001",
    ],
  ])("%s", (_name, jwk, message) => {
    expect(goJoseJwkError(jwk)).toBe(message);
  });

  it("the chain is read before the key: a bad chain is reported for a key of an unknown type too", () => {
    expect(goJoseJwkError({ kty: "nope", x5c: ["AAAA"] })).toBe(`${prefix}x509: malformed certificate`);
  });
});

describe("the Node gate (keys/node-loadable.ts) lets through what Node can use", () => {
  it("accepts the generated keys and a private RSA key without CRT members", () => {
    for (const key of [ec256, rsa, ed]) expect(nodeLoadError(jwkOf(key))).toBeUndefined();
    expect(nodeLoadError({ ...jwkOf(rsa), dp: null, dq: null, qi: null })).toBeUndefined();
    expect(createPrivateKey({ key: jwkOf(ec256), format: "jwk" }).asymmetricKeyType).toBe("ec");
  });
});

/** jwk.go UnmarshalJSON: "x5u header is invalid URL: %w" over net/url Parse (server-kit go-url). */
describe("x5u", () => {
  it("go-jose refuses an x5u url.Parse refuses, and checks it after the key", () => {
    const key = { kty: "oct", k: "c2VjcmV0" };
    expect(goJoseJwkError({ ...key, x5u: "https://example.com/certs" })).toBeUndefined();
    expect(goJoseJwkError({ ...key, x5u: "https://example.com:x/" })).toBe(
      'go-jose/go-jose: invalid JWK, x5u header is invalid URL: parse "https://example.com:x/": invalid port ":x" after host',
    );
    expect(goJoseJwkError({ kty: "oct", x5u: "::" })).toBe("go-jose/go-jose: invalid OCT (symmetric) key, missing k value");
  });
});
