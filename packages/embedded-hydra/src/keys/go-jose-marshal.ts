import { goUrlString } from "@olympus/server-kit/go-url";
import { goJoseBase64UrlDecode, goStdBase64Decode } from "@olympus/server-kit/text";
import { isGoCurve, curveSize } from "./go-ec";
import { bigIntFromBytes, goToInt } from "./go-rsa";

/**
 * go-jose v3.0.4's JSONWebKey.MarshalJSON (jwk.go) of a key its
 * UnmarshalJSON accepted: Hydra stores and answers keys this way
 * (persistence/sql/persister_jwk.go AddKey marshals the decoded key; jwk/handler.go
 * writes the decoded body back). What comes out is rawJSONWebKey in its
 * field order (use, kty, kid, crv, alg, k, x, y, n, e, d, p, q, dp, dq, qi,
 * x5c, x5u, x5t, x5t#S256), every member `omitempty`, members go-jose does
 * not read dropped, and the key material re-encoded from the Go key:
 * - RSA (fromRsaPublicKey, fromRsaPrivateKey): numbers as big.Int.Bytes()
 *   (leading zero bytes stripped; zero is ""), `e` from the int go-jose made
 *   of it (newBufferFromInt: zero is left out), no `crv`; a public key has
 *   `n` and `e` only; `dp`, `dq`, `qi` only when sent (Validate derives
 *   them without keeping them);
 * - EC (fromEcPublicKey, fromEcPrivateKey): `x`, `y`, `d` padded to the curve size;
 * - OKP (fromEdPublicKey, fromEdPrivateKey): `crv` Ed25519, `x` and `d` as
 *   the 32 bytes go-jose copied them into;
 * - oct (fromSymmetricKey): `k`, left out when it holds nothing;
 * - `x5c` as standard base64 of each certificate's DER, `x5t`/`x5t#S256` as
 *   base64url of the thumbprint (one sent hex-encoded is decoded), `x5u` as
 *   net/url's String() of the URL go-jose parsed (server-kit go-url).
 * The input is stored or decoded key text (base64url members); run on its
 * own output it gives the same key, so a key read back from jsonb (which
 * keeps no member order) is put in go-jose's order by it.
 */

type Jwk = Record<string, unknown>;

/** A marshalled key: its members, strings and the `x5c` list. */
export type MarshalledJwk = Record<string, string | string[]>;
type Members = Record<string, string | string[] | undefined>;

const text = (jwk: Jwk, name: string): string => (typeof jwk[name] === "string" ? jwk[name] : "");

