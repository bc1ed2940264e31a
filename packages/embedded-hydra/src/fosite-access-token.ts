import type { IncomingMessage } from "node:http";
import { goBytes, goMultipartForm, goParseQuery, utf8Text } from "@olympus/server-kit/go-url";
import { BodyReadError, hasUrlencodedBody, multipartValues, readBodyBytes } from "./http";

/** The credentials of an `Authorization: Bearer …` header (scheme in any case, split at the first space), if it is one. */
function bearerCredentials(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization ?? "";
  const space = authorization.indexOf(" ");
  return space !== -1 && authorization.slice(0, space).toLowerCase() === "bearer" ? authorization.slice(space + 1) : undefined;
}

/**
 * fosite AccessTokenFromRequest (fosite/introspect.go): the credentials of
 * an `Authorization: Bearer …` header (scheme in any case, split at the
 * first space), else r.Form.Get("access_token") after ParseMultipartForm.
 * For any body but a multipart one that form is a urlencoded body's pairs
 * (`urlencodedBody`, when the caller read one) and then the URL's, each as
 * Go's url.ParseQuery reads them: a pair with a `;` or a bad escape is not
 * there, and its parse error does not matter (ParseMultipartForm answers
 * ErrNotMultipart, which fosite ignores).
 */
export function accessTokenFromRequest(req: IncomingMessage, rawQuery: string, urlencodedBody?: Buffer): string {
  const bearer = bearerCredentials(req);
  if (bearer !== undefined) return bearer;
  const token = goBytes("access_token");
  const body = urlencodedBody ? goParseQuery(urlencodedBody.toString("latin1")).values : undefined;
  const query = goParseQuery(goBytes(rawQuery.replace(/^\?/, ""))).values;
  // Form.Get: the first value, the body's ahead of the URL's.
  return utf8Text(body?.get(token)?.[0] ?? query.get(token)?.[0] ?? "");
}

/** The body, or undefined when its read failed part-way (a body later than ReadTimeout). */
async function readUnlessFailed(req: IncomingMessage): Promise<Buffer | undefined> {
  try {
    return await readBodyBytes(req);
  } catch (error) {
    if (error instanceof BodyReadError) return undefined;
    throw error;
  }
}

/**
 * AccessTokenFromRequest for a handler that reads the body afterwards
 * (Hydra createVerifiableCredential): without a Bearer header,
 * ParseMultipartForm reads a urlencoded body (as above) or a multipart one
 * — then r.Form holds the URL's values first and the body's non-file
 * values after them, and a body that does not parse, a missing boundary or
 * a query ParseForm refuses is an error, which makes the token "".
 * `bodyRead`: whether that left the body consumed for the handler's JSON
 * decoder.
 */
export async function readAccessTokenFromRequest(req: IncomingMessage, rawQuery: string): Promise<{ token: string; bodyRead: boolean }> {
  const bearer = bearerCredentials(req);
  if (bearer !== undefined) return { token: bearer, bodyRead: false };
  const contentType = req.headers["content-type"];
  const multipart = goMultipartForm(contentType);
  if (multipart.kind === "error") return { token: "", bodyRead: false };
  if (multipart.kind === "not-multipart") {
    if (!hasUrlencodedBody(req)) return { token: accessTokenFromRequest(req, rawQuery), bodyRead: false };
    const body = await readUnlessFailed(req);
    // ParseForm's read error is dropped with ErrNotMultipart: r.Form holds the URL's values.
    return { token: accessTokenFromRequest(req, rawQuery, body ?? Buffer.alloc(0)), bodyRead: true };
  }
  const body = await readUnlessFailed(req);
  // ReadForm fails with the read's error, which makes the token "".
  if (body === undefined) return { token: "", bodyRead: true };
  const parts = await multipartValues(body, contentType ?? "");
  const query = goParseQuery(goBytes(rawQuery.replace(/^\?/, "")));
  if (parts === undefined || query.error !== undefined) return { token: "", bodyRead: true };
  // Form.Get: the URL's first value when it has the key at all, else the body's.
  const fromQuery = query.values.get(goBytes("access_token"))?.[0];
  return { token: fromQuery === undefined ? (parts.get("access_token") ?? "") : utf8Text(fromQuery), bodyRead: true };
}
