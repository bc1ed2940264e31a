import { createHmac, timingSafeEqual } from "node:crypto";
import type { HydraConfig } from "./config/load";

/**
 * Hydra's login and consent CSRF cookies (consent/csrf.go): when Hydra sends
 * a browser to the login or consent UI it stores a random value in the flow
 * and in a cookie of that browser; the verifier the UI gets back is honoured
 * only in a request carrying that cookie. One cookie per client
 * (`<name>_<murmur3(client_id)>`), so pending authorizations of different
 * clients in one browser do not overwrite each other's.
 */

/** MurmurHash3 (x86, 32-bit, seed 0) of the UTF-8 bytes: Go's `murmur3.Sum32`, which Hydra's `CookieSuffix` uses. */
export function murmur3(text: string): number {
  const data = Buffer.from(text, "utf8");
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const mixK = (k: number) => Math.imul(rotl(Math.imul(k, c1), 15), c2);
  let h = 0;
  const tail = data.length & 3;
  const body = data.length - tail;
  for (let i = 0; i < body; i += 4) {
    h ^= mixK(data.readUInt32LE(i));
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  if (tail === 3) k ^= (data[body + 2] ?? 0) << 16;
  if (tail >= 2) k ^= (data[body + 1] ?? 0) << 8;
  if (tail >= 1) h ^= mixK(k ^ (data[body] ?? 0));
  h ^= data.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** `<configured name>_<decimal murmur3 of the client id>`, as Hydra names them. */
export function csrfCookieName(base: string, clientId: string): string {
  return `${base}_${murmur3(clientId)}`;
}

export interface CsrfCookieOptions {
  maxAgeSeconds: number;
  sameSite: "Lax" | "Strict" | "None";
  secure: boolean;
  /** Cookie secrets; the first signs, any verifies (rotation). Without any the value is not signed. */
  keys: readonly string[];
  /** SameSite=None with serve.cookies.same_site_legacy_workaround: a `_legacy` twin without SameSite too. */
  legacyWorkaround?: boolean;
}

/** consent/csrf.go legacyCSRFCookieName. */
const legacyName = (name: string) => `${name}_legacy`;

function signature(key: string, name: string, value: string): string {
  return createHmac("sha256", key).update(`${name}=${value}`).digest("base64url");
}

/** The Set-Cookie header value. The value is signed like Hydra's securecookie, so a foreign or altered one reads as "could not be decoded". */
export function serializeCsrfCookie(name: string, value: string, options: CsrfCookieOptions): string {
  const [key] = options.keys;
  const stored = key ? `${value}.${signature(key, name, value)}` : value;
  const expires = new Date(Date.now() + options.maxAgeSeconds * 1000).toUTCString();
  return [
    `${name}=${stored}`,
    "Path=/",
    `Max-Age=${options.maxAgeSeconds}`,
    `Expires=${expires}`,
    "HttpOnly",
    `SameSite=${options.sameSite}`,
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}

/**
 * consent/csrf.go setCSRFCookie: the cookie, and with the SameSite legacy
 * workaround its `_legacy` twin, written the same way but without SameSite
 * (for browsers that drop SameSite=None cookies).
 */
export function serializeCsrfCookies(name: string, value: string, options: CsrfCookieOptions): string[] {
  const cookie = serializeCsrfCookie(name, value, options);
  if (!options.legacyWorkaround) return [cookie];
  const twin = serializeCsrfCookie(legacyName(name), value, options)
    .split("; ")
    .filter((attribute) => !attribute.startsWith("SameSite="))
    .join("; ");
  return [cookie, twin];
}

export type CsrfCheck = { ok: true } | { ok: false; hint: string };

/** The first value of a cookie in a Cookie header (the most specific path comes first). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index !== -1 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

const MISMATCH = "The CSRF value from the token does not match the CSRF value from the data store.";

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Hydra's validateCSRFCookie: the cookie must exist, decode, and hold the flow's value (hints are Hydra's). */
export function checkCsrfCookie(
  cookieHeader: string | undefined,
  name: string,
  expected: string | null,
  keys: readonly string[],
): CsrfCheck {
  const raw = cookieValue(cookieHeader, name);
  if (!raw) return { ok: false, hint: "No CSRF value available in the session cookie." };
  let value: string | undefined = raw;
  if (keys.length > 0) {
    const dot = raw.lastIndexOf(".");
    const candidate = dot > 0 ? raw.slice(0, dot) : "";
    const given = dot > 0 ? raw.slice(dot + 1) : "";
    value = keys.some((key) => sameText(given, signature(key, name, candidate))) ? candidate : undefined;
  }
  if (value === undefined) return { ok: false, hint: "CSRF session cookie could not be decoded." };
  if (!expected || !sameText(value, expected)) {
    return { ok: false, hint: MISMATCH };
  }
  return { ok: true };
}

/**
 * consent/csrf.go validateCSRFCookie with getCSRFCookie: with the legacy
 * workaround, a cookie that is missing or does not decode is replaced by its
 * `_legacy` twin, which then decides alone.
 */
export function checkCsrfCookies(
  cookieHeader: string | undefined,
  name: string,
  expected: string | null,
  options: CsrfCookieOptions,
): CsrfCheck {
  const check = checkCsrfCookie(cookieHeader, name, expected, options.keys);
  if (check.ok || !options.legacyWorkaround || check.hint === MISMATCH) return check;
  return checkCsrfCookie(cookieHeader, legacyName(name), expected, options.keys);
}

/** The CSRF cookie of one kind for one client, with the attributes Hydra derives from its configuration. */
export function flowCsrfCookie(
  config: HydraConfig,
  issuer: string,
  kind: "login" | "consent",
  clientId: string,
): { name: string; options: CsrfCookieOptions } {
  const { cookies } = config.serve;
  const base = kind === "login" ? cookies.names.login_csrf : cookies.names.consent_csrf;
  // Hydra sends SameSite=None only with an https issuer, Lax otherwise (driver/config/provider.go CookieSameSiteMode).
  const sameSite = cookies.same_site_mode === "None" && !issuer.startsWith("https:") ? "Lax" : cookies.same_site_mode;
  return {
    name: csrfCookieName(base, clientId),
    options: {
      maxAgeSeconds: config.ttl.login_consent_request,
      sameSite,
      secure: cookies.secure,
      keys: config.secrets.cookie ?? config.secrets.system ?? [],
      legacyWorkaround: sameSite === "None" && cookies.same_site_legacy_workaround,
    },
  };
}
