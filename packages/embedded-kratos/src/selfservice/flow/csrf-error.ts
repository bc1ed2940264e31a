import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import { errors, type KratosError } from "../../http/errors";

const NO_COOKIE = "The HTTP Cookie Header is empty or not set.";
const COOKIE_MISSING = "The HTTP Cookie Header was set but did not include the anti-CSRF cookie.";
const TOKEN_NOT_SENT =
  "The anti-CSRF cookie was found but the CSRF token was not included in the HTTP request body (csrf_token) nor in the HTTP Header (X-CSRF-Token).";
const TOKEN_MISMATCH =
  "The HTTP Cookie Header was set and a CSRF token was sent but they do not match. We recommend deleting all cookies for this domain and retrying the flow.";
const AJAX_HINT =
  "We detected an AJAX call, please ensure that CORS is enabled and configured correctly, and that your AJAX code sends cookies and has credentials enabled. For further debugging, check your Browser's Network Tab to see what cookies are included or excluded.";
const SERVER_HINT =
  "We detected a regular browser or server-side call. To debug browser calls check your Browser's Network Tab to see what cookies are included or excluded. If you are calling from a server ensure that the appropriate cookies are being forwarded and that the SDK method is called correctly.";

/**
 * The 403 security_csrf_violation Kratos answers, with the hint and
 * reject_reason its nosurfx.CSRFErrorReason picks from the request: no
 * cookies at all, no anti-CSRF cookie, no token sent (form posts and GETs),
 * or a token that does not match.
 */
export function csrfErrorReason(deps: Deps, ctx: HttpContext, submittedToken: string | undefined): KratosError {
  const mode = ctx.header("sec-fetch-mode") ?? "";
  const ajax = mode === "cors" || mode === "same-origin";
  const hint = ajax ? AJAX_HINT : SERVER_HINT;
  const err = errors.csrf();
  if (!ctx.header("cookie")) return err.withDetail("hint", hint).withDetail("reject_reason", NO_COOKIE);
  if (ctx.cookie(deps.csrf.cookieName) === undefined) return err.withDetail("hint", hint).withDetail("reject_reason", COOKIE_MISSING);
  // Kratos cannot read a JSON body at this point, so it only tells "not sent" for other content types.
  const json = (ctx.header("content-type") ?? "").startsWith("application/json");
  if (!json && !submittedToken && !ctx.header("x-csrf-token")) return err.withDetail("hint", TOKEN_NOT_SENT);
  return err.withDetail("hint", hint).withDetail("reject_reason", TOKEN_MISMATCH);
}
