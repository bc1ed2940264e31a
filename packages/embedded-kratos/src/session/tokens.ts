import { hash, randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Random alphanumeric string; 32 characters carry ~190 bits. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i] ?? 0;
    // Rejection sampling keeps the distribution uniform (248 = 62 * 4).
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out.length === length ? out : out + randomAlnum(length - out.length);
}

export const newSessionToken = () => `ory_st_${randomAlnum(32)}`;
export const newLogoutToken = () => `ory_lo_${randomAlnum(32)}`;

/** SHA-256 of the token (what the database stores); the one-shot form, as it runs on every whoami. */
export function hashToken(token: string): Buffer {
  return hash("sha256", token, "buffer");
}
