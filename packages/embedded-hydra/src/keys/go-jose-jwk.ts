import { createHash } from "node:crypto";
import { goUrlParse } from "@olympus/server-kit/go-url";
import { goJoseBase64UrlDecode } from "@olympus/server-kit/text";
import { curveSize, isGoCurve, isOnCurve } from "./go-ec";
import { bigIntFromBytes, goRsaValidateError, goToInt } from "./go-rsa";
import { parseCertificateChain, type GoPublicKey } from "./go-x509";

/**
 * go-jose v3.0.4's JSONWebKey.UnmarshalJSON (jwk.go) after rawJSONWebKey
 * is decoded (keys/go-jose-raw.ts): the `x5c` chain, the key for its type
 * (rsaPublicKey/rsaPrivateKey, ecPublicKey/ecPrivateKey,
 * edPublicKey/edPrivateKey, symmetricKey), the leaf certificate's key
 * against the JWK's, `x5u` (url.Parse), then `x5t` and `x5t#S256`. The error is go-jose's
 * text (or Go's, which go-jose returns unwrapped from rsa.Validate).
 */

type Jwk = Record<string, unknown>;

const text = (jwk: Jwk, name: string): string => (typeof jwk[name] === "string" ? jwk[name] : "");

/** A *byteBuffer member: absent or null is nil; "" is a buffer holding no bytes. */
function member(jwk: Jwk, name: string): Buffer | undefined {
  const value = jwk[name];
  if (typeof value !== "string") return undefined;
  const decoded = goJoseBase64UrlDecode(value);
  // rawJSONWebKey decoding has refused bad base64 already.
  return decoded.ok ? decoded.bytes : Buffer.alloc(0);
}

type KeyResult = { error: string } | { publicKey: GoPublicKey | undefined };

function ecKey(jwk: Jwk, isPrivate: boolean): KeyResult {
  const crv = text(jwk, "crv");
  if (!isGoCurve(crv)) return { error: `go-jose/go-jose: unsupported elliptic curve '${crv}'` };
  const [x, y, d] = [member(jwk, "x"), member(jwk, "y"), member(jwk, "d")];
  const kind = isPrivate ? "private" : "public";
  if (!x || !y || (isPrivate && !d)) {
    return {
      error: isPrivate
        ? "go-jose/go-jose: invalid EC private key, missing x/y/d values"
        : "go-jose/go-jose: invalid EC key, missing x/y values",
    };
  }
  const size = curveSize(crv);
  if (x.length !== size) return { error: `go-jose/go-jose: invalid EC ${kind} key, wrong length for x` };
  if (y.length !== size) return { error: `go-jose/go-jose: invalid EC ${kind} key, wrong length for y` };
  if (d && d.length !== size) return { error: "go-jose/go-jose: invalid EC private key, wrong length for d" };
  const [bx, by] = [bigIntFromBytes(x), bigIntFromBytes(y)];
  if (!isOnCurve(crv, bx, by)) return { error: "go-jose/go-jose: invalid EC key, X/Y are not on declared curve" };
  return { publicKey: { kind: "ecdsa", curve: crv, x: bx, y: by } };
}

const RSA_PRIVATE_MEMBERS = [
  ["n", "N"],
  ["e", "E"],
  ["d", "D"],
  ["p", "P"],
  ["q", "Q"],
] as const;

function rsaKey(jwk: Jwk, isPrivate: boolean): KeyResult {
  const [n, e] = [member(jwk, "n"), member(jwk, "e")];
  if (!isPrivate) {
    if (!n || !e) return { error: "go-jose/go-jose: invalid RSA key, missing n/e values" };
  } else {
    const missing = RSA_PRIVATE_MEMBERS.find(([name]) => !member(jwk, name));
    if (missing) return { error: `go-jose/go-jose: invalid RSA private key, missing ${missing[1]} value(s)` };
  }
  const number = (name: string) => {
    const bytes = member(jwk, name);
    return bytes ? bigIntFromBytes(bytes) : undefined;
  };
  const publicKey: GoPublicKey = { kind: "rsa", n: number("n") ?? 0n, e: goToInt(number("e") ?? 0n) };
  if (!isPrivate) return { publicKey };
  const error = goRsaValidateError({
    n: publicKey.n,
    e: publicKey.e,
    d: number("d") ?? 0n,
    p: number("p") ?? 0n,
    q: number("q") ?? 0n,
    dp: number("dp"),
    dq: number("dq"),
    qi: number("qi"),
  });
  return error ? { error } : { publicKey };
}

/** edPublicKey/edPrivateKey: `x` is copied into 32 bytes, whatever its length; `d` is never checked against it. */
function edKey(jwk: Jwk): KeyResult {
  const x = member(jwk, "x");
  const crv = text(jwk, "crv");
  if (crv !== "Ed25519" || !x) return { error: `go-jose/go-jose: unknown curve ${crv}'` };
  const publicKey = Buffer.alloc(32);
  x.copy(publicKey, 0, 0, 32);
  return { publicKey: { kind: "ed25519", x: publicKey } };
}

