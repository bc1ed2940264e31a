import type Provider from "oidc-provider";
import { goRedirectInKoa } from "./go-redirect-koa";
import { isInteractionStarted, trackInteractionStarts } from "./interaction-started";

/**
 * Hydra sends the browser to its login and consent UI with
 * http.Redirect(…, http.StatusFound) (consent/strategy_default.go
 * forwardAuthenticationRequest, forwardConsentRequest); oidc-provider's
 * interaction redirect, which stands in for them, is Koa's 303 with Koa's
 * own text. Status, Content-Type and body become http.Redirect's.
 */
export function installUiRedirectStatus(provider: Provider): void {
  trackInteractionStarts(provider);
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 303 && isInteractionStarted(ctx)) goRedirectInKoa(ctx, ctx.response.get("Location"));
  });
}
