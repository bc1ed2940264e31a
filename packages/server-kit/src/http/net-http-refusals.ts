import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { continueOnFirstRead } from "./expect-continue";
import { afterEarlierResponses, afterResponsesInFlight } from "./pipelined-order";
import { failLateBody } from "./read-deadline";
import { goRequestTarget, requestTargetOf } from "./request-target";

/**
 * Answers Go's net/http writes itself, before any handler runs, for a
 * request it will not serve (server.go conn.serve, after conn.readRequest
 * fails): a status line, `Content-Type: text/plain; charset=utf-8` and
 * `Connection: close`, nothing else (no Date, no length: the body ends
 * where the connection does), then the connection is closed. Kratos and
 * Hydra v26.2.0 serve with plain net/http (graceful.WithDefaults), so
 * these are their answers too. Checked against Go 1.19's sources and a
 * Go 1.24+ conn.serve (the texts did not change).
 */
export interface NetHttpRefusal {
  /** What follows `HTTP/1.1 ` on the status line. */
  readonly statusLine: string;
  readonly body: string;
}

/**
 * http.DefaultMaxHeaderBytes (1 MiB) plus the 4096 bytes of bufio slack
 * conn.readRequest allows (initialReadLimitSize); neither Kratos nor Hydra
 * sets Server.MaxHeaderBytes. Node's default is 16 KiB, so a 20 KiB head
 * Go serves would be refused. Still a cap: a longer head gets the 431.
 */
const GO_MAX_HEADER_BYTES = (1 << 20) + 4096;

/**
 * Server.ReadHeaderTimeout of both: Kratos sets 5 s on its public and admin
 * servers (cmd/daemon/serve.go), Hydra 5 s (cmd/server/handler.go), and
 * ory/graceful WithDefaults keeps a value already set. Go counts it from the
 * connection's start (or the next request's first bytes) and, when it runs
 * out, closes without a word (conn.serve: isCommonNetReadError).
 */
const GO_READ_HEADER_TIMEOUT_MS = 5_000;

/**
 * createServer options for both servers: Go's head limit and head timeout
 * (Node's headersTimeout, 60 s by default, which answerParserError turns
 * into Go's silent close; Node checks it only every
 * connectionsCheckingInterval, 30 s by default, so a slow head is cut
 * within a quarter second of Go's 5 s), and Node's own "missing Host"
 * answer off, as refusedAsNetHttp gives Go's instead.
 */
export const SERVER_OPTIONS = {
  requireHostHeader: false,
  maxHeaderSize: GO_MAX_HEADER_BYTES,
  headersTimeout: GO_READ_HEADER_TIMEOUT_MS,
  connectionsCheckingInterval: 250,
} as const;

/** conn.serve's `publicErr` for any error that is not one of the kinds below. */
const BAD_REQUEST: NetHttpRefusal = { statusLine: "400 Bad Request", body: "400 Bad Request" };
/** errTooLarge: the head went past MaxHeaderBytes (+4096 of bufio slack). */
const HEADER_TOO_LARGE: NetHttpRefusal = {
  statusLine: "431 Request Header Fields Too Large",
  body: "431 Request Header Fields Too Large",
};
/** unsupportedTEError: the transfer encoding is not echoed back. */
const UNSUPPORTED_TRANSFER_ENCODING: NetHttpRefusal = { statusLine: "501 Not Implemented", body: "Unsupported transfer encoding" };

/** A statusError: its text after the status text, on the status line and in the body alike. */
function statusError(code: 400 | 505, text: string): NetHttpRefusal {
  const line = `${code} ${code === 400 ? "Bad Request" : "HTTP Version Not Supported"}: ${text}`;
  return { statusLine: line, body: line };
}

/** Every refusal conn.serve can write, to recognise one (fuzz tests). */
const ALL_REFUSALS: readonly NetHttpRefusal[] = [
  BAD_REQUEST,
  HEADER_TOO_LARGE,
  UNSUPPORTED_TRANSFER_ENCODING,
  statusError(505, "unsupported protocol version"),
  statusError(400, "missing required Host header"),
  statusError(400, "malformed Host header"),
  statusError(400, "invalid header name"),
  statusError(400, "invalid header value"),
];

/** The bytes conn.serve writes for a refusal. */
export function netHttpRefusalBytes(refusal: NetHttpRefusal): string {
  return `HTTP/1.1 ${refusal.statusLine}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${refusal.body}`;
}

/** Whether a parsed answer (status, lower-cased headers, body) is one of net/http's own refusals. */
export function isNetHttpRefusal(answer: { status: number; headers: ReadonlyMap<string, string>; body: string }): boolean {
  const names = [...answer.headers.keys()].sort().join(",");
  return (
    names === "connection,content-type" &&
    answer.headers.get("content-type") === "text/plain; charset=utf-8" &&
    answer.headers.get("connection") === "close" &&
    ALL_REFUSALS.some((r) => r.body === answer.body && r.statusLine.startsWith(`${answer.status} `))
  );
}

