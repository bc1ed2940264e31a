import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { expiresAtOf, fositeExpiresIn } from "../tokens/fosite-expiry";
import { rewriteErrorRedirect } from "./authorization-errors";
import { isHydraRedirect } from "./cache-headers";

function requestParams(ctx: KoaContextWithOIDC): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(ctx.oidc?.params ?? {})) if (typeof value === "string") params.set(key, value);
  return params;
}

/**
 * The redirect that ends an authorization, as fosite writes it
 * (fosite/authorize_write.go, authorize_error.go, handler/oauth2
 * flow_authorize_code_auth.go): no `iss` (Hydra does not implement RFC
 * 9207), `scope` with the granted scope next to the code, and errors in
 * fosite's words (provider/authorization-errors.ts). oidc-provider writes
 * the redirect; this rewrites its Location before it is sent.
 */
export function installAuthorizationResponses(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC["oidc"] | undefined;
    if ((oidc?.route !== "authorization" && oidc?.route !== "resume") || (ctx.status !== 302 && ctx.status !== 303)) return;
    // The login, consent and error UI redirects are not answers to the client (renderError wrote the error UI's query).
    if (isHydraRedirect(ctx)) return;
    const location = ctx.response.get("location");
    if (!location) return;
    const rewritten =
      rewriteErrorRedirect(location, requestParams(ctx as KoaContextWithOIDC)) ?? withGrantedScope(location, ctx as KoaContextWithOIDC);
    if (rewritten) ctx.set("Location", rewritten);
  });
}

function withGrantedScope(location: string, ctx: KoaContextWithOIDC): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  const inFragment = url.hash.length > 1;
  const params = inFragment ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
  if (!params.has("code") && !params.has("access_token") && !params.has("id_token")) return undefined;
  params.delete("iss");
  const entities = ctx.oidc.entities as { AuthorizationCode?: { scope?: string }; AccessToken?: { scope?: string } };
  const scope = entities.AuthorizationCode?.scope ?? entities.AccessToken?.scope;
  if (scope !== undefined) params.set("scope", scope);
  // flow_authorize_implicit.go: the remaining life of the access token's expiry, in whole seconds.
  const expiresAt = expiresAtOf(entities.AccessToken);
  if (params.has("expires_in") && expiresAt !== undefined) params.set("expires_in", String(fositeExpiresIn(expiresAt, Date.now())));
  if (inFragment) url.hash = params.toString();
  return url.toString();
}
