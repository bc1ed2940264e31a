import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "./validator";

/**
 * The HTTP client Hydra gives fosite for `request_uri` and `jwks_uri`
 * (driver/registry_sql.go HTTPClient): a 30-second timeout and, with
 * `clients.http.disallow_private_ip_ranges`, no connection to loopback,
 * private, link-local or unspecified addresses — checked on the resolved
 * address of every request, redirects included, as ory/x's resilient
 * client does (here before connecting, from the name's DNS answer). Redirects are followed (Go's default client). Retries of
 * failed fetches (retryablehttp) are not made.
 */
const TIMEOUT_MS = 30_000;

/** Refuses a URL whose host is, or resolves to, an internal address (httpx.ResilientClientDisallowInternalIPs). */
async function assertPermittedHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  const refused = addresses.find(isPrivateAddress);
  if (refused !== undefined) throw new Error(`${url.origin} is not a permitted destination (${refused} is an internal address)`);
}

/** Go's http.Client gives up after 10 redirects. */
const MAX_REDIRECTS = 10;

export interface FetchedText {
  status: number;
  body: string;
}

/** GET `location`, following redirects; the body is cut at `limit` bytes when given (fosite's io.LimitReader). */
export async function fetchText(location: string, options: { disallowPrivateIpRanges: boolean; limit?: number }): Promise<FetchedText> {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let url = new URL(location);
  for (let hop = 0; ; hop++) {
    if (options.disallowPrivateIpRanges) await assertPermittedHost(url);
    const response = await fetch(url, { signal, redirect: "manual" });
    const next = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && next !== null && response.status !== 304) {
      if (hop >= MAX_REDIRECTS) throw new Error("stopped after 10 redirects");
      await response.body?.cancel();
      url = new URL(next, url);
      continue;
    }
    const buffer = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body: (options.limit === undefined ? buffer : buffer.subarray(0, options.limit)).toString("utf8") };
  }
}
