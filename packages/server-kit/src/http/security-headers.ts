import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * How a server's answers start. `cacheControl` is the Cache-Control every
 * answer carries from the start (default `no-store`: flows, sessions,
 * challenges and tokens must never be replayed from a shared cache); `null`
 * leaves it to the server's own handlers, for a server that must send the
 * cache headers the software it stands in for sends (the embedded Hydra).
 */
export interface SecurityHeaderOptions {
  readonly cacheControl?: string | null;
}

const DEFAULT_CACHE_CONTROL = "no-store";

function cacheControlOf(options: SecurityHeaderOptions): string | null {
  return options.cacheControl === undefined ? DEFAULT_CACHE_CONTROL : options.cacheControl;
}

/**
 * Set on every response of both servers' ports before anything else runs:
 * no MIME sniffing, no framing, and (unless the options leave it to the
 * handlers) nothing stored by caches. Node's http server sends no Server or
 * X-Powered-By header.
 */
export function setSecurityHeaders(res: ServerResponse, options: SecurityHeaderOptions = {}): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  const cacheControl = cacheControlOf(options);
  if (cacheControl !== null) res.setHeader("Cache-Control", cacheControl);
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
export function parserErrorAnswer(options: SecurityHeaderOptions = {}): (error: Error & { code?: string }, socket: Duplex) => void {
  const cacheControl = cacheControlOf(options);
  const cacheLine = cacheControl === null ? "" : `Cache-Control: ${cacheControl}\r\n`;
  return (error, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(
      `HTTP/1.1 ${status}\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n${cacheLine}Content-Length: 0\r\nConnection: close\r\n\r\n`,
    );
  };
}

/** parserErrorAnswer with the default headers (`Cache-Control: no-store`). */
export const answerParserError = parserErrorAnswer();
