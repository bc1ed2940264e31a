import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { refusesInternalAddresses, type PrivateIpPolicy } from "./private-ip-policy";
import { prohibitedAddress } from "./ssrf";

/**
 * The HTTP client Hydra gives fosite for `request_uri` and `jwks_uri`
 * (driver/registry_sql.go HTTPClient: ory/x httpx NewResilientClient with
 * two retries and a 30-second timeout):
 * - every connection goes through code.dny.dev/ssrf's check of the dialled
 *   address (httpx/ssrf.go): special-purpose ranges are always refused,
 *   loopback/private/link-local only with
 *   `clients.http.disallow_private_ip_ranges` (./ssrf.ts), and even then
 *   for a URL matching `clients.http.private_ip_exception_urls`, decided
 *   per request as Go's round tripper does (./private-ip-policy.ts). The
 *   check runs in the socket's `lookup`, so the address checked is the one
 *   connected (redirect targets included);
 * - redirects are followed (Go's default client, at most 10);
 * - go-retryablehttp v0.7.8 (DefaultRetryPolicy, DefaultBackoff) repeats
 *   the whole exchange up to twice after a connection error, a 429 or a
 *   5xx other than 501, waiting 1 s then 2 s (a 429/503's Retry-After
 *   instead), and then gives up with an error rather than the last answer.
 */
const TIMEOUT_MS = 30_000;
const RETRY_MAX = 2;
const RETRY_WAIT_MIN_MS = 1000;
const RETRY_WAIT_MAX_MS = 30_000;
/** Go's http.Client gives up after 10 redirects. */
const MAX_REDIRECTS = 10;

export interface FetchedText {
  status: number;
  body: string;
}

export interface OutboundOptions extends PrivateIpPolicy {
  /** The body is cut at this many bytes (fosite's io.LimitReader). */
  limit?: number;
  /** Test hook: how long a retry waits (go-retryablehttp's backoff otherwise). */
  sleep?: (ms: number) => Promise<void>;
}

/** An error retryablehttp's DefaultRetryPolicy does not retry (too many redirects, an unsupported scheme). */
class FinalError extends Error {}

/** Go's dial error as net/http wraps it: `dial tcp <ip>:<port>: ssrf: prohibited IP address: …`. */
function refusal(address: string, port: number, reason: string): Error {
  const hostPort = address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
  return Object.assign(new Error(`dial tcp ${hostPort}: prohibited IP address: ${reason}`), { code: "EPROHIBITED" });
}

/**
 * A `lookup` for the socket that keeps only permitted addresses, as Go's
 * dialer tries each address and the ssrf Control refuses the prohibited
 * ones: the connection goes to the first permitted one, or fails with the
 * first refusal.
 */
function guardedLookup(disallowPrivate: boolean, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const permitted = addresses.filter((entry) => prohibitedAddress(entry.address, disallowPrivate) === undefined);
      if (permitted.length === 0) {
        const first = addresses[0];
        const reason = first ? (prohibitedAddress(first.address, disallowPrivate) ?? "") : "";
        return callback(refusal(first?.address ?? hostname, port, reason), "", 0);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, permitted);
      const chosen = permitted[0] as LookupAddress;
      callback(null, chosen.address, chosen.family);
    });
  };
}

function defaultPort(url: URL): number {
  return Number(url.port || (url.protocol === "https:" ? 443 : 80));
}

/** One GET over the guarded socket. */
function get(url: URL, disallowPrivate: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    // A literal address is connected without a lookup: check it here.
    const reason = prohibitedAddress(host, disallowPrivate);
    if (reason !== undefined) return Promise.reject(refusal(host, defaultPort(url), reason));
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: "GET", signal, lookup: guardedLookup(disallowPrivate, defaultPort(url)) }, resolve);
    req.on("error", reject);
    req.end();
  });
}

async function readAll(response: IncomingMessage, limit: number | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    // Beyond the limit nothing more is read (the rest is dropped with the connection).
    if (limit !== undefined && size >= limit) {
      response.destroy();
      break;
    }
  }
  const body = Buffer.concat(chunks);
  return (limit === undefined ? body : body.subarray(0, limit)).toString("utf8");
}

/** One http.Client Do: redirects followed, the whole exchange within the client's timeout. */
async function exchange(location: string, options: OutboundOptions): Promise<{ fetched: FetchedText; retryAfter?: string }> {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let url = new URL(location);
  // The first request's URL is the text Go parsed; a redirect's is the resolved Location.
  let requested = location;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new FinalError(`unsupported protocol scheme "${url.protocol.replace(/:$/, "")}"`);
    const response = await get(url, refusesInternalAddresses(requested, options), signal);
    const status = response.statusCode ?? 0;
    const next = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && next !== undefined) {
      response.resume();
      if (hop >= MAX_REDIRECTS) throw new FinalError("stopped after 10 redirects");
      url = new URL(next, url);
      requested = url.href;
      continue;
    }
    const retryAfter = response.headers["retry-after"];
    return { fetched: { status, body: await readAll(response, options.limit) }, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  }
}

/** retryablehttp DefaultBackoff: min·2^attempt up to max; a 429/503's Retry-After (seconds or an HTTP date) wins. */
function backoffMs(attempt: number, status: number | undefined, retryAfter: string | undefined): number {
  if ((status === 429 || status === 503) && retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return Math.min(2 ** attempt * RETRY_WAIT_MIN_MS, RETRY_WAIT_MAX_MS);
}

const retriedStatus = (status: number) => status === 429 || status === 0 || (status >= 500 && status !== 501);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET `location` as Hydra's resilient client does; throws once it gives up (the message is Go's, close enough to log). */
export async function fetchText(location: string, options: OutboundOptions): Promise<FetchedText> {
  const sleep = options.sleep ?? defaultSleep;
  let lastError: Error | undefined;
  for (let attempt = 0; ; attempt++) {
    let status: number | undefined;
    let retryAfter: string | undefined;
    try {
      const answer = await exchange(location, options);
      if (!retriedStatus(answer.fetched.status)) return answer.fetched;
      status = answer.fetched.status;
      retryAfter = answer.retryAfter;
      lastError = undefined;
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      if (cause instanceof FinalError) throw new Error(`GET ${location}: ${cause.message}`, { cause: error });
      lastError = cause;
    }
    if (attempt >= RETRY_MAX) {
      const tries = `GET ${location} giving up after ${attempt + 1} attempt(s)`;
      throw lastError ? new Error(`${tries}: Get "${location}": ${lastError.message}`, { cause: lastError }) : new Error(tries);
    }
    await sleep(backoffMs(attempt, status, retryAfter));
  }
}
