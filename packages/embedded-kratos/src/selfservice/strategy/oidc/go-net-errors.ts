import diagnostics from "node:diagnostics_channel";
import { isIP } from "node:net";
import { GlobCompileError } from "@olympus/server-kit/http";
import { goQuote } from "@olympus/server-kit/go-strconv";
import { alertReceivedOn, goRemoteAlertText, receivedAlert } from "./go-tls-alerts";
import { goCertificateText } from "./go-x509-errors";
import { GoRedirectError } from "./go-redirect";
import { addressRefusalOf, GuardUnavailableError } from "./provider-address-guard";
import { bodyReadErrorOf, failedRequestOf } from "./provider-fetch";

/**
 * Transport failures of the provider calls in the words of Go's net/http
 * client, which Kratos' generic provider uses (its resilient client's
 * http.Client with a 30 s Client.Timeout — openid-client's default timeout
 * is the same 30 s): `<Method> "<url>": <cause>` (url.Error), with the
 * causes Go's dialer, reader, TLS stack and client word as follows.
 *
 * Go names both ends of a connection that broke while reading
 * (`read tcp <local>-><remote>: …`); Node's socket errors do not carry
 * them, so the addresses each request's socket had are recorded from
 * undici's diagnostics channels (fetch runs on undici) and looked up by
 * the error undici reports for that request.
 */

interface SocketAddresses {
  local: string;
  remote: string;
  /** The socket itself, for what was recorded about it (a TLS alert it received). */
  socket: object;
}

const requestSockets = new WeakMap<object, SocketAddresses>();
const errorSockets = new WeakMap<object, SocketAddresses>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function addressOf(socket: Record<string, unknown>, side: "local" | "remote"): string | undefined {
  const address = socket[`${side}Address`];
  const port = socket[`${side}Port`];
  if (typeof address !== "string" || typeof port !== "number") return undefined;
  return goTcpAddress(address, port);
}

/**
 * net.TCPAddr.String: net.JoinHostPort of the IP as net.IP.String prints it
 * (and its zone): brackets around any host holding a `:` (IPv6, zoned or not).
 */
