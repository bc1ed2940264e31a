import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { FOSITE_NO_STORE, noCacheOf } from "../cache-control";
import { isInteractionStarted, trackInteractionStarts } from "./interaction-started";

/**
 * Authorization answers that are Hydra's own redirects, not fosite's answer
 * to the client: the login and consent UI (oidc-provider's interaction
 * redirect) and the error UI (renderError, Hydra's forwardError).
 */
const hydraRedirects = new WeakSet<object>();

/** Marks an answer as Hydra's own redirect (provider/logout.ts renderError; the interaction redirect is interaction-started.ts's). */
export function markHydraRedirect(ctx: object): void {
  hydraRedirects.add(ctx);
}

export function isHydraRedirect(ctx: object): boolean {
  return hydraRedirects.has(ctx) || isInteractionStarted(ctx);
}

/**
 * oidc-provider sets `Cache-Control: no-store` on most of its endpoints
 * (shared/no_cache.js); Hydra's answers carry what cache-control.ts
 * describes instead. The answer of the authorization endpoint (and of its
 * resume path) to the client — a redirect, a form_post page — is fosite's
 * WriteAuthorizeResponse / WriteAuthorizeError (`no-store`, `Pragma:
 * no-cache`); Hydra's redirects to its UIs (consent/strategy_default.go,
 * oauth2/handler.go forwardError: http.Redirect) and every other endpoint
 * here (userinfo, logout: herodot or http.Redirect) keep NoCacheNegroni's.
 * The token and revocation paths are provider/fosite-headers.ts's.
 */
export function installCacheHeaders(provider: Provider, fositePaths: ReadonlySet<string>): void {
  trackInteractionStarts(provider);
  provider.use(async (ctx, next) => {
    await next();
    if (fositePaths.has(ctx.path)) return;
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC["oidc"] | undefined;
    const route = oidc?.route;
    if ((route === "authorization" || route === "resume") && !isHydraRedirect(ctx)) {
      ctx.set(FOSITE_NO_STORE);
      return;
    }
    const noCache = noCacheOf(ctx.res);
    if (noCache) ctx.set("Cache-Control", noCache);
    else ctx.remove("Cache-Control");
  });
}
