import { compileGlob, gobwasGlobError } from "../../text/gobwas-glob";

/**
 * The outbound HTTP policy Kratos and Hydra build their resilient clients
 * with (Kratos driver/registry_default.go, Hydra driver/registry_sql.go
 * HTTPClient): `clients.http.disallow_private_ip_ranges` refuses loopback,
 * private and link-local targets, except for URLs matching one of
 * `clients.http.private_ip_exception_urls`.
 */
export interface PrivateIpPolicy {
  disallowPrivateIpRanges: boolean;
  /** None when absent. */
  privateIpExceptionUrls?: readonly string[];
}

/** The config's policy (the same `clients.http` keys in both servers), in the shape the outbound clients take. */
export function privateIpPolicyOf(config: {
  clients: { http: { disallow_private_ip_ranges: boolean; private_ip_exception_urls: readonly string[] } };
}): PrivateIpPolicy {
  return {
    disallowPrivateIpRanges: config.clients.http.disallow_private_ip_ranges,
    privateIpExceptionUrls: config.clients.http.private_ip_exception_urls,
  };
}

/**
 * Go's url.String() of a request URL after ory/x httpx IncomingRequestURL
 * and noInternalIPRoundTripper clear `RawQuery` and `RawFragment`: the query
 * goes, the fragment stays (Go re-escapes `Fragment`). A URL Go parsed from
 * text keeps its host's case and an explicit default port (only the scheme
 * is lower-cased), so the text is used as given, not WHATWG's normalised form.
 */
export function exceptionMatchTarget(text: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(text)?.[0] ?? "";
  const location = scheme.toLowerCase() + text.slice(scheme.length);
  const hash = location.indexOf("#");
  const beforeHash = hash === -1 ? location : location.slice(0, hash);
  const fragment = hash === -1 ? "" : location.slice(hash);
  const query = beforeHash.indexOf("?");
  return (query === -1 ? beforeHash : beforeHash.slice(0, query)) + fragment;
}

/**
 * An exception URL pattern glob.Compile refuses: the round trip's error as
 * it is, gobwas' own text (`unexpected end of input`, …), which http.Client
 * wraps in its url.Error (`Get "<url>": <text>`).
 */
export class GlobCompileError extends Error {
  override name = "GlobCompileError";
}

/**
 * Whether the ssrf guard refuses internal addresses for a request to
 * `location` (noInternalIPRoundTripper.RoundTrip, ory/x httpx/ssrf.go): the
 * exceptions are compiled as gobwas globs with `.` and `/` as separators, in
 * order, each at the time of the request; a match lets internal addresses
 * through, a pattern that does not compile before any match fails the
 * request with a GlobCompileError (a round-trip error, which the resilient
 * client retries). A pattern gobwas compiles but compileGlob cannot render
 * (an unclosed `{`, a trailing `\`) matches nothing here: internal
 * addresses stay refused.
 */
export function refusesInternalAddresses(location: string, policy: PrivateIpPolicy): boolean {
  if (!policy.disallowPrivateIpRanges) return false;
  const target = exceptionMatchTarget(location);
  for (const exception of policy.privateIpExceptionUrls ?? []) {
    const error = gobwasGlobError(exception);
    if (error !== undefined) throw new GlobCompileError(error);
    if (compileGlob(exception, "./")?.test(target)) return false;
  }
  return true;
}