function goTcpAddress(ip: string, port: number | string): string {
  const host = goIpText(ip);
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

diagnostics.subscribe("undici:client:sendHeaders", (message) => {
  if (!isRecord(message) || !isRecord(message.request) || !isRecord(message.socket)) return;
  const local = addressOf(message.socket, "local");
  const remote = addressOf(message.socket, "remote");
  if (local && remote) requestSockets.set(message.request, { local, remote, socket: message.socket });
});
diagnostics.subscribe("undici:request:error", (message) => {
  if (!isRecord(message) || !isRecord(message.request) || !isRecord(message.error)) return;
  const sockets = requestSockets.get(message.request);
  if (sockets) errorSockets.set(message.error, sockets);
});

/** net.OpError of a reset read: `read tcp <local>-><remote>: read: connection reset by peer`. */
function resetText(socketError: object): string {
  const sockets = errorSockets.get(socketError);
  return sockets ? `read tcp ${sockets.local}->${sockets.remote}: read: connection reset by peer` : "read: connection reset by peer";
}

/**
 * The Go text of a failed request, or undefined when the error is not a
 * transport failure (an HTTP answer, a parse error, …). `error` is what
 * openid-client threw: fetch's TypeError with the socket error as its
 * cause, or its OAUTH_TIMEOUT ClientError when the timeout aborted the
 * request before the answer's headers came.
 */
export function goNetworkText(method: "Get" | "Post", requested: string, error: unknown): string | undefined {
  const redirect = redirectErrorOf(error);
  if (redirect) return redirect.message;
  // url.Error names the hop that failed: after a redirect, its target.
  const url = failedRequestOf(error)?.url ?? requested;
  const prefix = `${method} ${goQuote(url)}`;
  // A round-trip error is wrapped in url.Error as it is: an exception pattern gobwas does not compile
  // (noInternalIPRoundTripper.RoundTrip), or the guard's own refusal to send, worded for operators.
  const roundTrip = causeOfType(error, GlobCompileError) ?? causeOfType(error, GuardUnavailableError);
  if (roundTrip) return `${prefix}: ${roundTrip.message}`;
  if (isTimeout(error)) return `${prefix}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
  if (!(error instanceof TypeError)) return undefined;
  const cause: unknown = error.cause;
  if (!isRecord(cause)) return `${prefix}: ${error.message}`;
  const code = typeof cause.code === "string" ? cause.code : "";
  const refusal = addressRefusalOf(cause);
  if (refusal) return `${prefix}: ${prohibitedDialText(refusal.address, new URL(url), refusal.reason)}`;
  if (code === "ECONNREFUSED") {
    const address =
      typeof cause.address === "string" && typeof cause.port === "number" ? goTcpAddress(cause.address, cause.port) : new URL(url).host;
    return `${prefix}: dial tcp ${address}: connect: connection refused`;
  }
  if (code === "ENOTFOUND") return `${prefix}: dial tcp: lookup ${new URL(url).hostname}: no such host`;
  // A TLS alert the server sent before the connection broke is what Go's first read returns (the conn's sticky error).
  const alert = receivedAlert(cause) ?? alertReceivedOn(errorSockets.get(cause)?.socket);
  if (alert !== undefined) return `${prefix}: ${goRemoteAlertText(alert)}`;
  if (code === "ECONNRESET") return `${prefix}: ${resetText(cause)}`;
  // The server closed the connection without answering: the transport returns the read's io.EOF as it is.
  if (code === "UND_ERR_SOCKET" && cause.message === "other side closed") return `${prefix}: EOF`;
  const certificate = goCertificateText(cause, new URL(url).hostname.replace(/^\[(.*)\]$/, "$1"), new Date());
  if (certificate) return `${prefix}: ${certificate}`;
  return `${prefix}: ${typeof cause.message === "string" ? cause.message : error.message}`;
}

/**
 * The net.OpError of a dial the ssrf guard's Control refused (ory/x
 * httpx/ssrf.go, code.dny.dev/ssrf Guardian.Safe's ErrProhibitedIP):
 * `dial tcp <ip>:<port>: prohibited IP address: <why>`, the port the URL's.
 */
function prohibitedDialText(address: string, url: URL, reason: string): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `dial tcp ${goTcpAddress(address, port)}: prohibited IP address: ${reason}`;
}

/**
 * An address as net.IP.String prints it (go1.26 net/ip.go; the dial's
 * TCPAddr.String): an IPv4-mapped IPv6 address is its dotted IPv4 address
 * (To4 is tried first), other IPv6 addresses RFC 5952's form, which WHATWG's
 * serialiser also writes — except for the mapped ones, which it writes in
 * hex (`::ffff:7f00:1`), the form Node connects to.
 */
function goIpText(address: string): string {
  // A zoned address (`fe80::1%eth0`) is printed with its zone as it came; WHATWG URLs hold none.
  if (isIP(address) !== 6 || address.includes("%")) return address;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped?.[1] || !mapped[2]) return canonical;
  const high = parseInt(mapped[1], 16);
  const low = parseInt(mapped[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/**
 * net/http client.go cancelTimerBody.Read: when Client.Timeout fires while
 * the answer's body is read, the transport's read fails with the request
 * context's cause (transport.go readLoop: context.DeadlineExceeded) and the
 * client adds its note. It is no url.Error: the callers' reads of resp.Body
 * get it without `<Method> "<url>": `.
 */
export const BODY_TIMEOUT_TEXT = "context deadline exceeded (Client.Timeout or context cancellation while reading body)";

/**
 * Go's text of a failed read of a provider answer's body (providerFetch's
 * ProviderBodyReadError along `error`'s causes), or undefined when the
 * failure is another. Besides the timeout: a body the server ended before
 * its Content-Length or last chunk is io.ErrUnexpectedEOF (transfer.go
 * body.readLocked, internal/chunked.go), a reset the connection's read
 * error as it is (fetch's `terminated` TypeError carries undici's socket
 * error).
 */
export function goBodyReadText(error: unknown): string | undefined {
  const cause: unknown = bodyReadErrorOf(error)?.cause;
  if (!isRecord(cause)) return undefined;
  if (cause.name === "TimeoutError") return BODY_TIMEOUT_TEXT;
  const socketError: unknown = cause instanceof TypeError ? cause.cause : undefined;
  if (!isRecord(socketError)) return undefined;
  if (socketError.code === "UND_ERR_SOCKET" && socketError.message === "other side closed") return "unexpected EOF";
  if (socketError.code === "ECONNRESET") return resetText(socketError);
  return undefined;
}

/** The redirect policy's url.Error along the causes (openid-client wraps what its fetch throws). */
const redirectErrorOf = (error: unknown): GoRedirectError | undefined => causeOfType(error, GoRedirectError);

/** The first error of class `type` along `error`'s causes. */
function causeOfType<E extends Error>(error: unknown, type: abstract new (...args: never[]) => E): E | undefined {
  for (let current: unknown = error, depth = 0; isRecord(current) && depth < 8; current = current.cause, depth++) {
    if (current instanceof type) return current;
  }
  return undefined;
}

/** The request's deadline fired before the answer's headers came: openid-client's OAUTH_TIMEOUT, or fetch's own (discovery). */
function isTimeout(error: unknown): boolean {
  if (error instanceof DOMException) return error.name === "TimeoutError";
  if (!isRecord(error) || error.code !== "OAUTH_TIMEOUT") return false;
  const cause: unknown = error.cause;
  return isRecord(cause) && cause.name === "TimeoutError";
}
