import { createHash } from "node:crypto";

/**
 * The crypt(3) families Kratos accepts for imported passwords — MD5-crypt
 * (`$1$`) and SHA-crypt (`$5$`, `$6$`, Ulrich Drepper's specification) — as
 * the go-crypt library Kratos uses computes them: the salt is used as given
 * (no 8/16 character cut) and `rounds=` is used as given (no clamping).
 */

const CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** crypt's own base64: 24-bit little-endian groups, least significant 6 bits first. */
export function cryptBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16);
    for (let shift = 0; shift < 24; shift += 6) out += CRYPT_ALPHABET[(v >> shift) & 0x3f];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const v = (bytes[i] ?? 0) | (rest === 2 ? (bytes[i + 1] ?? 0) << 8 : 0);
    const chars = rest === 2 ? 3 : 2;
    for (let c = 0; c < chars; c++) out += CRYPT_ALPHABET[(v >> (6 * c)) & 0x3f];
  }
  return out;
}

/** Byte order of the final digest before encoding (from the specifications of each scheme). */
const MD5_ORDER = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 5, 10, 4, 11];
const SHA256_ORDER = [20, 10, 0, 11, 1, 21, 2, 22, 12, 23, 13, 3, 14, 4, 24, 5, 25, 15, 26, 16, 6, 17, 7, 27, 8, 28, 18, 29, 19, 9, 30, 31];
const SHA512_ORDER = [
  42, 21, 0, 1, 43, 22, 23, 2, 44, 45, 24, 3, 4, 46, 25, 26, 5, 47, 48, 27, 6, 7, 49, 28, 29, 8, 50, 51, 30, 9, 10, 52, 31, 32, 11, 53, 54,
  33, 12, 13, 55, 34, 35, 14, 56, 57, 36, 15, 16, 58, 37, 38, 17, 59, 60, 39, 18, 19, 61, 40, 41, 20, 62, 63,
];

function permute(sum: Buffer, order: readonly number[]): Buffer {
  return Buffer.from(order.map((i) => sum[i] ?? 0));
}

/** `len` bytes made of `unit` repeated (and cut). */
function repeated(unit: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += unit.length) unit.copy(out, i, 0, Math.min(unit.length, len - i));
  return out;
}

/** MD5-crypt's key (the part after the salt), crypt-base64 encoded. */
export function md5CryptKey(password: Buffer, salt: Buffer): string {
  const alternate = createHash("md5").update(password).update(salt).update(password).digest();
  const first = createHash("md5").update(password).update("$1$").update(salt).update(repeated(alternate, password.length));
  for (let i = password.length; i > 0; i >>= 1) first.update(i % 2 === 0 ? password.subarray(0, 1) : Buffer.from([0]));
  let sum = first.digest();
  for (let i = 0; i < 1000; i++) {
    const round = createHash("md5");
    round.update(i % 2 === 0 ? sum : password);
    if (i % 3 !== 0) round.update(salt);
    if (i % 7 !== 0) round.update(password);
    round.update(i % 2 === 0 ? password : sum);
    sum = round.digest();
  }
  return cryptBase64(permute(sum, MD5_ORDER));
}

/** Rounds between two yields to the event loop: SHA-crypt may be asked for up to 2^32 rounds. */
const ROUNDS_PER_SLICE = 2000;

/** SHA-crypt's key (the part after the salt), crypt-base64 encoded; yields to the event loop while it runs. */
export async function shaCryptKey(algorithm: "sha256" | "sha512", password: Buffer, salt: Buffer, rounds: number): Promise<string> {
  const digest = (...parts: Buffer[]) => {
    const h = createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const alternate = digest(password, salt, password);
  const a = createHash(algorithm).update(password).update(salt).update(repeated(alternate, password.length));
  for (let i = password.length; i > 0; i >>= 1) a.update(i % 2 === 0 ? password : alternate);
  let sum = a.digest();

  const p = repeated(digest(...Array<Buffer>(password.length).fill(password)), password.length);
  const s = repeated(digest(...Array<Buffer>(16 + (sum[0] ?? 0)).fill(salt)), salt.length);

  for (let i = 0; i < rounds; i++) {
    const round = createHash(algorithm);
    round.update(i % 2 !== 0 ? p : sum);
    if (i % 3 !== 0) round.update(s);
    if (i % 7 !== 0) round.update(p);
    round.update(i % 2 !== 0 ? sum : p);
    sum = round.digest();
    if (i % ROUNDS_PER_SLICE === ROUNDS_PER_SLICE - 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return cryptBase64(permute(sum, algorithm === "sha256" ? SHA256_ORDER : SHA512_ORDER));
}