/** reflect.DeepEqual of the certificate's key and the JWK's. */
function samePublicKey(a: GoPublicKey, b: GoPublicKey): boolean {
  if (a.kind === "rsa" && b.kind === "rsa") return a.n === b.n && a.e === b.e;
  if (a.kind === "ecdsa" && b.kind === "ecdsa") return a.curve === b.curve && a.x === b.x && a.y === b.y;
  if (a.kind === "ed25519" && b.kind === "ed25519") return a.x.equals(b.x);
  return false;
}

/** encoding/hex's InvalidByteError: `%#U` of the byte, its glyph only when strconv.IsPrint. */
function invalidHexByte(byte: number): string {
  const code = `U+${byte.toString(16).toUpperCase().padStart(4, "0")}`;
  const printable = (byte >= 0x20 && byte <= 0x7e) || (byte >= 0xa1 && byte !== 0xad);
  return `encoding/hex: invalid byte: ${printable ? `${code} '${String.fromCodePoint(byte)}'` : code}`;
}

/** hex.DecodeString over pairs, failing at the first byte that is not a hex digit. */
function hexDecode(bytes: Buffer): Buffer | string {
  const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
  for (const byte of bytes) if (!isHex(byte)) return invalidHexByte(byte);
  return Buffer.from(bytes.toString("latin1"), "hex");
}

/** An x5t member: base64url, then hex when it decodes to twice the digest size (RFC 7517 §4.8's ambiguity). */
function thumbprint(jwk: Jwk, name: "x5t" | "x5t#S256", size: number): Buffer | string {
  const decoded = goJoseBase64UrlDecode(text(jwk, name));
  if (!decoded.ok) return `go-jose/go-jose: invalid JWK, ${name} header has invalid encoding`;
  if (decoded.bytes.length !== 2 * size) return decoded.bytes;
  const hex = hexDecode(decoded.bytes);
  return typeof hex === "string" ? `go-jose/go-jose: invalid JWK, unable to hex decode ${name}: ${hex}` : hex;
}

function keyFor(jwk: Jwk, kty: string, certificateKey: GoPublicKey | undefined): KeyResult {
  const isPrivate = member(jwk, "d") !== undefined;
  switch (kty) {
    case "EC":
      return ecKey(jwk, isPrivate);
    case "RSA":
      return rsaKey(jwk, isPrivate);
    case "oct":
      if (certificateKey) return { error: "go-jose/go-jose: invalid JWK, found 'oct' (symmetric) key with cert chain" };
      return member(jwk, "k") ? { publicKey: undefined } : { error: "go-jose/go-jose: invalid OCT (symmetric) key, missing k value" };
    case "OKP":
      return edKey(jwk);
    default:
      return { error: `go-jose/go-jose: unknown json web key type '${kty}'` };
  }
}

/** JSONWebKey.UnmarshalJSON's error for a decoded rawJSONWebKey, or undefined when go-jose accepts the key. */
export function goJoseJwkError(jwk: Jwk): string | undefined {
  const chain = Array.isArray(jwk.x5c) ? jwk.x5c.map((entry) => (typeof entry === "string" ? entry : "")) : [];
  const parsed = parseCertificateChain(chain);
  if (!parsed.ok) return `go-jose/go-jose: failed to unmarshal x5c field: ${parsed.error}`;
  const leaf = parsed.certs[0];

  const key = keyFor(jwk, text(jwk, "kty"), leaf?.publicKey);
  if ("error" in key) return key.error;
  if (leaf?.publicKey && key.publicKey && !samePublicKey(leaf.publicKey, key.publicKey)) {
    return "go-jose/go-jose: invalid JWK, public keys in key and x5c fields do not match";
  }
  const x5u = text(jwk, "x5u");
  const url = x5u === "" ? undefined : goUrlParse(x5u);
  if (url && !url.ok) return `go-jose/go-jose: invalid JWK, x5u header is invalid URL: ${url.error}`;

  const sha1 = thumbprint(jwk, "x5t", 20);
  if (typeof sha1 === "string") return sha1;
  const sha256 = thumbprint(jwk, "x5t#S256", 32);
  if (typeof sha256 === "string") return sha256;
  if (sha1.length > 0 && sha1.length !== 20) return "go-jose/go-jose: invalid JWK, x5t header is of incorrect size";
  if (sha256.length > 0 && sha256.length !== 32) return "go-jose/go-jose: invalid JWK, x5t#S256 header is of incorrect size";
  if (leaf) {
    if (sha1.length > 0 && !createHash("sha1").update(leaf.raw).digest().equals(sha1)) {
      return "go-jose/go-jose: invalid JWK, x5c thumbprint does not match x5t value";
    }
    if (sha256.length > 0 && !createHash("sha256").update(leaf.raw).digest().equals(sha256)) {
      return "go-jose/go-jose: invalid JWK, x5c thumbprint does not match x5t#S256 value";
    }
  }
  return undefined;
}
