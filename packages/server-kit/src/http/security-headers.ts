import type { ServerResponse } from "node:http";

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
