import { goBytes, goEscape } from "../go-url";
import { goPathClean } from "./go-redirect";

/** An empty, `.` or `..` segment: what path.Clean would change in a rooted path (a trailing slash aside). */
const UNCLEAN_SEGMENT = /\/\/|\/\.\.?(?:\/|$)/;

/**
 * net/http cleanPath (server.go): the canonical path a Go 1.22+ ServeMux
 * routes on — rooted, path.Clean'ed, a trailing slash kept. ServeMux
 * (findHandler) redirects with 301 when it differs from the request's
 * escaped path.
 */
export function goCleanPath(path: string): string {
  if (path === "") return "/";
  const rooted = path.startsWith("/") ? path : `/${path}`;
  // Nearly every request path is clean already: answer that without splitting it.
  if (!UNCLEAN_SEGMENT.test(rooted)) return rooted;
  let clean = goPathClean(rooted);
  if (rooted.endsWith("/") && clean !== "/") clean = `${clean}/`;
  return clean;
}

/**
 * The Location of ServeMux's redirect to the cleaned path (server.go
 * findHandler): url.URL{Path: cleaned, RawQuery}.String(), which escapes
 * the already escaped path once more (`%` becomes `%25`) and drops an
 * empty query's `?`.
 */
export function goCleanPathLocation(cleaned: string, rawQuery: string): string {
  return `${goEscape(goBytes(cleaned), "path")}${rawQuery ? `?${rawQuery}` : ""}`;
}
