import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Set on every response of both servers' ports before anything else runs:
 * no MIME sniffing, no framing, and nothing stored by caches — flows,
 * sessions, challenges and tokens must never be replayed from a shared
 * cache. Node's http server sends no Server or X-Powered-By header.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cache-Control", "no-store");
}

/**
 * createServer options: Node's own "missing Host" answer would skip the
 * security headers, so each server refuses such a request itself.
 */
export const SERVER_OPTIONS = { requireHostHeader: false } as const;

/**
 * A `clientError` listener: requests Node's HTTP parser refuses (malformed
 * request line or headers, oversized headers) never reach a handler;
 * answer them with the same security headers instead of Node's bare
 * default, and never let them throw.
 */
export function answerParserError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  socket.end(
    `HTTP/1.1 ${status}\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nCache-Control: no-store\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
}
