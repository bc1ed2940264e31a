import type { IncomingMessage } from "node:http";
import { goBytes, goParseQuery, utf8Text } from "@olympus/server-kit/go-url";

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
  const authorization = req.headers.authorization ?? "";
  const space = authorization.indexOf(" ");
  if (space !== -1 && authorization.slice(0, space).toLowerCase() === "bearer") return authorization.slice(space + 1);
  const token = goBytes("access_token");
  const body = urlencodedBody ? goParseQuery(urlencodedBody.toString("latin1")).values : undefined;
  const query = goParseQuery(goBytes(rawQuery.replace(/^\?/, ""))).values;
  // Form.Get: the first value, the body's ahead of the URL's.
  return utf8Text(body?.get(token)?.[0] ?? query.get(token)?.[0] ?? "");
}
