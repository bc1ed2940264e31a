import {
  goBytes,
  goEscape,
  goEscapedPath,
  goParseRequestUriBytes,
  goPathUnescape,
  type GoUrl,
  type GoUrlParsed,
} from "@olympus/server-kit/go-url";
import { goCleanPath } from "@olympus/server-kit/http";
import { trimTrailingSlash, withAdminPrefix } from "./go-mux";

/**
 * The path Hydra's ServeMux routes a request on. Go keeps two spellings of
 * a request path: r.URL.Path (decoded) and r.URL.RawPath (as sent, set
 * where it differs from the default escaping). The negroni middlewares
 * edit only Path, so once they change it the RawPath no longer matches and
 * r.URL.EscapedPath() escapes the new Path afresh: a `%2F` the client sent
 * is then a plain `/`. ServeMux (findHandler) cleans that escaped path,
 * redirects when cleaning changed it, and matches each segment decoded
 * (routing_tree.go firstSegment), so a literal spelled with escapes matches
 * its route and a `{id}` gets the decoded segment, `/` included.
 */
export interface MuxPath {
  /** r.URL.EscapedPath() after the middlewares: what Hydra's handlers see as the request path (a Link header's). */
  escaped: string;
  /** net/http cleanPath of `escaped`: the mux redirects to it when the two differ. */
  clean: string;
  /**
   * `escaped` with each segment decoded as firstSegment decodes it and
   * escaped again as one segment (url.PathEscape): the spelling the route
   * table compares literals on, a `%2F` still inside its segment and every
   * parameter percent-decoding to what r.PathValue returns. The mux matches
   * it only when it is clean (`clean === escaped`); until then it names no
   * route a dot segment would reach.
   */
  routing: string;
}

/**
 * The request's path through Hydra's middlewares and ServeMux
 * (cmd/server/handler.go adminServer and publicServer; oryx
 * httprouterx/router.go TrimTrailingSlashNegroni and, on the admin port,
 * AddAdminPrefixIfNotPresentNegroni). `requestPath` is the request
 * target's path as sent; Go refuses a target url.ParseRequestURI cannot
 * read before any handler, so such a path is routed as it is. `target` is
 * r.URL as readRequest parsed the whole target (server-kit
 * requestTargetOf, the parse the net/http refusals made already): the
 * servers hand it on so a request's target is parsed once; without it the
 * path is parsed here (its path and RawPath are the same either way).
 */
export function muxPathOf(requestPath: string, { adminPrefix }: { adminPrefix: boolean }, target?: GoUrlParsed): MuxPath {
  const parsed = target ?? goParseRequestUriBytes(goBytes(requestPath));
  const escaped = parsed.ok ? escapedAfterMiddlewares(parsed.url, adminPrefix) : unparsedPath(requestPath, adminPrefix);
  const clean = goCleanPath(escaped);
  return { escaped, clean, routing: routingPathOf(escaped) };
}

function escapedAfterMiddlewares(url: GoUrl, adminPrefix: boolean): string {
  let path = trimTrailingSlash(url.path);
  // Tested on the decoded path: `/%61dmin/clients` already starts with /admin.
  if (adminPrefix) path = withAdminPrefix(path);
  return goEscapedPath({ ...url, path });
}

function unparsedPath(requestPath: string, adminPrefix: boolean): string {
  const trimmed = trimTrailingSlash(requestPath);
  return adminPrefix ? withAdminPrefix(trimmed) : trimmed;
}

/** Each segment as firstSegment's pathUnescape reads it (kept as sent when it is not a valid escape), then url.PathEscape. */
function routingPathOf(escaped: string): string {
  return escaped
    .split("/")
    .map((segment) => {
      const decoded = goPathUnescape(segment);
      return "error" in decoded ? segment : goEscape(decoded.value, "pathSegment");
    })
    .join("/");
}
