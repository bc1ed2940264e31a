import { discardUnreadBody } from "@olympus/server-kit/http";
import { GO_MAX_FORM_BYTES, goParseForm, goParseQuery, goReadsFormBody, goValuesEncode } from "@olympus/server-kit/go-url";
import type { HttpContext } from "../../../http/context";

/**
 * strategy.go redirectToGET: a provider that posts its answer
 * (response_mode=form_post, Apple) is sent to the same path under the
 * public URL (filepath.Join of its path and the request's) with a 302. When
 * r.ParseForm succeeds, the query becomes the request's query with every
 * form key set to its last value — the form holds the body's values first
 * and the query's after them, so a query value wins over the body's and a
 * repeated key keeps its last value — re-encoded by url.Values.Encode
 * (sorted). When ParseForm fails (a `;` in the query or the body, a bad
 * `%` escape, a Content-Type mime refuses, a body over Go's 10 MB), the
 * request's query is kept as it came and the body is dropped. A body that
 * is not `application/x-www-form-urlencoded` is not read: only the query
 * counts.
 */
export async function redirectToGet(publicBaseUrl: string, ctx: HttpContext): Promise<void> {
  const dest = new URL(ctx.path.replace(/^\//, ""), publicBaseUrl);
  const rawQuery = goRawQuery(ctx);
  const contentType = ctx.header("content-type");
  // On a path nosurf guards it has run ParseForm already: this one keeps its forms and returns nil.
  const form = ctx.parsedForm
    ? { ...ctx.parsedForm, error: undefined }
    : goParseForm(ctx.req.method, contentType, await formBody(ctx, contentType), rawQuery);
  let query = rawQuery;
  if (form.error === undefined) {
    const values = goParseQuery(rawQuery).values;
    for (const [key, list] of form.form) values.set(key, list.slice(-1));
    query = goValuesEncode(values);
  }
  // http.Redirect writes the URL with its bytes beyond ASCII escaped (hexEscapeNonASCII).
  const location = `${dest.origin}${dest.pathname}${query === "" && !forceQuery(ctx) ? "" : `?${query}`}`;
  ctx.redirect(
    location.replace(/[\u0080-\u00ff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    302,
  );
}

/** r.URL.RawQuery: everything after the request target's first `?` (a `#` included, as ParseRequestURI keeps it), one char per byte. */
export function goRawQuery(ctx: HttpContext): string {
  const target = ctx.req.url ?? "";
  const at = target.indexOf("?");
  return at === -1 ? "" : target.slice(at + 1);
}

/** URL.ForceQuery: a target ending in its only `?` keeps an empty query in the URL Go writes. */
function forceQuery(ctx: HttpContext): boolean {
  const target = ctx.req.url ?? "";
  return target.endsWith("?") && target.indexOf("?") === target.length - 1;
}

/**
 * parsePostForm's read: only a form body is read, up to 10 MB and one byte
 * more (undefined beyond, `http: POST too large`, or when the read fails —
 * either way ParseForm fails).
 */
async function formBody(ctx: HttpContext, contentType: string | undefined): Promise<Buffer | undefined> {
  if (!goReadsFormBody(ctx.req.method, contentType)) {
    // Left unread, as Go's server treats a body after the handler (at most 256 KiB discarded).
    await discardUnreadBody(ctx.req);
    return Buffer.alloc(0);
  }
  // A body some earlier reader took to its end reads as Go's spent body: empty (its events will not come again).
  if (ctx.req.readableEnded) return Buffer.alloc(0);
  // Read by events: leaving a for-await loop early would destroy the request, and with it the socket the redirect needs.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    ctx.req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained, not kept.
      if (size <= GO_MAX_FORM_BYTES) chunks.push(chunk);
    });
    ctx.req.on("end", () => resolve(size > GO_MAX_FORM_BYTES ? undefined : Buffer.concat(chunks)));
    ctx.req.on("error", () => resolve(undefined));
    ctx.req.on("aborted", () => resolve(undefined));
  });
}
