import { pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

/*
 * Why PBKDF2-SHA256 with only 1,000 iterations (Hydra itself uses bcrypt):
 * a slow password hash protects *guessable* secrets. Client secrets generated
 * here are 32 random base64url characters (192 bits); no hash speed makes
 * guessing those feasible, so the work factor buys nothing for them while it
 * would be paid on every token request (client_credentials at hundreds per
 * second on one process). The hash is still salted and one-way, so a database
 * dump reveals no usable secret. Operator-chosen secrets must be at least
 * MIN_CLIENT_SECRET_LENGTH characters to keep them out of cheap-guess range.
 * The iteration count is stored with each hash, so it can be raised later
 * without invalidating existing secrets.
 */
export const SECRET_HASH_ITERATIONS = 1_000;
export const MIN_CLIENT_SECRET_LENGTH = 6;
const SCHEME = "pbkdf2-sha256";
const KEY_LENGTH = 32;

/** Generates a high-entropy client secret (shown to the caller exactly once). */
export function generateClientSecret(): string {
  return randomBytes(24).toString("base64url");
}

export async function hashClientSecret(secret: string, iterations = SECRET_HASH_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const digest = await pbkdf2Async(secret, salt, iterations, KEY_LENGTH, "sha256");
  return `$${SCHEME}$${iterations}$${salt.toString("base64url")}$${digest.toString("base64url")}`;
}

/** Constant-time check of a presented secret against a stored hash. */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const [, scheme, iterationsText, saltText, digestText] = stored.split("$");
  if (scheme !== SCHEME || !iterationsText || !saltText || !digestText) return false;
  const iterations = Number(iterationsText);
  if (!Number.isInteger(iterations) || iterations < 1) return false;
  const expected = Buffer.from(digestText, "base64url");
  const actual = await pbkdf2Async(secret, Buffer.from(saltText, "base64url"), iterations, expected.length, "sha256");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
