import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Hydra's Cache-Control, which no shared header layer invents here
 * (`setSecurityHeaders` is told to leave it alone):
 * - oryx httprouterx/router.go NoCacheNegroni, which cmd/server/handler.go
 *   runs ahead of every handler of both ports, gives a GET (not a HEAD, not
 *   a CORS preflight) `private, no-cache, no-store, must-revalidate`; any
 *   other method starts with none. No handler of Hydra's own sets one, the
 *   discovery document and key set included.
 * - fosite's writers replace it with `no-store` and `Pragma: no-cache`
 *   (FOSITE_NO_STORE) on what they write: token answers and errors,
 *   revocation, introspection refusals and inactive tokens, the device
 *   authorization answer, and the authorization answer or error sent to the
 *   client's redirect URI.
 * Hydra's own redirects (login, consent and error UI) keep NoCacheNegroni's.
 */
export const NO_CACHE_GET = "private, no-cache, no-store, must-revalidate";

/** The headers fosite's writers set (access_write.go, access_error.go, authorize_write.go, authorize_error.go, device_write.go, …). */
export const FOSITE_NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

/** Answers to a request that arrived as a GET (the public port later serves a HEAD, or a POSTed authorization, as a GET). */
const arrivedAsGet = new WeakSet<ServerResponse>();

/** NoCacheNegroni: called once per request, with the method as it arrived. */
export function applyNoCache(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "GET") return;
  arrivedAsGet.add(res);
  res.setHeader("Cache-Control", NO_CACHE_GET);
}

/** NoCacheNegroni's value for this answer: what a handler that sets none leaves in place (undefined: no Cache-Control). */
export function noCacheOf(res: ServerResponse): string | undefined {
  return arrivedAsGet.has(res) ? NO_CACHE_GET : undefined;
}
