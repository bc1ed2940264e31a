import { flowErrors } from "../flow-errors";
import type { StrategyContext } from "../../strategy/strategy";

/**
 * Asking for a recovery message while signed in is refused, as in Kratos'
 * strategies (session.RespondWithJSONErrorOnAuthenticated /
 * RedirectOnAuthenticated): JSON clients get 400 session_already_available,
 * browsers a 302 to the default return URL. Returns true when it answered.
 */
export function refuseWhenSignedIn(ctx: StrategyContext): boolean {
  if (!ctx.session) return false;
  if (ctx.http.isJsonRequest) {
    ctx.http.error(flowErrors.alreadyLoggedIn("recovery"));
    return true;
  }
  ctx.http.redirect(ctx.deps.config.selfservice.default_browser_return_url, 302);
  return true;
}
