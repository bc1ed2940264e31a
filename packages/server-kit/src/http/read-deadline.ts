import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { whenBodyFirstRead } from "./body-first-read";

/**
 * Go's ReadTimeout on a body that is late (server.go conn.readRequest
 * sets the read deadline for the whole request): the handler's next body
 * read fails with the connection's deadline error, the handler answers
 * what it answers to a failed read, and the connection closes after that
 * answer (writeHeader's discard fails too: closeAfterReply). Node's
 * requestTimeout, left alone, cuts the connection without a word.
 */

/** Requests whose body read ran into the read deadline, with the error their reads fail with. */
const failedBodies = new WeakMap<IncomingMessage, Error>();

/** A TCP address as Go's net.TCPAddr.String writes it (an IPv4-mapped address as plain IPv4). */
function goHostPort(address: string | undefined, port: number | undefined): string {
  const host = (address ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return `${host.includes(":") ? `[${host}]` : host}:${port ?? 0}`;
}

/** The error a read past the deadline returns: *net.OpError{Op: "read", Net: "tcp"} over os.ErrDeadlineExceeded. */
export function goReadTimeoutError(socket: Socket): Error {
  const local = goHostPort(socket.localAddress, socket.localPort);
  const remote = goHostPort(socket.remoteAddress, socket.remotePort);
  return new Error(`read tcp ${local}->${remote}: i/o timeout`);
}

/** Whether this request's body read failed at the read deadline (its answer then closes the connection). */
export function bodyReadTimedOut(req: IncomingMessage): boolean {
  return failedBodies.has(req);
}

/** The request whose body Node's parser is reading on this connection (its `parser.incoming`), if any. */
function requestBeingRead(socket: Duplex): IncomingMessage | null {
  const parser = (socket as Duplex & { parser?: { incoming?: IncomingMessage | null } | null }).parser;
  return parser?.incoming ?? null;
}

/**
 * For Node's ERR_HTTP_REQUEST_TIMEOUT on a connection whose request head
 * has been read: fails that request's body reads with Go's error instead
 * of cutting the connection, and returns true. False when the head itself
 * is late (Go closes without a word then).
 */
export function failLateBody(socket: Duplex): boolean {
  const req = requestBeingRead(socket);
  if (req === null || req.complete) return false;
  if (failedBodies.has(req)) return true;
  const error = goReadTimeoutError(socket as Socket);
  failedBodies.set(req, error);
  // The deadline holds for the rest of the connection: nothing more is read from it. Node's server parses from the
  // socket's handle itself; it stops reading as its own back-pressure does (`_paused`, the parser paused).
  const node = socket as Duplex & { _paused?: boolean; parser?: { pause(): void } | null };
  node._paused = true;
  node.parser?.pause();
  socket.pause();
  const fail = () => {
    if (req.listenerCount("error") > 0) req.emit("error", error);
  };
  // A reader waiting now fails now; one that starts later gets what had arrived, then the error, as Go's reader does.
  if (req.listenerCount("error") > 0) fail();
  else whenBodyFirstRead(req, () => setImmediate(fail));
  // An answer already out closes the connection now, one being written once it is out; one still queued behind
  // earlier answers says `Connection: close` itself (go-connection.ts).
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
  if (inFlight === null || inFlight.writableFinished) socket.destroy();
  else if (inFlight.req === req) inFlight.once("finish", () => socket.destroy());
  return true;
}
