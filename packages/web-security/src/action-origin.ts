/** A request a proxy answers itself: the status and a body that names no internals. */
export interface Refusal {
  status: 400 | 403;
  body: { error: { id: "malformed_origin" | "cross_origin_request"; code: 400 | 403; message: string } };
}

/**
 * `value` when it is exactly how a browser writes an origin (`scheme://host[:port]`,
 * lower-case, no default port, no path); otherwise undefined. Browsers never
 * send anything else in `Origin`, so anything else came from a hand-made request.
 */
export function exactOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether Next.js would run this request through its server-action Origin
 * check (a POST naming an action, or any multipart form post to a page), and
 * the answer when that check would refuse it.
 *
 * Next compares the Origin's host with `X-Forwarded-Host` (else `Host`) and
 * lets a request without Origin through, as we do here; but it answers a
 * cross-site action with a 500, and an `Origin` that does not parse (`not a
 * url`, `http://[::1`) makes it throw `TypeError: Invalid URL` before any
 * error handling: a bare 500 under `next start`, a page with the stack trace
 * and this machine's paths under `next dev`. The proxies of both apps ask this
 * first, so such a request gets a 400 or 403 and never reaches that code.
 * (Olympus sets no `serverActions.allowedOrigins`; an app that does must not
 * use this as is.)
 */
export function refuseForeignServerAction(request: Request): Refusal | undefined {
  if (request.method !== "POST") return undefined;
  const isAction = request.headers.has("next-action") || (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
  const origin = request.headers.get("origin");
  if (!isAction || origin === null) return undefined;
  if (origin !== "null" && exactOrigin(origin) === undefined) {
    return refusal(400, "malformed_origin", "The request's Origin header is not a valid origin.");
  }
  const forwardedHost = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwardedHost || request.headers.get("host");
  // `null` (a sandboxed frame, a file) and every other site are refused alike.
  if (origin === "null" || host === null || new URL(origin).host !== host) {
    return refusal(403, "cross_origin_request", "Requests from another site are refused.");
  }
  return undefined;
}

function refusal(status: 400 | 403, id: Refusal["body"]["error"]["id"], message: string): Refusal {
  return { status, body: { error: { id, code: status, message } } };
}
