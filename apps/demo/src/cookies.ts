/** Parses a Cookie request header; the first occurrence of a name wins, as browsers send the most specific first. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieNames {
  session: string;
  authorization: string;
}

/**
 * Over https the `__Host-` prefix makes the browser itself refuse a Domain
 * attribute or a Secure-less cookie; over http (the embedded stack) the
 * cookies are host-only all the same, as no Domain is ever set.
 */
export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? "__Host-" : "";
  return { session: `${prefix}demo_session`, authorization: `${prefix}demo_authorization` };
}

/**
 * A host-only, HttpOnly, SameSite=Lax cookie. Lax still travels on the
 * top-level GET from Hydra back to /callback, and keeps cross-site POSTs
 * (a forged sign-out) from carrying the session.
 */
export function serializeCookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  if (!/^[\w-]+$/.test(name) || !/^[\w-]*$/.test(value)) throw new Error(`refusing to write cookie ${name}: unexpected characters`);
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(name: string, secure: boolean): string {
  return serializeCookie(name, "", { maxAgeSeconds: 0, secure });
}
