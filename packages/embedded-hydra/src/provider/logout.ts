import type { ErrorOut, KoaContextWithOIDC } from "oidc-provider";
import { withQuery } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import { translateAuthorizationError } from "./authorization-errors";
import { markHydraRedirect } from "./cache-headers";
import { goRedirectInKoa } from "./go-redirect-koa";

/** The end of a logout (public/logout.ts) when no post-logout URL applies: `urls.post_logout_redirect`, else Hydra's fallback page. */
export function createPostLogoutSuccessSource(deps: Deps) {
  return (ctx: KoaContextWithOIDC): void => {
    // oauth2/handler.go performOidcFrontOrBackChannelLogout: http.Redirect(…, http.StatusFound).
    goRedirectInKoa(ctx, deps.urls.postLogoutRedirect);
  };
}

/**
 * Errors that cannot be sent back to the client (unknown client, mismatched
 * redirect_uri, …) go to Hydra's error UI, like Hydra's `urls.error`.
 */
export function createRenderError(deps: Deps) {
  return (ctx: KoaContextWithOIDC, out: ErrorOut): void => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(ctx.oidc?.params ?? {})) if (typeof value === "string") params.set(key, value);
    const translated = translateAuthorizationError(out, params) ?? out;
    // forwardError's redirect is Hydra's own: its query is the error alone, its headers NoCacheNegroni's.
    markHydraRedirect(ctx);
    goRedirectInKoa(ctx, withQuery(deps.urls.error, { error: translated.error, error_description: translated.error_description ?? "" }));
  };
}
