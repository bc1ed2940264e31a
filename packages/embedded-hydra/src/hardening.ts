import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { HydraError } from "./errors";

/**
 * Set on every response of both ports before anything else runs: no MIME
 * sniffing, no framing, and no caching of tokens, challenges or flows
 * (oidc-provider may still set its own Cache-Control on the endpoints it
 * owns). Node and Koa send no Server or X-Powered-By header.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cache-Control", "no-store");
}

/** Options for createServer: Node's own "missing Host" answer would skip the headers above; requireHost() refuses instead. */
export const SERVER_OPTIONS = { requireHostHeader: false } as const;

export function requireHost(req: IncomingMessage): void {
  if (req.httpVersion === "1.1" && req.headers.host === undefined) throw HydraError.badRequest("HTTP/1.1 requests must carry a Host header");
}

/**
 * Requests Node's HTTP parser refuses (malformed request line or headers,
 * oversized headers) never reach a handler; answer them with the same
 * headers instead of Node's bare default.
 */
export function hardenParserErrors(server: Server): Server {
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nCache-Control: no-store\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  return server;
}
