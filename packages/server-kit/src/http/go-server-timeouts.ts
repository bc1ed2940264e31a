import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { afterEarlierResponses } from "./pipelined-order";

/**
 * The http.Server timeouts Kratos and Hydra serve with (their own values,
 * else ory/graceful WithDefaults' 5 s read, 10 s write, 120 s idle).
 * ReadHeaderTimeout (5 s for both) is in SERVER_OPTIONS already.
 */
export interface GoServerTimeouts {
  /**
   * Server.ReadTimeout: the whole request, head and body, must have
   * arrived by then (Node's requestTimeout, counted from the request's
   * first byte). A late body fails the handler's body read, which then
   * answers (read-deadline.ts, wired in answerParserError).
   */
  readonly readTimeoutMs: number;
  /**
   * Server.WriteTimeout: the answer must be written by then, counted from
   * when the request's head was read (server.go conn.readRequest sets the
   * write deadline as it returns).
   */
  readonly writeTimeoutMs: number;
  /** Server.IdleTimeout: how long a kept-alive connection may wait for its next request (Node's keepAliveTimeout). */
  readonly idleTimeoutMs: number;
}

/**
 * Puts Go's timeouts on a Node server, created here or handed in already
 * listening (Node reads these properties each time it checks). Node
 * waits `keepAliveTimeoutBuffer` (1 s by default) beyond keepAliveTimeout
 * before closing an idle connection; Go closes it when IdleTimeout runs
 * out, so there is none.
 */
export function applyGoServerTimeouts(server: Server, timeouts: GoServerTimeouts): void {
  server.requestTimeout = timeouts.readTimeoutMs;
  server.keepAliveTimeout = timeouts.idleTimeoutMs;
  server.keepAliveTimeoutBuffer = 0;
  server.prependListener("request", writeDeadline(timeouts.writeTimeoutMs));
}

/**
 * Go's write deadline per request. Go reads a pipelined request only once
 * the one before it is answered, so the deadline starts when the response
 * gets the connection. One timer per request, gone with the response
 * (its `close` event follows `finish` and a broken connection alike).
 */
function writeDeadline(ms: number): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    afterEarlierResponses(res, () => {
      const timer = setTimeout(writeDeadlinePassed, ms, res);
      res.once("close", () => clearTimeout(timer));
    });
  };
}

/**
 * Past the write deadline every write to the connection fails: nothing
 * more reaches the client, and conn.serve closes the connection once the
 * handler returns (its response is not reusable: conn.werr). A response
 * whose handler is done but whose bytes are still going out fails at
 * once.
 */
function writeDeadlinePassed(res: ServerResponse): void {
  const socket = res.socket;
  if (res.writableFinished || socket === null) return;
  if (res.writableEnded) {
    socket.destroy();
    return;
  }
  // Every later write of this connection fails as Go's does: it goes nowhere (end() uncorks a corked socket
  // itself, so holding the bytes back is not enough).
  socket.write = () => true;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const ended = end(...args);
    socket.destroy();
    return ended;
  }) as ServerResponse["end"];
}
