import type Provider from "oidc-provider";
import { isInteractionStarted, trackInteractionStarts } from "./interaction-started";

/**
 * Hydra sends the browser to its login and consent UI with
 * http.Redirect(…, http.StatusFound) (consent/strategy_default.go
 * forwardAuthenticationRequest, forwardConsentRequest); oidc-provider's
 * interaction redirect, which stands in for them, is a 303.
 */
export function installUiRedirectStatus(provider: Provider): void {
  trackInteractionStarts(provider);
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 303 && isInteractionStarted(ctx)) ctx.status = 302;
  });
}