/**
 * http.ParseHTTPVersion: `HTTP/1.1` and `HTTP/1.0`, else exactly
 * `HTTP/<digit>.<digit>`; null when Go cannot read it.
 */
export function parseHttpVersion(version: string): { major: number; minor: number } | null {
  if (version === "HTTP/1.1") return { major: 1, minor: 1 };
  if (version === "HTTP/1.0") return { major: 1, minor: 0 };
  const m = /^HTTP\/([0-9])\.([0-9])$/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** httpguts.ValidHostHeader's byte set: URI host characters and `[]:` (x/net v0.48.0, httplex.go). */
const HOST_BYTES = /^[0-9A-Za-z!$%&()*+,\-.:;=[\]'_~]*$/;

/** Node keeps a header's value bytes as Latin-1 characters, one per byte, so a character test is a byte test. */
function validHostHeader(host: string): boolean {
  return HOST_BYTES.test(host);
}

/** The values of one header, one per header line, as the client sent them (Go's Header[key] slice). */
function headerLines(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i]?.toLowerCase() === name) values.push(req.rawHeaders[i + 1] ?? "");
  return values;
}

/**
 * The refusal Go would write for a request Node's parser accepted, or null
 * when Go serves it. In Go's order: request.go readRequest (a target
 * url.ParseRequestURI refuses, a plain error; more than one
 * Host line, a plain error), transfer.go parseTransferEncoding (HTTP/1.1
 * and up: exactly one Transfer-Encoding line, `chunked` in any case), then
 * server.go conn.readRequest: http1ServerSupportsRequest (HTTP/1.x, or the
 * `PRI * HTTP/2.0` preface), a Host for HTTP/1.1 and up (CONNECT and the
 * preface excepted), httpguts.ValidHostHeader. Header names and values Go
 * would refuse, Node's parser has refused already.
 */
export function netHttpRefusalOf(req: IncomingMessage): NetHttpRefusal | null {
  // Node keeps the target's bytes as Latin-1 characters; its parser lets through escapes Go's parse refuses.
  if (req.httpVersionMajor !== 0 && !requestTargetOf(req).ok) return BAD_REQUEST;
  const hosts = headerLines(req, "host");
  if (hosts.length > 1) return BAD_REQUEST;
  const { httpVersionMajor: major, httpVersionMinor: minor } = req;
  const atLeast11 = major > 1 || (major === 1 && minor >= 1);
  if (atLeast11) {
    const encodings = headerLines(req, "transfer-encoding");
    if (encodings.length > 1 || (encodings.length === 1 && encodings[0]?.toLowerCase() !== "chunked")) return UNSUPPORTED_TRANSFER_ENCODING;
  }
  // Node reads a request line without a protocol (`GET /x`) as HTTP/0.9, where Go's parseRequestLine
  // fails (`malformed HTTP request`): the plain 400. An explicit `HTTP/0.9`, Go's 505, looks the same here.
  if (major === 0) return BAD_REQUEST;
  const h2Preface = major === 2 && minor === 0 && req.method === "PRI" && req.url === "*";
  if (major !== 1 && !h2Preface) return statusError(505, "unsupported protocol version");
  if (atLeast11 && hosts.length === 0 && !h2Preface && req.method !== "CONNECT") return statusError(400, "missing required Host header");
  if (hosts.length === 1 && !validHostHeader(hosts[0] ?? "")) return statusError(400, "malformed Host header");
  return null;
}

/** server.go hasToken: `token` in `value`, any case, bounded by the ends, a space, a comma or a tab. */
function hasToken(value: string, token: string): boolean {
  const boundary = (c: string | undefined) => c === undefined || c === " " || c === "," || c === "\t";
  // ascii.EqualFold: only ASCII letters fold.
  const folded = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
  for (let at = folded.indexOf(token); at !== -1; at = folded.indexOf(token, at + 1)) {
    if (boundary(value[at - 1]) && boundary(value[at + token.length])) return true;
  }
  return false;
}

/**
 * conn.serve's `sendExpectationFailed`: an Expect header (its first line,
 * Header.get) that is not empty and names no `100-continue` gets 417 for
 * any HTTP/1.x version, before a handler runs.
 */
function expectationFailed(req: IncomingMessage): boolean {
  const expect = headerLines(req, "expect")[0] ?? "";
  return expect !== "" && !hasToken(expect, "100-continue");
}

/** That 417 as Go's response writer sends it: Connection, Date, Content-Length, in that order, and no body. */
function expectationFailedBytes(req: IncomingMessage, now = new Date()): string {
  const version = req.httpVersionMinor >= 1 ? "HTTP/1.1" : "HTTP/1.0";
  return `${version} 417 Expectation Failed\r\nConnection: close\r\nDate: ${now.toUTCString()}\r\nContent-Length: 0\r\n\r\n`;
}

/** Sockets a refusal was written on: requests pipelined behind it are never served, as Go closes the connection. */
const refusedSockets = new WeakSet<Duplex>();

