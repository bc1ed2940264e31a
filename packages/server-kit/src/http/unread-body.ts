import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { answerHttp10AsGo, applyGoConnection, goConnectionOf } from "./go-connection";
import { bodyReadTimedOut } from "./read-deadline";

/**
 * Go's rule for a request body the handler did not read (server.go
 * chunkWriter.writeHeader, when the response head is written): with
 * 256 KiB or more announced and unread it does not read on, answers with
 * `Connection: close` and closes once the response is out; otherwise it
 * discards up to 256 KiB and one byte more, keeping the connection when
 * the body ended within that, else closing as above. A body whose read
 * fails is not skipped either (closeAfterReply). Node, left alone, reads
 * and drops any unread body in full to keep the connection (`resume()`
 * or its own dump after the response), however long it is.
 */

/** server.go maxPostHandlerReadBytes. */
export const MAX_POST_HANDLER_READ_BYTES = 256 << 10;

/** Requests whose unread remainder Go would not skip: their answer closes the connection. */
const notSkipped = new WeakSet<IncomingMessage>();

/**
 * What is left of the body on the wire: nothing (ended, no body, the
 * connection gone, or a reader taking it now), a length still known (a
 * Content-Length body nobody has started on), or an unknown amount (a
 * chunked body, or one a reader started and left).
 */
type Remainder = { kind: "none" } | { kind: "known"; bytes: number } | { kind: "unknown" };

function remainderOf(req: IncomingMessage, consumedBytes?: number): Remainder {
  if (req.complete || req.destroyed || req.readableFlowing === true) return { kind: "none" };
  const chunked = req.headers["transfer-encoding"] !== undefined;
  const announced = chunked ? Number.NaN : Number(req.headers["content-length"] ?? "0");
  // Go's w.req.ContentLength != 0.
  if (!chunked && !(announced > 0)) return { kind: "none" };
  if (chunked) return { kind: "unknown" };
  // A Content-Length body's remainder stays known to Go however much was read (body.unreadDataSizeLocked).
  if (consumedBytes !== undefined) return { kind: "known", bytes: announced - consumedBytes };
  return req.readableDidRead ? { kind: "unknown" } : { kind: "known", bytes: announced };
}

/**
 * Discards a body the handler will not read, as writeHeader's discard
 * does: nothing read when 256 KiB or more is announced, else at most
 * 256 KiB and one byte; resolves once that is settled (never rejects).
 * What is left marks the connection to close after the answer
 * (answerUnreadBodyAsNetHttp). Call before answering, in place of
 * `req.resume()`. A handler that stopped reading part-way passes how many
 * body bytes it took (`consumedBytes`): a Content-Length remainder of
 * 256 KiB or more is then left unread, as Go leaves it, instead of waited for.
 */
export function discardUnreadBody(req: IncomingMessage, consumedBytes?: number): Promise<void> {
  const remainder = remainderOf(req, consumedBytes);
  if (remainder.kind === "none") return Promise.resolve();
  // Past the read deadline the discard fails at once (read-deadline.ts): closeAfterReply.
  if (bodyReadTimedOut(req)) {
    notSkipped.add(req);
    return Promise.resolve();
  }
  // unreadDataSizeLocked() >= maxPostHandlerReadBytes: tooBig without reading.
  if (remainder.kind === "known" && remainder.bytes >= MAX_POST_HANDLER_READ_BYTES) {
    notSkipped.add(req);
    return Promise.resolve();
  }
  // A Content-Length remainder of 256 KiB is too big already (unreadDataSizeLocked); a chunked one only past it (io.CopyN's nil error).
  const tooBigAt = req.headers["transfer-encoding"] === undefined ? MAX_POST_HANDLER_READ_BYTES : MAX_POST_HANDLER_READ_BYTES + 1;
  return new Promise((resolve) => {
    let read = 0;
    const settle = (skipped: boolean) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onBroken);
      req.off("close", onClose);
      if (!skipped) {
        notSkipped.add(req);
        req.pause();
      }
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read >= tooBigAt) settle(false);
    };
    const onEnd = () => settle(true);
    const onBroken = () => settle(false);
    const onClose = () => {
      if (!req.complete) settle(false);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onBroken);
    req.on("close", onClose);
    // A reader that stopped part-way left the stream paused; a new `data` listener does not restart it.
    req.resume();
  });
}

/**
 * Arms Go's rule on one response (call first thing in a request
 * listener): when its head is written, an unread remainder Go would not
 * skip gets `Connection: close` and the connection ends after the
 * response. A chunked body nobody read, or a body a reader left part-way
 * (its remaining length unknown here), is discarded from then on, and
 * past 256 KiB the connection is closed once the response is out (Go
 * would have read that much, or known the rest was too long, before
 * writing the head, and said `close` in it; a Node head cannot wait for
 * the read). The rest of the head's connection rules are Go's too
 * (go-connection.ts: no `Keep-Alive`, `Connection: close` exactly when the
 * connection closes, HTTP/1.0's status line).
 */
export function answerUnreadBodyAsNetHttp(req: IncomingMessage, res: ServerResponse): void {
  // Node writes every head through writeHead (an implicit one too), whichever of its overloads is called.
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    // A second head is Node's error to raise.
    if (res.headersSent) return writeHead(...args);
    // writeHeader's order: the connection rules first; the unread body is looked at only when they keep it.
    const connection = goConnectionOf(req, res, args);
    if (connection.http10) answerHttp10AsGo(req, res);
    if (connection.close || !closeIfNotSkipped(req, res)) applyGoConnection(res, connection);
    return writeHead(...args);
  };
}

/** answerUnreadBodyAsNetHttp on every request a server hands to its listeners, ahead of them. */
export function answerUnreadBodiesAsNetHttp(server: Server): void {
  server.prependListener("request", answerUnreadBodyAsNetHttp);
}

/** Whether the head now says `Connection: close` for the body (tooBig); a later close is arranged here too. */
function closeIfNotSkipped(req: IncomingMessage, res: ServerResponse): boolean {
  const remainder = remainderOf(req);
  if (notSkipped.has(req) || (remainder.kind === "known" && remainder.bytes >= MAX_POST_HANDLER_READ_BYTES)) {
    if (res.headersSent) return true;
    // writeHeader: delHeader("Connection"), then `Connection: close` (HTTP/1.0 too); Node closes after a response that says so.
    res.removeHeader("connection");
    res.setHeader("Connection", "close");
    res.shouldKeepAlive = false;
    return true;
  }
  if (remainder.kind === "none") return false;
  void discardUnreadBody(req).then(() => {
    if (!notSkipped.has(req)) return;
    if (res.writableFinished) closeWriteAndWait(req.socket);
    else res.once("finish", () => closeWriteAndWait(req.socket));
  });
  return false;
}

/** server.go rstAvoidanceDelay: how long Go waits after closing its side before it closes the socket. */
const RST_AVOIDANCE_DELAY_MS = 500;

/** conn.closeWriteAndWait: end our side (the client reads the answer to its end), then close. */
function closeWriteAndWait(socket: Duplex): void {
  socket.end();
  setTimeout(() => socket.destroy(), RST_AVOIDANCE_DELAY_MS).unref();
}
