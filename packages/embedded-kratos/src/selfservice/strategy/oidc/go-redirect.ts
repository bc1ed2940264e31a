import { goQuote } from "@olympus/server-kit/go-strconv";
/**
 * Redirects of the provider calls as Go's http.Client follows them (net/http
 * client.go Client.do, redirectBehavior, makeHeadersCopier,
 * shouldCopyHeaderOnRedirect, refererForURL, defaultCheckRedirect). Kratos
 * hands go-oidc and x/oauth2 the http.Client of its resilient client
 * (provider_generic_oidc.go withHTTPClientContext: `reg.HTTPClient(ctx).
 * HTTPClient`), which keeps Go's default redirect policy:
 *
 * - 301, 302 and 303 are followed, a method other than GET or HEAD becoming
 *   GET without its body (and without the headers that describe a body);
 *   307 and 308 are followed with the method and body as they were — once a
 *   hop dropped the body, later hops send none;
 * - an answer without `Location` is the answer;
 * - the first request's headers go on every hop, but Authorization, cookies
 *   and their kin stop once a hop leaves the first request's host (and its
 *   subdomains); each hop carries the previous URL as Referer unless it
 *   goes from https to http;
 * - the tenth redirect is refused: `<Method> "<Location>": stopped after 10
 *   redirects`, a url.Error whose URL is the Location as the server wrote it.
 *
 * The same request deadline (Client.Timeout) covers every hop: the caller's
 * `signal` is passed on as it is.
 */

/** A url.Error of the redirect policy, its text as Go prints it. */
export class GoRedirectError extends Error {
  override name = "GoRedirectError";
}

/** One hop: the request sent as given (no redirect of its own), its answer unread. */
export type SendHop = (url: string, init: RequestInit) => Promise<Response>;

/** Where each hop went, for naming the request a failure belongs to (Go's url.Error names the hop's URL). */
export type OnHop = (url: string) => void;

const MAX_REDIRECTS = 10;
const SENSITIVE = new Set(["authorization", "www-authenticate", "cookie", "cookie2", "proxy-authorization", "proxy-authenticate"]);
const BODY_HEADERS = new Set(["content-encoding", "content-language", "content-location", "content-type"]);

/** urlErrorOp: "POST" → "Post". */
const urlErrorOp = (method: string) => method.charAt(0) + method.slice(1).toLowerCase();

/** redirectBehavior: the next hop's method and whether it keeps the body, or undefined when the answer is no redirect. */
function redirectBehavior(status: number, method: string): { method: string; includeBody: boolean } | undefined {
  if (status === 301 || status === 302 || status === 303) {
    return { method: method === "GET" || method === "HEAD" ? method : "GET", includeBody: false };
  }
  if (status === 307 || status === 308) return { method, includeBody: true };
  return undefined;
}

/** isDomainOrSubdomain of shouldCopyHeaderOnRedirect. */
function isDomainOrSubdomain(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  if (/[:%]/.test(sub)) return false;
  return sub.endsWith(`.${parent}`);
}

/** refererForURL: the previous URL without its user info, none from https to http. */
function refererFor(last: URL, next: URL): string | undefined {
  if (last.protocol === "https:" && next.protocol === "http:") return undefined;
  const referer = new URL(last.href);
  referer.username = "";
  referer.password = "";
  return referer.href;
}

/** The answer's body is not wanted: Go reads a little of it and closes it. */
const discard = (response: Response) => response.body?.cancel().catch(() => undefined);

/** Client.Do's request with its redirects; the last answer, or a GoRedirectError. */
export async function goFollowRedirects(url: string, init: RequestInit, send: SendHop, onHop: OnHop = () => undefined): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const op = urlErrorOp(method);
  const first = new URL(url);
  const initial = new Headers(init.headers);
  let current = first;
  let requested = url;
  let hop: RequestInit = { ...init, method, redirect: "manual" };
  let includeBody = true;
  let stripSensitive = false;
  for (let sent = 1; ; sent++) {
    onHop(requested);
    const response = await send(requested, hop);
    const behaviour = redirectBehavior(response.status, hop.method ?? method);
    const location = response.headers.get("location") ?? "";
    if (!behaviour || location === "") return response;
    let next: URL;
    try {
      next = new URL(location, current);
    } catch (error) {
      await discard(response);
      const why = error instanceof Error ? error.message : String(error);
      throw new GoRedirectError(`${op} ${goQuote(requested)}: failed to parse Location header ${goQuote(location)}: ${why}`);
    }
    await discard(response);
    if (sent >= MAX_REDIRECTS) throw new GoRedirectError(`${op} ${goQuote(location)}: stopped after ${MAX_REDIRECTS} redirects`);
    if (!behaviour.includeBody) includeBody = false;
    if (!stripSensitive && next.host !== first.host && !isDomainOrSubdomain(next.hostname, first.hostname)) stripSensitive = true;
    const headers = new Headers();
    initial.forEach((value, name) => {
      if (!(stripSensitive && SENSITIVE.has(name)) && !(!includeBody && BODY_HEADERS.has(name))) headers.set(name, value);
    });
    // A Referer of the first request's own was copied above and stays.
    const referer = refererFor(current, next);
    if (referer !== undefined && !initial.has("referer")) headers.set("referer", referer);
    hop = { ...init, method: behaviour.method, headers, body: includeBody ? init.body : null, redirect: "manual" };
    current = next;
    requested = next.href;
  }
}
