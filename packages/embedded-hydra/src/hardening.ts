import type { Server, ServerResponse } from "node:http";
import {
  answerExpectAsNetHttp,
  answerParserError,
  answerUnreadBodiesAsNetHttp,
  applyGoServerTimeouts,
  setSecurityHeaders,
  type GoServerTimeouts,
} from "@olympus/server-kit/http";

export { refusedAsNetHttp, SERVER_OPTIONS } from "@olympus/server-kit/http";

/**
 * Hydra's Cache-Control is its own (cache-control.ts), so the shared layer
 * adds only what cannot change what an API client sees: nosniff and
 * `X-Frame-Options: DENY`.
 */
const HYDRA_HEADERS = { cacheControl: null } as const;

export function setHydraSecurityHeaders(res: ServerResponse): void {
  setSecurityHeaders(res, HYDRA_HEADERS);
}

/**
 * cmd/server/handler.go serve: graceful.WithDefaults over a Server that
 * sets only ReadHeaderTimeout (5 s, in SERVER_OPTIONS), so ory/graceful
 * v0.1.3's defaults hold: ReadTimeout 5 s, WriteTimeout 10 s, IdleTimeout
 * 120 s (http_defaults.go).
 */
export const HYDRA_SERVER_TIMEOUTS: GoServerTimeouts = { readTimeoutMs: 5_000, writeTimeoutMs: 10_000, idleTimeoutMs: 120_000 };

/**
 * What Go's net/http does around Hydra's handlers, on both ports: requests
 * Node's HTTP parser refuses get the answer conn.serve writes before any
 * handler runs (a bare text/plain status, no headers of Hydra's), and so
 * do requests with an Expect header Go answers with 417; a body the
 * handler left unread is treated as Go's server treats it; the server's
 * timeouts are Hydra's.
 */
export function serveAsGoNetHttp(server: Server, timeouts: GoServerTimeouts = HYDRA_SERVER_TIMEOUTS): Server {
  server.on("clientError", answerParserError);
  answerExpectAsNetHttp(server);
  answerUnreadBodiesAsNetHttp(server);
  applyGoServerTimeouts(server, timeouts);
  return server;
}
