import type { IncomingMessage } from "node:http";
import { goCleanPath, goPathClean, requestTargetOf } from "@olympus/server-kit/http";
import { goEscapedPath, goPathEscape, goPathUnescape } from "@olympus/server-kit/go-url";

export const ADMIN_PREFIX = "/admin";

/**
 * A request's path as Kratos' HTTP stack sees it (cmd/daemon/serve.go
 * serveAdmin and servePublic over oryx httprouterx/router.go, a Go 1.22+
 * net/http ServeMux). Go keeps r.URL.Path (decoded) and r.URL.RawPath (as
 * sent); on the admin port AddAdminPrefixIfNotPresentNegroni tests and
 * joins the decoded Path only, so once it adds `/admin` the RawPath no
 * longer fits and EscapedPath escapes the new Path afresh (a `%2F` sent
 * is then a plain `/`). ServeMux (findHandler) cleans that escaped path,
 * redirects (301) when cleaning changed it, and matches each segment
 * decoded (routing_tree.go firstSegment).
 */
export interface KratosMuxPath {
  /** r.URL.Path after the middlewares (decoded; a byte string): what nosurf's path lists are matched on. */
  decoded: string;
  /** r.URL.EscapedPath() after the middlewares. */
  escaped: string;
  /** net/http cleanPath of `escaped`: ServeMux redirects to it when the two differ. */
  clean: string;
  /**
   * `escaped` with each segment decoded as firstSegment does and escaped
   * again as one segment (url.PathEscape): the spelling the route table
   * matches, a `%2F` still inside its segment.
   */
  routing: string;
  /** r.URL.RawQuery. */
  rawQuery: string;
}

/** httprouterx AddAdminPrefixIfNotPresentNegroni: path.Join("/admin", Path) unless the decoded Path starts with `/admin` (`/administrators` too). */
export function withAdminPrefix(path: string): string {
  return path.startsWith(ADMIN_PREFIX) ? path : goPathClean(`${ADMIN_PREFIX}/${path}`);
}

export function kratosMuxPath(req: IncomingMessage, { adminPrefix }: { adminPrefix: boolean }): KratosMuxPath {
  const target = requestTargetOf(req);
  // Go answers a target it cannot parse with its plain 400 before any handler (refusedAsNetHttp).
  if (!target.ok) {
    const raw = req.url ?? "/";
    const at = raw.indexOf("?");
    const path = at === -1 ? raw : raw.slice(0, at);
    return { decoded: path, escaped: path, clean: path, routing: path, rawQuery: at === -1 ? "" : raw.slice(at + 1) };
  }
  const url = target.url;
  const decoded = adminPrefix ? withAdminPrefix(url.path) : url.path;
  const escaped = goEscapedPath({ ...url, path: decoded });
  return { decoded, escaped, clean: goCleanPath(escaped), routing: routingPathOf(escaped), rawQuery: url.rawQuery };
}

function routingPathOf(escaped: string): string {
  return escaped
    .split("/")
    .map((segment) => {
      const decoded = goPathUnescape(segment);
      return "error" in decoded ? segment : goPathEscape(decoded.value);
    })
    .join("/");
}
