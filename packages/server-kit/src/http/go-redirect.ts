import type { ServerResponse } from "node:http";
import { goBytes, goParseUrlBytes, utf8Text } from "../go-url";

/** The status texts http.Redirect's note names (net/http status.go). */
const REDIRECT_TEXT = {
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
} as const;

export type GoRedirectStatus = keyof typeof REDIRECT_TEXT;

/** What http.Redirect answers: the Location, text/html or no Content-Type, and the note (empty but on a GET). */
export interface GoRedirectAnswer {
  readonly location: string;
  readonly contentType: "text/html; charset=utf-8" | undefined;
  readonly body: string;
}

/** Go's path.Clean on a byte string: `.` and `..` resolved, repeated and trailing slashes dropped. */
export function goPathClean(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(segment);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** http.hexEscapeNonASCII: every byte from 0x80 as `%` and its lower-case hex (strconv.AppendInt base 16). */
function hexEscapeNonAscii(bytes: string): string {
  return bytes.replace(/[\u0080-\u00ff]/g, (byte) => `%${byte.charCodeAt(0).toString(16)}`);
}

/** http.htmlEscape (htmlReplacer): the five characters, quotes as numeric references. */
function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[char] ?? char);
}

/**
 * A URL without scheme and host is made absolute against the request's
 * path: a relative one joins the request path's directory, then the path
 * is path.Clean'ed with its trailing slash kept, the query left as is.
 */
function resolveAgainst(requestPath: string, target: string): string {
  const parsed = goParseUrlBytes(target);
  if (!parsed.ok || parsed.url.scheme !== "" || parsed.url.host !== "") return target;
  const oldPath = requestPath === "" ? "/" : requestPath;
  let url = target.startsWith("/") ? target : `${oldPath.slice(0, oldPath.lastIndexOf("/") + 1)}${target}`;
  const at = url.indexOf("?");
  const query = at === -1 ? "" : url.slice(at);
  if (at !== -1) url = url.slice(0, at);
  const trailing = url.endsWith("/");
  url = goPathClean(url);
  if (trailing && !url.endsWith("/")) url += "/";
  return url + query;
}

/**
 * net/http's Redirect (server.go): `url` (as the handler gave it) made
 * absolute against `requestPath` (r.URL.Path, decoded) when it has no
 * scheme and host; Location with the bytes beyond ASCII hex-escaped; unless
 * the handler had set a Content-Type, `text/html; charset=utf-8` for GET and
 * HEAD and, for GET only, the note `<a href="…">Found</a>.` and two
 * newlines (Fprintln of a text ending in one), the URL HTML-escaped.
 */
export function goRedirectAnswer(
  method: string,
  requestPath: string,
  url: string,
  code: GoRedirectStatus,
  hadContentType = false,
): GoRedirectAnswer {
  const target = resolveAgainst(goBytes(requestPath), goBytes(url));
  const htmlNote = !hadContentType && (method === "GET" || method === "HEAD");
  return {
    location: hexEscapeNonAscii(target),
    contentType: htmlNote ? "text/html; charset=utf-8" : undefined,
    body: htmlNote && method === "GET" ? `<a href="${htmlEscape(utf8Text(target))}">${REDIRECT_TEXT[code]}</a>.\n\n` : "",
  };
}

/** The request's path as Go's r.URL.Path has it: the target before `?`, percent-decoded (as sent when it does not decode). */
function requestPathOf(requestUrl: string): string {
  const at = requestUrl.indexOf("?");
  const raw = at === -1 ? requestUrl : requestUrl.slice(0, at);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Writes http.Redirect's answer on a Node response: `headers` are the
 * handler's own (cookies, Cache-Control) set before the call. Go's server
 * adds the length of what was written (none for HEAD).
 */
export function goRedirect(
  req: { method?: string; url?: string },
  res: ServerResponse,
  url: string,
  code: GoRedirectStatus,
  headers: Record<string, string | string[]> = {},
): void {
  const method = req.method ?? "GET";
  const hadContentType = res.hasHeader("content-type") || Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  const answer = goRedirectAnswer(method, requestPathOf(req.url ?? "/"), url, code, hadContentType);
  res.setHeader("Location", answer.location);
  if (answer.contentType) res.setHeader("Content-Type", answer.contentType);
  if (method !== "HEAD") res.setHeader("Content-Length", Buffer.byteLength(answer.body));
  res.writeHead(code, headers).end(answer.body);
}
