import diagnostics from "node:diagnostics_channel";
import { goCertificateText } from "./go-x509-errors";

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
}

const requestSockets = new WeakMap<object, SocketAddresses>();
const errorSockets = new WeakMap<object, SocketAddresses>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function addressOf(socket: Record<string, unknown>, side: "local" | "remote"): string | undefined {
  const address = socket[`${side}Address`];
  const port = socket[`${side}Port`];
  if (typeof address !== "string" || typeof port !== "number") return undefined;
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

diagnostics.subscribe("undici:client:sendHeaders", (message) => {
  if (!isRecord(message) || !isRecord(message.request) || !isRecord(message.socket)) return;
  const local = addressOf(message.socket, "local");
  const remote = addressOf(message.socket, "remote");
  if (local && remote) requestSockets.set(message.request, { local, remote });
});
diagnostics.subscribe("undici:request:error", (message) => {
  if (!isRecord(message) || !isRecord(message.request) || !isRecord(message.error)) return;
  const sockets = requestSockets.get(message.request);
  if (sockets) errorSockets.set(message.error, sockets);
});

/** Go's %q for a URL (JSON escaping differs only for control characters, which URLs do not hold). */
const goQuote = (value: string) => JSON.stringify(value);

/**
 * The Go text of a failed request, or undefined when the error is not a
 * transport failure (an HTTP answer, a parse error, …). `error` is what
 * openid-client threw: fetch's TypeError with the socket error as its
 * cause, or its OAUTH_TIMEOUT ClientError when the timeout aborted the
 * request before the answer's headers came.
 */
export function goNetworkText(method: "Get" | "Post", url: string, error: unknown): string | undefined {
  const prefix = `${method} ${goQuote(url)}`;
  if (isTimeout(error)) return `${prefix}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
  if (!(error instanceof TypeError)) return undefined;
  const cause: unknown = error.cause;
  if (!isRecord(cause)) return `${prefix}: ${error.message}`;
  const code = typeof cause.code === "string" ? cause.code : "";
  if (code === "ECONNREFUSED") {
    const address =
      typeof cause.address === "string" && typeof cause.port === "number" ? `${cause.address}:${cause.port}` : new URL(url).host;
    return `${prefix}: dial tcp ${address}: connect: connection refused`;
  }
  if (code === "ENOTFOUND") return `${prefix}: dial tcp: lookup ${new URL(url).hostname}: no such host`;
  if (code === "ECONNRESET") {
    // net.OpError: "read tcp <local>-><remote>: read: connection reset by peer".
    const sockets = errorSockets.get(cause);
    return sockets
      ? `${prefix}: read tcp ${sockets.local}->${sockets.remote}: read: connection reset by peer`
      : `${prefix}: read: connection reset by peer`;
  }
  // The server closed the connection without answering: the transport returns the read's io.EOF as it is.
  if (code === "UND_ERR_SOCKET" && cause.message === "other side closed") return `${prefix}: EOF`;
  const certificate = goCertificateText(cause, new URL(url).hostname.replace(/^\[(.*)\]$/, "$1"), new Date());
  if (certificate) return `${prefix}: ${certificate}`;
  return `${prefix}: ${typeof cause.message === "string" ? cause.message : error.message}`;
}

function isTimeout(error: unknown): boolean {
  if (!isRecord(error) || error.code !== "OAUTH_TIMEOUT") return false;
  const cause: unknown = error.cause;
  return isRecord(cause) && cause.name === "TimeoutError";
}
