import type { IncomingMessage } from "node:http";
import { readBody } from "../http";
import { HydraError } from "../errors";
import { isStorableQuery } from "@olympus/server-kit/text";

/**
 * The form of a POST authorization request as fosite reads it
 * (authorize_request_handler.go newAuthorizeRequest: ParseMultipartForm,
 * then `r.Form`): a urlencoded body's parameters first, then the URL's, so
 * `Form.Get` finds the body's value. A parameter in both is the body's
 * alone here (oidc-provider would refuse it as given twice). Any other
 * content type leaves only the URL's parameters, as Go parses no other body.
 */
export async function postedAuthorizationForm(req: IncomingMessage, query: URLSearchParams): Promise<URLSearchParams> {
  const text = await readBody(req);
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  const body = type === "application/x-www-form-urlencoded" ? new URLSearchParams(text) : new URLSearchParams();
  if (!isStorableQuery(body))
    throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  const form = new URLSearchParams(body);
  for (const [key, value] of query) if (!body.has(key)) form.append(key, value);
  return form;
}
