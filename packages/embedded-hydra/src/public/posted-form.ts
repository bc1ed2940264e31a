import type { IncomingMessage } from "node:http";
import { readBody } from "../http";
import { HydraError } from "../errors";
import { isStorableQuery } from "@olympus/server-kit/text";
import { goQueryParams } from "@olympus/server-kit/go-url";

export type PostedForm = { kind: "form"; form: URLSearchParams } | { kind: "unparsable" };

/**
 * The form of a POST authorization request as fosite reads it
 * (authorize_request_handler.go newAuthorizeRequest: `r.ParseMultipartForm`,
 * then `r.Form`). Go's ParseForm lists a urlencoded body's values first and
 * the URL's after them; ParseMultipartForm appends a multipart body's
 * values (not its files) after the URL's. Every value is kept: fosite reads
 * most parameters with `Form.Get` (the first) and `audience` as a list
 * (see providerQuery). Any other content type leaves the URL's parameters,
 * as Go parses no other body; a multipart body Go cannot parse is fosite's
 * "Unable to parse HTTP body" (`unparsable`).
 */
export async function postedAuthorizationForm(req: IncomingMessage, query: URLSearchParams): Promise<PostedForm> {
  const text = await readBody(req);
  const contentType = req.headers["content-type"] ?? "";
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  const form = new URLSearchParams();
  if (type === "application/x-www-form-urlencoded") {
    // ParseForm's url.ParseQuery of the body; its error is not fosite's (ParseMultipartForm answers ErrNotMultipart).
    const body = goQueryParams(text);
    if (!isStorableQuery(body)) throw unstorable();
    for (const [key, value] of body) form.append(key, value);
    for (const [key, value] of query) form.append(key, value);
    return { kind: "form", form };
  }
  for (const [key, value] of query) form.append(key, value);
  if (type !== "multipart/form-data") return { kind: "form", form };
  const parts = await multipartValues(text, contentType);
  if (parts === undefined) return { kind: "unparsable" };
  if (!isStorableQuery(parts)) throw unstorable();
  for (const [key, value] of parts) form.append(key, value);
  return { kind: "form", form };
}

/** The non-file fields of a multipart body, in order (Go keeps files apart in MultipartForm.File); undefined when malformed. */
async function multipartValues(text: string, contentType: string): Promise<URLSearchParams | undefined> {
  let data: FormData;
  try {
    data = await new Response(text, { headers: { "content-type": contentType } }).formData();
  } catch {
    return undefined;
  }
  const values = new URLSearchParams();
  // forEach, not for…of: packages that compile this with the DOM lib but without DOM.Iterable (e2e) see no iterator.
  data.forEach((value, key) => {
    if (typeof value === "string") values.append(key, value);
  });
  return values;
}

function unstorable(): HydraError {
  return HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
}
