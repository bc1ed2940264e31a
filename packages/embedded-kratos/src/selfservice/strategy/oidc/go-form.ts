import { goParseQuery, type GoParsedQuery, type GoValues } from "@olympus/server-kit/go-url";
import { parseMediaType } from "../../../http/negotiate";

/**
 * Go's net/http form handling where the oidc strategy depends on it: the
 * redirect of a form_post answer (strategy.go redirectToGET runs
 * r.ParseForm, then url.Values.Encode). The net/url parts (ParseQuery,
 * Values.Encode, QueryEscape) are server-kit's go-url; keys and values are
 * its byte strings.
 */

// The names go-token-request.ts reads from here, kept for it.
export {
  goParseQuery as goParseQueryChecked,
  goQueryEscape,
  goValuesEncode as goEncodeValues,
  goValuesGet,
  type GoValues,
} from "@olympus/server-kit/go-url";

function add(values: GoValues, key: string, value: string): void {
  const list = values.get(key);
  if (list) list.push(value);
  else values.set(key, [value]);
}

/** The body limit of Request.parsePostForm for a body that is not already limited (10 MB). */
export const GO_MAX_FORM_BYTES = 10 << 20;

/**
 * Request.ParseForm of a POST: the body's fields (only for
 * `application/x-www-form-urlencoded`; a missing Content-Type counts as
 * `application/octet-stream`) first, then the query's appended after them.
 * `body` is undefined when it was larger than Go reads (`http: POST too
 * large`). Any error — a bad Content-Type, a body or query that does not
 * parse — is kept in `error` (redirectToGET only asks whether there was one).
 */
export function goParsePostForm(contentType: string | undefined, body: Buffer | undefined, rawQuery: string): GoParsedQuery {
  const form: GoValues = new Map();
  let error: string | undefined;
  const mediaType = parseMediaType(contentType || "application/octet-stream");
  // mime.ParseMediaType's texts vary by the fault; redirectToGET only asks whether there was one.
  if (mediaType === undefined) error = "mime: invalid media type";
  if (mediaType === "application/x-www-form-urlencoded") {
    if (body === undefined) return { values: form, error: "http: POST too large" };
    const parsed = goParseQuery(body.toString("latin1"));
    error ??= parsed.error;
    for (const [key, list] of parsed.values) for (const value of list) add(form, key, value);
  }
  const query = goParseQuery(rawQuery);
  error ??= query.error;
  for (const [key, list] of query.values) for (const value of list) add(form, key, value);
  return { values: form, error };
}
