import type Provider from "oidc-provider";

/**
 * Hydra sends the browser to its login and consent UI with
 * http.Redirect(…, http.StatusFound) (consent/strategy_default.go
 * forwardAuthenticationRequest, forwardConsentRequest); oidc-provider's
 * interaction redirect, which stands in for them, is a 303.
 */
export function installUiRedirectStatus(provider: Provider): void {
  const uiRedirects = new WeakSet<object>();
  provider.on("interaction.started", (ctx: object) => uiRedirects.add(ctx));
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 303 && uiRedirects.has(ctx)) ctx.status = 302;
  });
}
