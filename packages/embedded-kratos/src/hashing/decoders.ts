import { decodeRawStdStrict, decodeStd, decodeStdStrict } from "./base64";

/**
 * Parsers of the encoded hash strings Kratos' hash comparator understands
 * (hash/hash_comparator.go, decode*Hash). Each returns `undefined` where
 * Kratos' decoder returns an error — a login against such a hash fails.
 */

/** Go's `fmt.Sscanf("%d")` for the unsigned fields these formats use. */
const INT = "\\+?(\\d+)";

export interface Argon2Hash {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Buffer;
  key: Buffer;
}

/** `$argon2id$v=19$m=..,t=..,p=..$<raw b64 salt>$<raw b64 key>` (same layout for argon2i). */
export function decodeArgon2(encoded: string): Argon2Hash | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 6) return undefined;
  const version = new RegExp(`^v=${INT}`).exec(parts[2] ?? "");
  if (!version || Number(version[1]) !== 19) return undefined;
  const params = new RegExp(`^m=${INT},t=${INT},p=${INT}`).exec(parts[3] ?? "");
  if (!params) return undefined;
  const [memoryKiB, iterations, parallelism] = [Number(params[1]), Number(params[2]), Number(params[3])];
  // Go scans these into uint32, uint32 and uint8.
  if (memoryKiB > 0xffffffff || iterations > 0xffffffff || parallelism > 0xff) return undefined;
  const salt = decodeRawStdStrict(parts[4] ?? "");
  const key = decodeRawStdStrict(parts[5] ?? "");
  if (!salt || !key) return undefined;
  return { memoryKiB, iterations, parallelism, salt, key };
}

export interface Pbkdf2Hash {
  /** Node digest name of the pseudo-random function. */
  digest: string;
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

/**
 * Kratos maps the names to functions with two surprises kept here: `sha224`
 * and `sha384` are SHA-3 variants, and any other name falls back to SHA-256
 * (hash/hasher_pbkdf2.go, getPseudorandomFunctionForPbkdf2).
 */
const PBKDF2_DIGESTS: Record<string, string> = { sha1: "sha1", sha224: "sha3-224", sha256: "sha256", sha384: "sha3-384", sha512: "sha512" };

/** `$pbkdf2-<digest>$i=<iterations>,l=<length>$<raw b64 salt>$<raw b64 key>`. */
export function decodePbkdf2(encoded: string): Pbkdf2Hash | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 5) return undefined;
  const dash = (parts[1] ?? "").indexOf("-");
  if (dash < 0) return undefined;
  const params = new RegExp(`^i=${INT},l=${INT}`).exec(parts[2] ?? "");
  if (!params) return undefined;
  const salt = decodeRawStdStrict(parts[3] ?? "");
  const key = decodeRawStdStrict(parts[4] ?? "");
  if (!salt || !key) return undefined;
  const name = (parts[1] ?? "").slice(dash + 1);
  return { digest: PBKDF2_DIGESTS[name] ?? "sha256", iterations: Number(params[1]), salt, key };
}

export interface ScryptHash {
  cost: number;
  blockSize: number;
  parallelization: number;
  salt: Buffer;
  key: Buffer;
}

/** `$scrypt$ln=<N>,r=<r>,p=<p>$<b64 salt>$<b64 key>` — Kratos uses `ln` as N itself, not as its logarithm. */
export function decodeScrypt(encoded: string): ScryptHash | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 5) return undefined;
  const params = scryptParams(parts[2] ?? "");
  const salt = decodeStdStrict(parts[3] ?? "");
  const key = decodeStdStrict(parts[4] ?? "");
  if (!params || !salt || !key) return undefined;
  return { ...params, salt, key };
}

export interface FirebaseScryptHash extends ScryptHash {
  saltSeparator: Buffer;
  signerKey: Buffer;
}

/** `$firescrypt$ln=<mem_cost>,r=<rounds>,p=<p>$<salt>$<hash>$<salt separator>$<signer key>`; N = 2^ln here. */
export function decodeFirebaseScrypt(encoded: string): FirebaseScryptHash | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 7) return undefined;
  const params = scryptParams(parts[2] ?? "");
  const [salt, key, saltSeparator, signerKey] = [3, 4, 5, 6].map((i) => decodeStdStrict(parts[i] ?? ""));
  if (!params || !salt || !key || !saltSeparator || !signerKey) return undefined;
  if (params.cost > 62) return undefined;
  return { ...params, cost: 2 ** params.cost, salt, key, saltSeparator, signerKey };
}

