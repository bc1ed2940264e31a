import type { ServerResponse } from "node:http";
import { goCleanPathLocation, goPathClean, goRedirect } from "@olympus/server-kit/http";

/**
 * What Hydra's HTTP stack does to a request before and around its routes:
 * oryx/httprouterx (router.go) registers every route on a Go 1.22+
 * net/http ServeMux (`METHOD /path` patterns, so a GET route serves HEAD
 * too), behind negroni middlewares (cmd/server/handler.go adminServer,
 * publicServer). The answers here are net/http's own.
 */

export const ADMIN_PREFIX = "/admin";

/** The request path as sent (still percent-encoded, dot segments kept): Go's EscapedPath of the parsed request URI. */
export function rawPathOf(requestUrl: string): { path: string; query: string } {
  const at = requestUrl.indexOf("?");
  return at === -1 ? { path: requestUrl, query: "" } : { path: requestUrl.slice(0, at), query: requestUrl.slice(at + 1) };
}

/** httprouterx TrimTrailingSlashNegroni: one trailing slash goes (so `/` becomes the empty path). */
export function trimTrailingSlash(path: string): string {
  return path.endsWith("/") ? path.slice(0, -1) : path;
}

/** httprouterx AddAdminPrefixIfNotPresentNegroni: path.Join("/admin", path) unless the path starts with /admin. */
export function withAdminPrefix(path: string): string {
  return path.startsWith(ADMIN_PREFIX) ? path : goPathClean(`${ADMIN_PREFIX}/${path}`);
}

/**
 * ServeMux's redirect to the cleaned path (server.go findHandler: `path !=
 * escapedPath`; the path cleaned by server-kit goCleanPath): answered by
 * http.Redirect with 301: a `Location` (server-kit goCleanPathLocation),
 * and for GET a small HTML body (HEAD gets the Content-Type only).
 */
export function redirectToCleanPath(res: ServerResponse, method: string, cleaned: string, rawQuery: string): void {
  goRedirect({ method }, res, goCleanPathLocation(cleaned, rawQuery), 301);
}

/** http.Error (server.go): text/plain, nosniff, the message and a newline. */
function goError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = `${message}\n`;
  res.removeHeader("Content-Length");
  res
    .writeHead(status, {
      ...headers,
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Content-Length": Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * ServeMux's answer for a path some pattern takes with other methods only:
 * 405 with `Allow` listing them sorted, HEAD added where GET is
 * (routing_tree.go matchingMethods).
 */
export function methodNotAllowed(res: ServerResponse, methods: readonly string[]): void {
  const allowed = new Set(methods);
  if (allowed.has("GET")) allowed.add("HEAD");
  goError(res, 405, "Method Not Allowed", { Allow: [...allowed].sort().join(", ") });
}

/** ServeMux's answer when no pattern takes the path (http.NotFound). */
export function notFoundText(res: ServerResponse): void {
  goError(res, 404, "404 page not found");
}
