import { createHmac, createPublicKey, timingSafeEqual, verify } from "node:crypto";

/**
 * What go-jose does for the JWT-bearer grant: decode a compact JWS without
 * verifying it (jwt.ParseSigned, UnsafeClaimsWithoutVerification), then
 * verify it with one trusted JWK (Claims(key)). The algorithm is the
 * header's; a key that cannot verify it fails the verification. `none` is
 * never accepted (go-jose has no such algorithm).
 */
export interface ParsedJws {
  header: Record<string, unknown>;
  /** The payload as JSON, or undefined when it is not a JSON object. */
  claims: Record<string, unknown> | undefined;
  signingInput: string;
  signature: Buffer;
}

function decodeJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** jwt.ParseSigned: three base64url parts and a JSON header; undefined when it is no compact JWS. */
export function parseJws(token: string): ParsedJws | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part))) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  try {
    const header = decodeJson(headerPart);
    if (!isObject(header) || typeof header.alg !== "string") return undefined;
    let claims: Record<string, unknown> | undefined;
    try {
      const payload = decodeJson(payloadPart);
      claims = isObject(payload) ? payload : undefined;
    } catch {
      claims = undefined;
    }
    return { header, claims, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, "base64url") };
  } catch {
    return undefined;
  }
}

type Params = { hash: string | null; padding?: number; saltLength?: number; dsaEncoding?: "ieee-p1363" };

function asymmetricParams(alg: string): Params | undefined {
  const bits = alg.slice(2);
  if (/^RS(256|384|512)$/.test(alg)) return { hash: `sha${bits}` };
  if (/^PS(256|384|512)$/.test(alg)) return { hash: `sha${bits}`, padding: 6, saltLength: Number(bits) / 8 };
  if (/^ES(256|384|512)$/.test(alg)) return { hash: `sha${bits}`, dsaEncoding: "ieee-p1363" };
  if (alg === "EdDSA") return { hash: null };
  return undefined;
}

const PRIVATE_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "oth"]);

/** The JWK's public part (a trusted key may be given with its private members; only the public ones verify). */
function publicPart(jwk: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name)));
}

/** Verifies the JWS signature with the JWK; false for any mismatch of key and algorithm. */
export function verifyJwsWith(jws: ParsedJws, jwk: Record<string, unknown>): boolean {
  const alg = String(jws.header.alg);
  try {
    const hmac = /^HS(256|384|512)$/.exec(alg);
    if (hmac) {
      if (jwk.kty !== "oct" || typeof jwk.k !== "string") return false;
      const expected = createHmac(`sha${hmac[1] ?? ""}`, Buffer.from(jwk.k, "base64url"))
        .update(jws.signingInput)
        .digest();
      return expected.length === jws.signature.length && timingSafeEqual(expected, jws.signature);
    }
    const params = asymmetricParams(alg);
    if (!params || jwk.kty === "oct") return false;
    const key = createPublicKey({ key: publicPart(jwk), format: "jwk" });
    const { hash, ...rest } = params;
    return verify(hash, Buffer.from(jws.signingInput), { key, ...rest }, jws.signature);
  } catch {
    return false;
  }
}
