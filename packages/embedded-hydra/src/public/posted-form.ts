import type { IncomingMessage } from "node:http";
import { BodyReadError, hasUrlencodedBody, multipartValues, readBody } from "../http";
import { HydraError } from "../errors";
import { isStorableQuery } from "@olympus/server-kit/text";
import { goMultipartForm, goQueryParams } from "@olympus/server-kit/go-url";

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
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyReadError)) throw error;
    // ParseForm's read error is dropped with ErrNotMultipart (the URL's values stay); ReadForm's is fosite's refusal.
    if (goMultipartForm(req.headers["content-type"] ?? "").kind !== "not-multipart") return { kind: "unparsable" };
    return { kind: "form", form: new URLSearchParams(query) };
  }
  const contentType = req.headers["content-type"] ?? "";
  const form = new URLSearchParams();
  if (hasUrlencodedBody(req)) {
    // ParseForm's url.ParseQuery of the body; its error is not fosite's (ParseMultipartForm answers ErrNotMultipart).
    const body = goQueryParams(text);
    if (!isStorableQuery(body)) throw unstorable();
    for (const [key, value] of body) form.append(key, value);
    for (const [key, value] of query) form.append(key, value);
    return { kind: "form", form };
  }
  for (const [key, value] of query) form.append(key, value);
  // multipartReader: only multipart/form-data with a boundary is read; one without a boundary is ErrMissingBoundary.
  const multipart = goMultipartForm(contentType);
  if (multipart.kind === "not-multipart") return { kind: "form", form };
  if (multipart.kind === "error") return { kind: "unparsable" };
  const parts = await multipartValues(text, contentType);
  if (parts === undefined) return { kind: "unparsable" };
  if (!isStorableQuery(parts)) throw unstorable();
  for (const [key, value] of parts) form.append(key, value);
  return { kind: "form", form };
}

function unstorable(): HydraError {
  return HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
}