/**
 * The first step of both servers' request listeners: when Go's net/http
 * would not hand this request to a handler, write its answer, close the
 * connection and return true (no handler, log line or metric, as in Go).
 */
export function refusedAsNetHttp(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket;
  if (refusedSockets.has(socket)) return true;
  const refusal = netHttpRefusalOf(req);
  if (refusal === null && !expectationFailed(req)) return false;
  refusedSockets.add(socket);
  // conn.serve reads a request only once the one before it is answered: the refusal follows every earlier response.
  afterEarlierResponses(res, () => {
    if (!socket.writable) return void socket.destroy();
    // The Date is the one of the moment the answer is written, as Go's.
    socket.end(refusal === null ? expectationFailedBytes(req) : netHttpRefusalBytes(refusal), () => socket.destroy());
  });
  return true;
}

/**
 * Hands every request with an Expect header to the request listener, so
 * refusedAsNetHttp decides as Go does. Node answers a non-`100-continue`
 * expectation of HTTP/1.1 with its own 417 (no listener would run, so a
 * missing Host would get 417 where Go says 400) and writes `100 Continue`
 * as soon as its looser match (`\W` around the token) finds one, before a
 * request Go refuses or answers with 417.
 */
export function answerExpectAsNetHttp(server: Server): void {
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => server.emit("request", req, res));
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    // expectContinueReader: Go sends it only for a body (ContentLength != 0), when the handler first reads it.
    const body = req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] ?? "0") !== "0";
    if (body && netHttpRefusalOf(req) === null && !expectationFailed(req)) continueOnFirstRead(req, res);
    server.emit("request", req, res);
  });
}

/**
 * The refusal for a request Node's parser rejected (its `HPE_*` code), or
 * null for none (conn.serve's isCommonNetReadError: a read timeout or a
 * reset gets no answer). Node tells the cause only as far as its parser
 * names it: an oversized head is Go's errTooLarge (431); two
 * Transfer-Encoding lines or an encoding after `chunked` are
 * unsupportedTEError (501); a version Go reads with a major other than 1 is
 * http1ServerSupportsRequest's 505; everything else is the plain 400, as
 * Go's own parse errors are (malformed lines and header names or values
 * are textproto ProtocolErrors, not statusErrors).
 */
export function parserErrorRefusal(error: Error & { code?: string; rawPacket?: unknown }): NetHttpRefusal | null {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return HEADER_TOO_LARGE;
    case "HPE_INVALID_TRANSFER_ENCODING":
      return UNSUPPORTED_TRANSFER_ENCODING;
    case "HPE_INVALID_VERSION": {
      const version = requestLineVersion(error.rawPacket);
      const parsed = version === null ? null : parseHttpVersion(version);
      return parsed !== null && parsed.major !== 1 ? statusError(505, "unsupported protocol version") : BAD_REQUEST;
    }
    case "ERR_HTTP_REQUEST_TIMEOUT":
    case "ECONNRESET":
      return null;
    default:
      return BAD_REQUEST;
  }
}

/** A method Go's validMethod takes: one or more token characters (httpguts.IsTokenRune). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The protocol of the request line in the bytes Node's parser failed on,
 * when Go's readRequest would get as far as reading it (parseRequestLine:
 * method SP target SP proto; validMethod; then ParseHTTPVersion; the target
 * must pass ParseRequestURI too before the headers are read). Null when Go
 * stops before, with its plain 400.
 */
function requestLineVersion(rawPacket: unknown): string | null {
  if (!Buffer.isBuffer(rawPacket)) return null;
  const text = rawPacket.toString("latin1");
  const end = text.search(/\r?\n/);
  const line = end === -1 ? text : text.slice(0, end);
  const first = line.indexOf(" ");
  const second = first === -1 ? -1 : line.indexOf(" ", first + 1);
  if (second === -1 || !TOKEN.test(line.slice(0, first))) return null;
  return goReadsRequestTarget(line.slice(0, first), line.slice(first + 1, second)) ? line.slice(second + 1) : null;
}

/**
 * Whether request.go readRequest's url.ParseRequestURI takes the request
 * target (CONNECT's authority form read as `http://authority`); when it
 * does not (`/a%zz`, a control byte), Go answers the plain 400.
 */
function goReadsRequestTarget(method: string, target: string): boolean {
  return goRequestTarget(method, target).ok;
}

/** A `clientError` listener for both servers: Go's answer to a request Node's parser refused, then the connection closes. */
export function answerParserError(error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  // ReadTimeout with the head read: the handler's body read fails and the handler answers (read-deadline.ts).
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT" && failLateBody(socket)) return;
  const refusal = parserErrorRefusal(error);
  if (refusal === null) {
    socket.destroy();
    return;
  }
  // Go reaches the bad bytes only after answering every request before them (conn.serve reads one at a time).
  afterResponsesInFlight(socket, () => {
    if (socket.writable) socket.end(netHttpRefusalBytes(refusal));
    else socket.destroy();
  });
}
