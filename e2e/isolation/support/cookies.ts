/**
 * The cookie boundary as pure checks, so the same functions judge the running
 * platform and a setup broken on purpose.
 */

/** One Set-Cookie header as it crossed the wire, and the response that carried it. */
export interface SetCookieRecord {
  /** The URL of the response (its host is the cookie's default, host-only scope). */
  url: string;
  header: string;
}

/** The attributes of a Set-Cookie header the boundary cares about. */
export interface ParsedSetCookie {
  name: string;
  /** The Domain attribute, lower-cased, without a leading dot; undefined when host-only. */
  domain: string | undefined;
  path: string | undefined;
}

/** A cookie as a browser's jar holds it (the shape of Playwright's `context.cookies()`). */
export interface JarCookie {
  name: string;
  /** Host-only cookies carry the bare host; domain cookies a leading dot (".example.com"). */
  domain: string;
  path: string;
  secure: boolean;
}

export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair = "", ...attributes] = header.split(";");
  const name = pair.slice(0, Math.max(pair.indexOf("="), 0)).trim();
  let domain: string | undefined;
  let path: string | undefined;
  for (const attribute of attributes) {
    const [key = "", ...rest] = attribute.split("=");
    const value = rest.join("=").trim();
    // RFC 6265 5.2.3: an empty Domain attribute is ignored; a leading dot is dropped.
    if (key.trim().toLowerCase() === "domain" && value !== "") domain = value.replace(/^\./, "").toLowerCase();
    if (key.trim().toLowerCase() === "path") path = value;
  }
  return { name, domain, path };
}

/**
 * Set-Cookie headers that carry a Domain attribute. Every Olympus cookie must
 * be host-only: any Domain (the parent domain above all, but even the host's
 * own name) also sends the cookie to sibling or child hosts, e.g. from
 * ciam.example.com to iam.example.com.
 */
export function parentDomainSetCookies(records: readonly SetCookieRecord[]): SetCookieRecord[] {
  return records.filter((record) => parseSetCookie(record.header).domain !== undefined);
}

/**
 * The jar entry a browser makes from a Set-Cookie header (RFC 6265 5.3,
 * without a public-suffix list): host-only unless a Domain attribute that
 * domain-matches the response's host widens it. Used to show what a browser
 * would hold for a parent domain that browsers accept (ciam.example.com
 * setting Domain=example.com).
 */
export function storedCookie(record: SetCookieRecord): JarCookie | undefined {
  const { name, domain, path } = parseSetCookie(record.header);
  const url = new URL(record.url);
  if (domain !== undefined && !domainMatches(url.hostname, domain)) return undefined; // a browser refuses it
  return {
    name,
    domain: domain === undefined ? url.hostname : `.${domain}`,
    path: path?.startsWith("/") ? path : "/",
    secure: /;\s*secure\s*(;|$)/i.test(record.header),
  };
}

/**
 * The cookies in `jar` a browser would send with a request to `url`
 * (RFC 6265 5.4: domain, path and Secure). After signing in on one domain,
 * this must be empty for every URL of the other domain.
 */
export function cookiesLeakingTo(url: string, jar: readonly JarCookie[]): JarCookie[] {
  const target = new URL(url);
  const host = target.hostname.toLowerCase();
  return jar.filter((cookie) => {
    const hostOnly = !cookie.domain.startsWith(".");
    const cookieDomain = cookie.domain.replace(/^\./, "").toLowerCase();
    const domainOk = hostOnly ? host === cookieDomain : domainMatches(host, cookieDomain);
    return domainOk && pathMatches(target.pathname, cookie.path) && (!cookie.secure || target.protocol === "https:");
  });
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/");
}
