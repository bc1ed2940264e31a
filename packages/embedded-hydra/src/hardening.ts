import type { IncomingMessage, Server } from "node:http";
import { answerParserError } from "@olympus/server-kit/http";
import { HydraError } from "./errors";

export { SERVER_OPTIONS, setSecurityHeaders } from "@olympus/server-kit/http";

/** Node's own "missing Host" answer would skip the security headers (SERVER_OPTIONS turns it off): refuse here instead. */
export function requireHost(req: IncomingMessage): void {
  if (req.httpVersion === "1.1" && req.headers.host === undefined)
    throw HydraError.badRequest("HTTP/1.1 requests must carry a Host header");
}

/** Requests Node's HTTP parser refuses are answered with the security headers too (the kit's answerParserError). */
export function hardenParserErrors(server: Server): Server {
  server.on("clientError", answerParserError);
  return server;
}