/** A *byteBuffer member's bytes: undefined when absent or null (nil). */
function bytesOf(jwk: Jwk, name: string): Buffer | undefined {
  const value = jwk[name];
  if (typeof value !== "string") return undefined;
  const decoded = goJoseBase64UrlDecode(value);
  return decoded.ok ? decoded.bytes : Buffer.alloc(0);
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

/** newBuffer(big.Int.SetBytes(b).Bytes()): the number without its leading zero bytes. */
function minimal(bytes: Buffer): string {
  const first = bytes.findIndex((byte) => byte !== 0);
  return b64url(first === -1 ? Buffer.alloc(0) : bytes.subarray(first));
}

/** newBufferFromInt(uint64(int(Int64()))): eight big-endian bytes, leading zeros trimmed; nil (left out) for zero. */
function exponent(bytes: Buffer): string | undefined {
  const value = BigInt.asUintN(64, goToInt(bigIntFromBytes(bytes)));
  if (value === 0n) return undefined;
  const hex = value.toString(16);
  return b64url(Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex"));
}

/** newFixedSizeBuffer(big.Int.SetBytes(b).Bytes(), size). */
function fixedSize(bytes: Buffer, size: number): string {
  const value = Buffer.from(minimal(bytes), "base64url");
  return b64url(Buffer.concat([Buffer.alloc(Math.max(0, size - value.length)), value]));
}

/** The 32 bytes `copy` leaves of an Ed25519 member (padded with zeros at the end, or cut). */
function ed25519Bytes(bytes: Buffer): string {
  const out = Buffer.alloc(32);
  bytes.copy(out, 0, 0, 32);
  return b64url(out);
}

/** A thumbprint member as bytes: base64url, hex-decoded when twice the digest size. */
function thumbprint(jwk: Jwk, name: string, size: number): string | undefined {
  const decoded = goJoseBase64UrlDecode(text(jwk, name));
  if (!decoded.ok || decoded.bytes.length === 0) return undefined;
  const bytes = decoded.bytes.length === 2 * size ? Buffer.from(decoded.bytes.toString("latin1"), "hex") : decoded.bytes;
  return b64url(bytes);
}

/** The key members MarshalJSON writes for the Go key UnmarshalJSON made (or, with `publicOnly`, for its Public()). */
function keyMembers(jwk: Jwk, publicOnly: boolean): Members {
  const kty = text(jwk, "kty");
  const d = bytesOf(jwk, "d");
  const isPrivate = d !== undefined && !publicOnly;
  switch (kty) {
    case "RSA": {
      const members: Members = { kty, n: minimal(bytesOf(jwk, "n") ?? Buffer.alloc(0)), e: exponent(bytesOf(jwk, "e") ?? Buffer.alloc(0)) };
      if (!isPrivate) return members;
      for (const name of ["d", "p", "q", "dp", "dq", "qi"]) {
        const bytes = bytesOf(jwk, name);
        if (bytes) members[name] = minimal(bytes);
      }
      return members;
    }
    case "EC": {
      const crv = text(jwk, "crv");
      const size = isGoCurve(crv) ? curveSize(crv) : 0;
      const members: Members = {
        kty,
        crv,
        x: fixedSize(bytesOf(jwk, "x") ?? Buffer.alloc(0), size),
        y: fixedSize(bytesOf(jwk, "y") ?? Buffer.alloc(0), size),
      };
      if (isPrivate) members.d = fixedSize(d, size);
      return members;
    }
    case "OKP": {
      const members: Members = { kty, crv: "Ed25519", x: ed25519Bytes(bytesOf(jwk, "x") ?? Buffer.alloc(0)) };
      if (isPrivate) members.d = ed25519Bytes(d);
      return members;
    }
    default: {
      const k = bytesOf(jwk, "k");
      return { kty, k: k && k.length > 0 ? b64url(k) : undefined };
    }
  }
}

const RSA_NUMBERS = new Set(["n", "d", "p", "q", "dp", "dq", "qi"]);

/** rawJSONWebKey's field order. */
const ORDER = [
  "use",
  "kty",
  "kid",
  "crv",
  "alg",
  "k",
  "x",
  "y",
  "n",
  "e",
  "d",
  "p",
  "q",
  "dp",
  "dq",
  "qi",
  "x5c",
  "x5u",
  "x5t",
  "x5t#S256",
];

function marshal(jwk: Jwk, publicOnly: boolean): MarshalledJwk {
  const x5c = Array.isArray(jwk.x5c)
    ? jwk.x5c.map((entry) => {
        const der = goStdBase64Decode(typeof entry === "string" ? entry : "");
        return der.ok ? der.bytes.toString("base64") : "";
      })
    : [];
  const members: Members = {
    ...keyMembers(jwk, publicOnly),
    kid: text(jwk, "kid"),
    alg: text(jwk, "alg"),
    use: text(jwk, "use"),
    x5c: x5c.length > 0 ? x5c : undefined,
    // A stored text url.Parse refuses (none is accepted now) is answered as stored rather than dropped.
    x5u: goUrlString(text(jwk, "x5u")) ?? text(jwk, "x5u"),
    x5t: thumbprint(jwk, "x5t", 20),
    "x5t#S256": thumbprint(jwk, "x5t#S256", 32),
  };
  const out: MarshalledJwk = {};
  for (const name of ORDER) {
    const value = members[name];
    // omitempty: "" strings and nil buffers are left out; an RSA number that is zero is a buffer holding nothing, written as "".
    if (value === undefined || (value === "" && !RSA_NUMBERS.has(name))) continue;
    out[name] = value;
  }
  return out;
}

/** json.Marshal(jose.JSONWebKey) of the key go-jose decoded from this text. */
export function goJoseMarshal(jwk: Jwk): MarshalledJwk {
  return marshal(jwk, false);
}

/**
 * json.Marshal of JSONWebKey.Public() (josex.ToPublicKey, jwk/helper.go
 * ExcludePrivateKeys): the public key with the same kid, alg, use and
 * certificate members. Undefined for a symmetric key, which has no public
 * form (go-jose's Public returns an empty key that does not marshal).
 */
export function goJosePublicMarshal(jwk: Jwk): MarshalledJwk | undefined {
  const kty = text(jwk, "kty");
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") return undefined;
  return marshal(jwk, true);
}
