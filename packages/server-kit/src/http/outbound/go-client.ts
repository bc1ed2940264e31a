import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { refusesInternalAddresses, type PrivateIpPolicy } from "./private-ip-policy";
import { prohibitedAddress } from "./ssrf";

/**
 * One net/http Client.Do of the client ory/x httpx NewResilientClient builds
 * (resilient_client.go, ssrf.go): every connection goes through
 * code.dny.dev/ssrf's check of the dialled address (./ssrf.ts) — in the
 * socket's `lookup`, so the address checked is the one connected, redirect
 * targets included — with private ranges refused per request as
 * noInternalIPRoundTripper decides (./private-ip-policy.ts); redirects
 * followed as Go's client follows them (client.go do, redirectBehavior,
 * makeHeadersCopier, defaultCheckRedirect: at most 10).
 */
export interface OutboundRequest {
  method: string;
  headers: Headers;
  body?: string;
}

/** An answer; the caller reads or cancels `body` (the exchange's deadline and abort still apply while it reads). */
export interface OutboundResponse {
  status: number;
  headers: Headers;
  /** Header values as received, one per line (Go's http.Header): Retry-After reads the first. */
  headerLines: Readonly<Record<string, string[] | undefined>>;
  body: ReadableStream<Uint8Array>;
  text(): Promise<string>;
}

/**
 * Go's *url.Error (`Post "http://…": <cause>`); `retried` is go-retryablehttp
 * baseRetryPolicy's verdict: not for too many redirects, an unsupported
 * scheme, an invalid header or a certificate error.
 */
export class GoUrlError extends Error {
  constructor(
    op: string,
    url: string,
    readonly reason: string,
    readonly retried: boolean,
  ) {
    super(`${op} "${url}": ${reason}`);
    this.name = "GoUrlError";
  }
}

/** Go's http.Client.CheckRedirect default. */
const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers Go drops once a redirect leaves the first request's domain (and its subdomains). */
const SENSITIVE = new Set(["authorization", "www-authenticate", "cookie", "cookie2", "proxy-authorization", "proxy-authenticate"]);
/** Headers Go drops with the body (a 301/302/303). */
const BODY_HEADERS = new Set(["content-encoding", "content-language", "content-location", "content-type"]);
/** TLS verification failures as Node names them (Go: x509 errors, "certificate is not trusted"). */
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;

/** urlErrorOp: "POST" → "Post". */
export function urlErrorOp(method: string): string {
  return method === "" ? "Get" : method.charAt(0) + method.slice(1).toLowerCase();
}

/** redactURL: a password in the URL reads `xxxxx`. */
export function redactUrl(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/, "$1:xxxxx@");
}

function refusal(address: string, port: number, reason: string): Error {
  const hostPort = address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
  return Object.assign(new Error(`dial tcp ${hostPort}: prohibited IP address: ${reason}`), { code: "EPROHIBITED" });
}

/**
 * A `lookup` that keeps only permitted addresses, as Go's dialer tries each
 * address and the ssrf Control refuses the prohibited ones: the connection
 * goes to the first permitted one, or fails with the first refusal.
 */
function guardedLookup(disallowPrivate: boolean, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const permitted = addresses.filter((entry) => prohibitedAddress(entry.address, disallowPrivate) === undefined);
      const chosen = permitted[0];
      if (!chosen) {
        const first = addresses[0];
        const reason = first ? (prohibitedAddress(first.address, disallowPrivate) ?? "") : "";
        return callback(refusal(first?.address ?? hostname, port, reason), "", 0);
      }
      // @types/node types LookupFunction's callback with the single-address signature only; with `all` Node passes the list.
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, permitted);
      callback(null, chosen.address, chosen.family);
    });
  };
}

const defaultPort = (url: URL) => Number(url.port || (url.protocol === "https:" ? 443 : 80));

/** Go's texts for what Node reports in its own words. */
function transportReason(error: unknown, url: URL, signal: AbortSignal): string {
  if (signal.aborted) {
    return signal.reason instanceof DOMException && signal.reason.name === "TimeoutError"
      ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
      : "context canceled";
  }
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED" && "address" in (error as object)) {
    const { address, port } = error as { address: string; port: number };
    return `dial tcp ${address.includes(":") ? `[${address}]` : address}:${port}: connect: connection refused`;
  }
  if (code === "ECONNRESET" && message === "socket hang up") return "EOF";
  if (code === "ENOTFOUND") return `dial tcp: lookup ${url.hostname}: no such host`;
  return message;
}

