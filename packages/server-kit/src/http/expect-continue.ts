import type { IncomingMessage, ServerResponse } from "node:http";
import { whenBodyFirstRead } from "./body-first-read";

/**
 * Go's `100 Continue` (server.go expectContinueReader): for an HTTP/1.1
 * request expecting it with a body, conn.serve wraps the body in a reader
 * that writes `HTTP/1.1 100 Continue` on the handler's first read, unless
 * the handler has begun its answer by then; a handler that answers
 * without reading never sends it. Node's `checkContinue` event leaves the
 * moment to us.
 */

/** Requests whose body sits behind Go's expectContinueReader. */
const continueBodies = new WeakSet<IncomingMessage>();

/** Writes `100 Continue` when the handler first asks for the body (whenBodyFirstRead). */
export function continueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
  continueBodies.add(req);
  whenBodyFirstRead(req, () => {
    // Go's first body write clears canWriteContinue; Node can send no interim answer once writeHead has built the head.
    if (!res.headersSent && !res.writableEnded && !req.socket.destroyed) res.writeContinue();
  });
}

/**
 * writeHeader's `ecr, ok := w.req.Body.(*expectContinueReader); ok &&
 * !ecr.sawEOF`: the client may still send the body after a timer, so
 * what follows on the wire is unknown and the connection closes after the
 * answer.
 */
export function continueBodyUnfinished(req: IncomingMessage): boolean {
  return continueBodies.has(req) && !req.readableEnded;
}
