import type { Server, ServerResponse } from "node:http";
import { answerExpectAsNetHttp, answerParserError, setSecurityHeaders } from "@olympus/server-kit/http";

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
 * Requests Node's HTTP parser refuses get the answer Go's net/http writes
 * before any handler runs (server.go conn.serve): a bare text/plain status,
 * no headers of Hydra's; so do requests with an Expect header Go answers
 * with 417.
 */
export function hardenParserErrors(server: Server): Server {
  server.on("clientError", answerParserError);
  answerExpectAsNetHttp(server);
  return server;
}