/** One exchange over a fresh guarded connection (no pool: a socket never outlives the policy it was checked under). */
function send(url: URL, request: OutboundRequest, disallowPrivate: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    // A literal address is connected without a lookup: check it here.
    const reason = prohibitedAddress(host, disallowPrivate);
    if (reason !== undefined) return Promise.reject(refusal(host, defaultPort(url), reason));
  }
  const headers: OutgoingHttpHeaders = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  // net/http's defaults: its User-Agent unless one is set, and a Content-Length for a body it knows.
  headers["user-agent"] ??= "Go-http-client/1.1";
  if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
  const transmit = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = transmit(
      url,
      { method: request.method, headers, signal, agent: false, lookup: guardedLookup(disallowPrivate, defaultPort(url)) },
      resolve,
    );
    req.on("error", reject);
    req.end(request.body);
  });
}

/** isDomainOrSubdomain of shouldCopyHeaderOnRedirect. */
function isDomainOrSubdomain(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  if (/[:%]/.test(sub)) return false;
  return sub.endsWith(`.${parent}`);
}

function asResponse(message: IncomingMessage): OutboundResponse {
  const headers = new Headers();
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) {
    headers.append(message.rawHeaders[i] as string, message.rawHeaders[i + 1] as string);
  }
  const iterator = message[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    cancel() {
      message.destroy();
    },
  });
  return {
    status: message.statusCode ?? 0,
    headers,
    headerLines: message.headersDistinct,
    body,
    text: async () => new Response(body).text(),
  };
}

/** Client.Do: the request and its redirects; throws a GoUrlError. */
export async function goClientDo(
  location: string,
  request: OutboundRequest,
  policy: PrivateIpPolicy,
  signal: AbortSignal,
): Promise<OutboundResponse> {
  const op = urlErrorOp(request.method);
  let current: URL;
  try {
    current = new URL(location);
  } catch {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase() ?? "";
    const reason = scheme === "http" || scheme === "https" ? "invalid URL" : `unsupported protocol scheme "${scheme}"`;
    throw new GoUrlError(op, redactUrl(location), reason, false);
  }
  const first = current;
  // The first request's URL is the text Go parsed; a redirect's is the resolved Location.
  let requested = location;
  let hop: OutboundRequest = request;
  let stripSensitive = false;
  // Once a 301/302/303 dropped the body, no later hop sends it or its headers (a 307 after a 303 resends the GET as it is).
  let includeBody = true;
  for (let sent = 0; ;) {
    const shown = redactUrl(requested);
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      throw new GoUrlError(op, shown, `unsupported protocol scheme "${current.protocol.slice(0, -1)}"`, false);
    }
    let message: IncomingMessage;
    try {
      message = await send(current, hop, refusesInternalAddresses(requested, policy), signal);
    } catch (error) {
      const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
      throw new GoUrlError(op, shown, transportReason(error, current, signal), !CERTIFICATE_ERRORS.test(code));
    }
    sent += 1;
    const status = message.statusCode ?? 0;
    const target = message.headers.location;
    // A 3xx without Location is the answer (client.go do: issues #17773 and #49281).
    if (!REDIRECTS.has(status) || !target) return asResponse(message);
    message.resume();
    let next: URL;
    try {
      next = new URL(target, current);
    } catch {
      throw new GoUrlError(op, shown, `failed to parse Location header "${target}"`, true);
    }
    if (sent >= MAX_REDIRECTS) throw new GoUrlError(op, target, `stopped after ${MAX_REDIRECTS} redirects`, false);
    // 301/302/303 turn every method but GET and HEAD into a GET without a body; 307/308 resend the hop as it was.
    const keepsHop = status === 307 || status === 308;
    if (!keepsHop) includeBody = false;
    const method = keepsHop || hop.method === "GET" || hop.method === "HEAD" ? hop.method : "GET";
    if (!stripSensitive && next.host !== first.host && !isDomainOrSubdomain(next.hostname, first.hostname)) stripSensitive = true;
    const headers = new Headers();
    request.headers.forEach((value, name) => {
      if (!(SENSITIVE.has(name) && stripSensitive) && !(BODY_HEADERS.has(name) && !includeBody)) headers.set(name, value);
    });
    if (!(current.protocol === "https:" && next.protocol === "http:") && !request.headers.has("referer")) {
      headers.set("Referer", `${current.protocol}//${current.host}${current.pathname}${current.search}`);
    }
    hop = { method, headers, ...(includeBody && request.body !== undefined ? { body: request.body } : {}) };
    current = next;
    requested = next.href;
  }
}
