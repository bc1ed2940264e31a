import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from "node:crypto";

/**
 * Compact JWS signing and verification for the algorithms Hydra's key sets
 * hold (jwk/generate.go), with Node's crypto: RSA PKCS#1 v1.5 (RS*), RSA-PSS
 * (PS*), ECDSA with IEEE P1363 signatures (ES*) and Ed25519 (EdDSA).
 */
type Params = { hash: string | null; padding?: number; saltLength?: number; dsaEncoding?: "ieee-p1363" };

function params(alg: string): Params | undefined {
  const bits = alg.slice(2);
  if (/^RS(256|384|512)$/.test(alg)) return { hash: `sha${bits}` };
  if (/^PS(256|384|512)$/.test(alg)) return { hash: `sha${bits}`, padding: 6, saltLength: Number(bits) / 8 };
  if (/^ES(256|384|512)$/.test(alg)) return { hash: `sha${bits}`, dsaEncoding: "ieee-p1363" };
  if (alg === "EdDSA") return { hash: null };
  return undefined;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signJws(header: Record<string, unknown>, payload: Record<string, unknown>, jwk: JsonWebKey & { alg: string }): string {
  const options = params(jwk.alg);
  if (!options) throw new Error(`cannot sign with ${jwk.alg}`);
  const input = `${encode(header)}.${encode(payload)}`;
  const key = createPrivateKey({ key: jwk, format: "jwk" });
  const { hash, ...rest } = options;
  return `${input}.${sign(hash, Buffer.from(input), { key, ...rest }).toString("base64url")}`;
}

export interface VerifiedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function parts(token: string): [string, string, string] | undefined {
  const split = token.split(".");
  return split.length === 3 && split.every((part) => /^[A-Za-z0-9_-]+$/.test(part)) ? (split as [string, string, string]) : undefined;
}

export function looksLikeJws(token: string): boolean {
  return parts(token) !== undefined;
}

/** Verifies a compact JWS against the key its header names (by kid) among `keys`; undefined if it does not verify. */
export function verifyJws(token: string, keys: Array<JsonWebKey & { kid: string; alg: string }>): VerifiedJws | undefined {
  const split = parts(token);
  if (!split) return undefined;
  try {
    const header = JSON.parse(Buffer.from(split[0], "base64url").toString("utf8")) as Record<string, unknown>;
    const jwk = keys.find((candidate) => candidate.kid === header.kid && candidate.alg === header.alg);
    const options = jwk ? params(jwk.alg) : undefined;
    if (!jwk || !options) return undefined;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
    const key: KeyObject = createPublicKey({ key: publicPart, format: "jwk" });
    const { hash, ...rest } = options;
    if (!verify(hash, Buffer.from(`${split[0]}.${split[1]}`), { key, ...rest }, Buffer.from(split[2], "base64url"))) return undefined;
    return { header, payload: JSON.parse(Buffer.from(split[1], "base64url").toString("utf8")) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/**
 * Whether a compact JWS verifies under one given key, whatever `kid` its
 * header names (go-jose's Claims(key) with a bare key, as fosite's
 * token/jwt ParseWithClaims verifies): the header's algorithm, used with
 * that key; false when it does not verify or cannot be used with the key.
 */
export function verifiesWithKey(token: string, jwk: JsonWebKey): boolean {
  const split = parts(token);
  if (!split) return false;
  try {
    const header = JSON.parse(Buffer.from(split[0], "base64url").toString("utf8")) as Record<string, unknown>;
    const options = typeof header.alg === "string" ? params(header.alg) : undefined;
    if (!options) return false;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
    const key = createPublicKey({ key: publicPart, format: "jwk" });
    const { hash, ...rest } = options;
    return verify(hash, Buffer.from(`${split[0]}.${split[1]}`), { key, ...rest }, Buffer.from(split[2], "base64url"));
  } catch {
    return false;
  }
}
