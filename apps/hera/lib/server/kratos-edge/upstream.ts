import { hostOnlySetCookie } from "@olympus/ory-client/kratos";

/**
 * The HTTP side of Hera's Kratos proxy: which request headers go to Kratos,
 * which response headers come back, and how. Bodies stream through untouched
 * unless the edge has to read them (self-service submissions).
 */

/**
 * Request headers Kratos reads. Everything else stays at Hera: Next's own
 * headers, the CSP nonce, the peer-address stamp, a client's X-Forwarded-*
 * (Hera sets those itself), hop-by-hop headers.
 */
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "accept-language",
  "authorization",
  "content-type",
  "cookie",
  "origin",
  "referer",
  "sec-fetch-dest",
  "sec-fetch-mode",
  "sec-fetch-site",
  "user-agent",
  "x-csrf-token",
  "x-session-token",
];

/** Response headers that describe one hop (or a body encoding undone by fetch), never relayed. */
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "content-encoding",
  "content-length",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export interface UpstreamTarget {
  /** Kratos' public API as this server reaches it (KRATOS_PUBLIC_URL, no trailing slash). */
  kratosUrl: string;
  /** Where browsers reach it: Hera's public URL plus the proxy prefix (no trailing slash). */
  browserUrl: string;
  /** Kratos' admin API as this server reaches it (KRATOS_ADMIN_URL): never a browser's destination. */
  adminUrl?: string;
}

/** The headers of the request to Kratos: the client's own, plus who the client is and which host it asked. */
export function upstreamRequestHeaders(incoming: Headers, clientAddress: string | undefined, browserUrl: string): Headers {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) headers.set(name, value);
  }
  const publicUrl = new URL(browserUrl);
  // Kratos records the client's address on session devices (X-Forwarded-For); it is the one Hera resolved, never the client's claim.
  if (clientAddress) headers.set("x-forwarded-for", clientAddress);
  headers.set("x-forwarded-host", publicUrl.host);
  headers.set("x-forwarded-proto", publicUrl.protocol.replace(":", ""));
  return headers;
}

/**
 * Kratos' answer as the browser gets it: cookies host-only (any Domain
 * attribute dropped, so Hera's host keeps them), redirects to Kratos' own
 * address turned into Hera's.
 */
export function relayedResponseHeaders(upstream: Headers, target: UpstreamTarget): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream) {
    if (DROPPED_RESPONSE_HEADERS.has(name) || name === "set-cookie" || name === "location") continue;
    headers.append(name, value);
  }
  for (const cookie of upstream.getSetCookie()) headers.append("set-cookie", hostOnlySetCookie(cookie));
  const location = upstream.get("location");
  if (location !== null) headers.set("location", browserLocation(location, target));
  return headers;
}

/** A Location naming Kratos' internal address becomes the same path under Hera's proxy; any other stays as Kratos wrote it. */
export function browserLocation(location: string, target: UpstreamTarget): string {
  if (location === target.kratosUrl || location.startsWith(`${target.kratosUrl}/`) || location.startsWith(`${target.kratosUrl}?`)) {
    return `${target.browserUrl}${location.slice(target.kratosUrl.length)}`;
  }
  return location;
}

/** A status whose response has no body (fetch refuses to build one for these). */
export function isBodiless(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