function scryptParams(value: string): Pick<ScryptHash, "cost" | "blockSize" | "parallelization"> | undefined {
  const m = new RegExp(`^ln=${INT},r=${INT},p=${INT}`).exec(value);
  return m ? { cost: Number(m[1]), blockSize: Number(m[2]), parallelization: Number(m[3]) } : undefined;
}

export interface SaltedDigestHash {
  /** Salting format with `{SALT}` and `{PASSWORD}` placeholders; absent for a plain `$md5$<hash>`. */
  format?: Buffer;
  salt?: Buffer;
  hash: Buffer;
}

/** `$sha1$pf=<b64 format>$<b64 salt>$<b64 hash>` (also sha256, sha512) and `$md5$` with or without the format. */
export function decodeSaltedDigest(encoded: string, allowUnsalted: boolean): SaltedDigestHash | undefined {
  const parts = encoded.split("$");
  if (allowUnsalted && parts.length === 3) {
    const hash = decodeStdStrict(parts[2] ?? "");
    return hash ? { hash } : undefined;
  }
  if (parts.length !== 5) return undefined;
  // Sscanf("pf=%s") reads up to the first white space.
  const pf = /^pf=(\S+)/.exec(parts[2] ?? "");
  const format = pf ? decodeStdStrict(pf[1] ?? "") : undefined;
  const salt = decodeStdStrict(parts[3] ?? "");
  const hash = decodeStdStrict(parts[4] ?? "");
  if (!format || !salt || !hash) return undefined;
  return { format, salt, hash };
}

/** `{SSHA}`, `{SSHA256}`, `{SSHA512}` followed by base64(digest ‖ salt); the salt must not be empty. */
export function decodeSsha(encoded: string): { digest: "sha1" | "sha256" | "sha512"; salt: Buffer; hash: Buffer } | undefined {
  const scheme = /\{([^}]*)\}/.exec(encoded)?.[1];
  const layout =
    scheme === "SSHA"
      ? { digest: "sha1", start: 6, size: 20 }
      : scheme === "SSHA256"
        ? { digest: "sha256", start: 9, size: 32 }
        : scheme === "SSHA512"
          ? { digest: "sha512", start: 9, size: 64 }
          : undefined;
  if (!layout) return undefined;
  const decoded = decodeStd(encoded.slice(layout.start));
  if (!decoded || decoded.length < layout.size + 1) return undefined;
  return {
    digest: layout.digest as "sha1" | "sha256" | "sha512",
    salt: decoded.subarray(layout.size),
    hash: decoded.subarray(0, layout.size),
  };
}

/** `$hmac-<digest>$<b64 of the hex MAC>$<b64 key>`. */
export function decodeHmac(encoded: string): { digest: string; hash: Buffer; key: Buffer } | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 4) return undefined;
  const digest = /^hmac-(md4|md5|sha1|sha224|sha256|sha384|sha512)$/.exec(parts[1] ?? "")?.[1];
  const hash = decodeStdStrict(parts[2] ?? "");
  const key = decodeStdStrict(parts[3] ?? "");
  if (!digest || !hash || !key) return undefined;
  return { digest, hash, key };
}

/** The go-crypt decoders for `$1$salt$key` and `$5$[rounds=N$]salt$key` / `$6$…`. */
export function decodeCrypt(encoded: string, allowRounds: boolean): { rounds?: number; salt: Buffer; key: string } | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 4 && !(allowRounds && parts.length === 5)) return undefined;
  let rounds: number | undefined;
  if (parts.length === 5) {
    for (const param of (parts[2] ?? "").split(",")) {
      const [name, value] = param.split("=");
      if (name !== "rounds" || value === undefined || !/^\d+$/.test(value) || Number(value) > 0xffffffff) return undefined;
      rounds = Number(value);
    }
  }
  const key = parts[parts.length - 1] ?? "";
  if (key === "") return undefined;
  return { rounds, salt: Buffer.from(parts[parts.length - 2] ?? "", "utf8"), key };
}
