import { posix } from "node:path";
import type { UpstreamTarget } from "./upstream";

/**
 * What of Kratos' admin API a browser could reach through Hera's proxy, and
 * how the edge keeps it out. Kratos' public port answers some routes with a
 * 307 to its admin base URL (x/redir RedirectToAdminRoute, registered in
 * identity/handler.go, courier/handler.go, session/handler.go and the code
 * and link strategies' RegisterPublicRoutes): relayed, that names the
 * internal admin address and sends the browser, with its body, there.
 */

/**
 * Public paths that Kratos sends to its admin API: anything under `/admin`,
 * the identity routes (`/identities…`, also `DELETE /identities/{id}/sessions`)
 * and the admin recovery routes. Matched whatever the method: no public
 * route of Kratos lives under these paths.
 */
const ADMIN_REDIRECTING_PATHS = [/^\/admin(?:\/|$)/, /^\/identities(?:\/|$)/, /^\/recovery\/(?:code|link)$/];

/**
 * Go's unescape (net/url, path mode) into one character per byte, or
 * undefined where Go refuses the request target (a `%` not followed by two
 * hex digits: Go's server answers 400 before any route runs). Bytes, not
 * UTF-8: Go routes `/%61dmin/%FF` as `/admin/\xff`.
 */
function goUnescapedPath(path: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(path)) return undefined;
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Whether Kratos' router would take this public path (as the browser sent
 * it, under the proxy prefix) to an admin route: Kratos routes on the
 * percent-decoded path, and its mux sends an unclean path (`//`, `.`, `..`)
 * to its clean form, so both are undone before matching (path.Clean; a
 * trailing slash is dropped too, as a redirect to the bare path would).
 */
export function reachesKratosAdminRoute(path: string): boolean {
  const cleaned = kratosRoutingPath(path);
  return cleaned !== undefined && ADMIN_REDIRECTING_PATHS.some((pattern) => pattern.test(cleaned));
}

/**
 * The path Kratos' router matches for this public path: percent-decoded and
 * cleaned (path.Clean, a trailing slash dropped); undefined where Go refuses
 * the request target. Every routing decision of the edge is taken on it, or
 * `/self-service/%6Cogin` would reach Kratos' login unpriced.
 */
export function kratosRoutingPath(path: string): string | undefined {
  const decoded = goUnescapedPath(path);
  if (decoded === undefined) return undefined;
  return posix.normalize(`/${decoded}`).replace(/(.)\/+$/, "$1");
}

/**
 * Whether a Location from Kratos points at its admin API: under the admin
 * URL Hera knows (everything there is the admin API), or anywhere at a
 * decoded path under `/admin` (RedirectToAdminRoute always writes one, even
 * where Kratos' `serve.admin.base_url` names another host). Other redirects
 * (Hera's pages, a social sign-in provider, an allowed return URL) pass.
 */
export function isAdminLocation(location: string, target: UpstreamTarget): boolean {
  let url: URL;
  try {
    url = new URL(location, `${target.kratosUrl}/`);
  } catch {
    return false;
  }
  const path = posix.normalize(`/${goUnescapedPath(url.pathname) ?? url.pathname}`);
  if (target.adminUrl !== undefined) {
    const admin = new URL(target.adminUrl);
    // Under the admin URL's own path only: a gateway may serve Kratos' public and admin APIs on one origin.
    const base = admin.pathname.replace(/\/+$/, "");
    if (url.origin === admin.origin && (path === base || path.startsWith(`${base}/`))) return true;
  }
  return /^\/admin(?:\/|$)/.test(path);
}
