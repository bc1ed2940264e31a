import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { parserErrorAnswer, setSecurityHeaders } from "@olympus/server-kit/http";
import { HydraError } from "./errors";

export { SERVER_OPTIONS } from "@olympus/server-kit/http";

/**
 * Hydra's Cache-Control is its own (cache-control.ts), so the shared layer
 * adds only what cannot change what an API client sees: nosniff and
 * `X-Frame-Options: DENY`.
 */
const HYDRA_HEADERS = { cacheControl: null } as const;

export function setHydraSecurityHeaders(res: ServerResponse): void {
  setSecurityHeaders(res, HYDRA_HEADERS);
}

/** Node's own "missing Host" answer would skip the security headers (SERVER_OPTIONS turns it off): refuse here instead. */
export function requireHost(req: IncomingMessage): void {
  if (req.httpVersion === "1.1" && req.headers.host === undefined)
    throw HydraError.badRequest("HTTP/1.1 requests must carry a Host header");
}

/**
 * Requests Node's HTTP parser refuses are answered with the security headers
 * too (the kit's parserErrorAnswer); no Cache-Control, as Go's server
 * answers a request it cannot read before any handler runs.
 */
export function hardenParserErrors(server: Server): Server {
  server.on("clientError", parserErrorAnswer(HYDRA_HEADERS));
  return server;
}
