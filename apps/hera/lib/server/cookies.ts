import "server-only";
import { cookies, headers } from "next/headers";
import { hostOnlySetCookie } from "@olympus/ory-client/kratos";

/** The browser's Cookie header, to forward to Kratos. */
export async function browserCookie(): Promise<string | undefined> {
  return (await headers()).get("cookie") ?? undefined;
}

/** This response's CSP nonce, set by proxy.ts. */
export async function cspNonce(): Promise<string | undefined> {
  return (await headers()).get("x-nonce") ?? undefined;
}

type SameSite = "lax" | "strict" | "none";

interface ParsedCookie {
  name: string;
  value: string;
  path?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: SameSite;
}

/** Parses one Set-Cookie header as Kratos writes it. Unknown attributes are dropped; Domain never survives. */
export function parseSetCookie(header: string): ParsedCookie | undefined {
  const [pair = "", ...attributes] = hostOnlySetCookie(header).split(";");
  const eq = pair.indexOf("=");
  if (eq <= 0) return undefined;
  const cookie: ParsedCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), httpOnly: false, secure: false };
  for (const attribute of attributes) {
    const [rawKey = "", ...rest] = attribute.split("=");
    const key = rawKey.trim().toLowerCase();
    const value = rest.join("=").trim();
    if (key === "path") cookie.path = value;
    else if (key === "expires" && !Number.isNaN(Date.parse(value))) cookie.expires = new Date(value);
    else if (key === "max-age" && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === "httponly") cookie.httpOnly = true;
    else if (key === "secure") cookie.secure = true;
    else if (key === "samesite") {
      const sameSite = value.toLowerCase();
      if (sameSite === "lax" || sameSite === "strict" || sameSite === "none") cookie.sameSite = sameSite;
    }
  }
  return cookie;
}

/**
 * Relays Kratos' Set-Cookie headers to the browser from a route handler or
 * server action. Cookies stay host-only: Hera and Kratos share the host name,
 * so the browser sends them back to Kratos as well.
 */
export async function relaySetCookies(setCookie: readonly string[]): Promise<void> {
  if (setCookie.length === 0) return;
  const jar = await cookies();
  for (const header of setCookie) {
    const cookie = parseSetCookie(header);
    if (!cookie) continue;
    const { name, value, ...options } = cookie;
    jar.set(name, value, options);
  }
}
