import { negotiateContentType } from "./negotiate";

/** The offers of Kratos' x.IsJSONRequest / x.IsBrowserRequest (x/isjsonrequest.go). */
export const IS_JSON_REQUEST_OFFERS = ["text/html", "text/*", "*/*", "application/json"] as const;
/** The offers of Kratos' x.AcceptsJSON and sendFlowAsRedirectOrJSON (x/http.go). */
export const ACCEPTS_JSON_OFFERS = ["text/html", "application/json"] as const;

/**
 * Kratos' x.IsJSONRequest (x/isjsonrequest.go): the Accept lines negotiate
 * `application/json` among its four offers (text/html by default, and the
 * earlier offer wins a tie), or the first Content-Type is exactly
 * `application/json` — with a parameter (`; charset=utf-8`) or other casing
 * it is not, though Kratos still decodes such a body as JSON.
 */
export function isJsonRequest(acceptLines: readonly string[], contentType: string | null | undefined): boolean {
  return (
    negotiateContentType(acceptLines, IS_JSON_REQUEST_OFFERS, "text/html") === "application/json" || contentType === "application/json"
  );
}

/** Kratos' x.AcceptsJSON (x/http.go): negotiation between text/html (the default) and application/json. */
export function acceptsJson(acceptLines: readonly string[]): boolean {
  return negotiateContentType(acceptLines, ACCEPTS_JSON_OFFERS, "text/html") === "application/json";
}
