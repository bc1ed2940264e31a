import type { Server } from "node:http";

/**
 * The http.Server timeouts Kratos and Hydra serve with (their own values,
 * else ory/graceful WithDefaults' 5 s read, 10 s write, 120 s idle), as far
 * as Node has a counterpart. ReadHeaderTimeout (5 s for both) is in
 * SERVER_OPTIONS already.
 */
export interface GoServerTimeouts {
  /**
   * Server.ReadTimeout: the whole request, head and body, must have
   * arrived by then (Node's requestTimeout). Go's handler would see its
   * body read fail and answer; Node closes the connection without a word.
   */
  readonly readTimeoutMs: number;
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
}
