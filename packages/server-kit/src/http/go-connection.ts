import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { continueBodyUnfinished } from "./expect-continue";
import { bodyReadTimedOut } from "./read-deadline";
import { goTrim } from "../text/go-trim-cutset";

/**
 * The connection part of the response head as Go's net/http writes it
 * (server.go chunkWriter.writeHeader, read in Go 1.19's source; not
 * checked against Go 1.26's): Go never sends `Keep-Alive`, says
 * `Connection: close` (HTTP/1.1 only) exactly when it closes after the
 * answer, and `Connection: keep-alive` only to an HTTP/1.0 keep-alive
 * request whose answer has a length. Node, left alone, adds
 * `Connection: keep-alive` and `Keep-Alive: timeout=…` to every kept
 * answer and `Connection: close` to an HTTP/1.0 one, answers HTTP/1.0 with
 * an `HTTP/1.1` status line and leaves out the length Go computes for an
 * answer written in one go.
 */

/** The response fields of Node's (node/lib/_http_outgoing.js, Node 24) this module steers. */
interface NodeOutgoing {
  /** The length of a body handed to end() before the head was written (Node's implicit Content-Length). */
  _contentLength: number | null;
  /** Builds the head; its first argument is the status line. */
  _storeHeader(firstLine: string, headers: unknown): void;
}

/** Go's decision at head time: whether the connection closes after this answer, and what its head says. */
export interface GoConnection {
  readonly close: boolean;
  /** The handler's own Connection value (Header.get: the first one), if any. */
  readonly handlerValue: string | undefined;
  readonly http10: boolean;
  /** HTTP/1.0 keep-alive with a length: Go adds `Connection: keep-alive`. */
  readonly keepAlive10: boolean;
}

/** httpguts.HeaderValuesContainsToken: a comma-separated element equal to `token` (ASCII case folded). */
function containsToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  return value.split(",").some((element) => goTrim(element, " \t").replace(/[A-Z]/g, (c) => c.toLowerCase()) === token);
}

/** server.go hasToken over the handler's value, as writeHeader tests it before deleting the handler's Connection. */
function hasCloseToken(value: string | undefined): boolean {
  if (value === undefined) return false;
  const folded = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const boundary = (c: string | undefined) => c === undefined || c === " " || c === "," || c === "\t";
  for (let at = folded.indexOf("close"); at !== -1; at = folded.indexOf("close", at + 1))
    if (boundary(value[at - 1]) && boundary(value[at + 5])) return true;
  return false;
}

/** The headers a writeHead call passes beside the status (writeHead(status, [message], [headers])). */
function headersInArgs(args: readonly unknown[]): OutgoingHttpHeaders | undefined {
  const headers = typeof args[1] === "string" ? args[2] : args[1];
  return headers !== null && typeof headers === "object" && !Array.isArray(headers) ? (headers as OutgoingHttpHeaders) : undefined;
}

/** A response header as Go's Header.get sees it: from writeHead's own headers first, else those set before. */
function handlerHeader(res: ServerResponse, args: readonly unknown[], name: string): string | undefined {
  const given = headersInArgs(args);
  const fromArgs = given && Object.keys(given).find((key) => key.toLowerCase() === name);
  const value = fromArgs !== undefined && given ? given[fromArgs] : res.getHeader(name);
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[0] : value);
}

/** bodyAllowedForStatus. */
function bodyAllowed(status: number): boolean {
  return !((status >= 100 && status <= 199) || status === 204 || status === 304);
}

/**
 * writeHeader's connection steps ahead of the unread-body discard, plus
 * its HTTP/1.0 no-length rule: called from the head hook with writeHead's
 * arguments (the status there wins over res.statusCode).
 */
export function goConnectionOf(req: IncomingMessage, res: ServerResponse, args: readonly unknown[]): GoConnection {
  const status = typeof args[0] === "number" ? args[0] : res.statusCode;
  const http10 = req.httpVersionMinor === 0;
  const requested = req.headers.connection;
  // Request.wantsClose (transfer.go shouldClose) and wantsHttp10KeepAlive.
  const wantsClose = containsToken(requested, "close") || (http10 && !containsToken(requested, "keep-alive"));
  const wants10KeepAlive = http10 && containsToken(requested, "keep-alive");
  const handlerValue = handlerHeader(res, args, "connection");
  const implicitLength = (res as unknown as NodeOutgoing)._contentLength;
  // w.contentLength != -1: a Content-Length the handler set, or the one Go computes for a body written in one go.
  const hasLength =
    handlerHeader(res, args, "content-length") !== undefined ||
    (typeof implicitLength === "number" && bodyAllowed(status) && handlerHeader(res, args, "transfer-encoding") === undefined);
  const isHead = req.method === "HEAD";
  let close = false;
  let keepAlive10 = false;
  if (wants10KeepAlive && (isHead || hasLength || !bodyAllowed(status))) keepAlive10 = handlerValue === undefined;
  else if (http10 || wantsClose) close = true;
  if (handlerValue === "close") close = true;
  // The client waits for `100 Continue` (or sends its body after a timer): what follows on the wire is unknown.
  if (continueBodyUnfinished(req)) close = true;
  // A body read that failed at the read deadline: the discard fails too, and whatever remains must not be read as a request.
  if (bodyReadTimedOut(req)) close = true;
  // HTTP/1.0 cannot chunk: an answer without a length ends with the connection.
  if (http10 && !isHead && bodyAllowed(status) && !hasLength) close = true;
  return { close, handlerValue, http10, keepAlive10 };
}

/**
 * writeStatusLine and the length of a body written in one go, for an
 * HTTP/1.0 request: Go answers `HTTP/1.0` (Node hard-codes `HTTP/1.1`)
 * and sends that length to HTTP/1.0 as well (Node only to HTTP/1.1).
 */
export function answerHttp10AsGo(req: IncomingMessage, res: ServerResponse): void {
  const node = res as unknown as NodeOutgoing;
  const storeHeader = node._storeHeader.bind(res);
  node._storeHeader = (firstLine, headers) => storeHeader(firstLine.replace(/^HTTP\/1\.1 /, "HTTP/1.0 "), headers);
  if (typeof node._contentLength === "number" && req.method !== "HEAD") res.useChunkedEncodingByDefault = true;
}

/**
 * Makes Node write the Connection header Go would and keep or close the
 * connection as Go does. Node writes no Connection header of its own once
 * the header has been removed (its `_removedConnection`) and then keeps
 * the connection exactly when `shouldKeepAlive` says so.
 */
export function applyGoConnection(res: ServerResponse, connection: GoConnection): void {
  // Node's own reasons to close (server.maxRequestsPerSocket) stand, and are then said as Go says a close.
  const close = connection.close || !res.shouldKeepAlive;
  res.shouldKeepAlive = !close;
  if (close) {
    if (hasCloseToken(connection.handlerValue)) return;
    // delHeader("Connection"), then `close` for HTTP/1.1 only; Node writes its own `Connection: close` after Date.
    if (connection.handlerValue !== undefined || connection.http10) res.removeHeader("connection");
    if (connection.handlerValue !== undefined && !connection.http10) res.setHeader("Connection", "close");
    return;
  }
  if (connection.keepAlive10) res.setHeader("Connection", "keep-alive");
  else if (connection.handlerValue === undefined) res.removeHeader("connection");
}
