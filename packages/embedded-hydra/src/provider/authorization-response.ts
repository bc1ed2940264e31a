import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { expiresAtOf, fositeExpiresIn } from "../tokens/fosite-expiry";
import instance from "oidc-provider/lib/helpers/weak_cache.js";
import { rewriteErrorRedirect, toFositeErrorParameters } from "./authorization-errors";
import { isHydraRedirect } from "./cache-headers";
import { rejectionSchema, type Rejection } from "./decisions";
import { FOSITE_FORM_POST_CONTENT_TYPE, renderFositeFormPost } from "./fosite-form-post";

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
  installFositeFormPostErrors(provider);
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC["oidc"] | undefined;
    if ((oidc?.route !== "authorization" && oidc?.route !== "resume") || (ctx.status !== 302 && ctx.status !== 303)) return;
    // The login, consent and error UI redirects are not answers to the client (renderError wrote the error UI's query).
    if (isHydraRedirect(ctx)) return;
    const location = ctx.response.get("location");
    if (!location) return;
    const rewritten =
      rewriteErrorRedirect(location, requestParams(ctx as KoaContextWithOIDC), resumedRejection(ctx as KoaContextWithOIDC)) ??
      withGrantedScope(location, ctx as KoaContextWithOIDC);
    if (rewritten) ctx.set("Location", rewritten);
  });
}

type ResponseModeHandler = (ctx: KoaContextWithOIDC, redirectUri: string, out: Record<string, unknown>) => unknown;

/**
 * An authorization error with `response_mode=form_post`, as fosite writes it
 * (fosite/authorize_error.go WriteAuthorizeError): its own form_post page
 * (provider/fosite-form-post.ts) with status 200, `Content-Type:
 * text/html;charset=UTF-8`, the fragment-less redirect URI as action and
 * `error`, `error_description`, `state` in fosite's words. oidc-provider
 * offers no public way to replace a response mode it defines
 * (registerResponseMode keeps the first), so its own entry is wrapped;
 * successful form_post answers still go through oidc-provider's page.
 */
export function installFositeFormPostErrors(provider: Provider): void {
  const modes = instance(provider)?.responseModes;
  const ownFormPost = modes?.get("form_post");
  if (!modes || typeof ownFormPost !== "function") {
    throw new Error("this oidc-provider keeps its response modes elsewhere: provider/authorization-response.ts needs updating");
  }
  const formPost = ownFormPost as ResponseModeHandler;
  // oidc-provider stores its handlers already bound to the provider.
  const fositeFormPost: ResponseModeHandler = (ctx, redirectUri, out) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(out)) if (typeof value === "string") params.set(key, value);
    if (!toFositeErrorParameters(params, requestParams(ctx), resumedRejection(ctx))) return formPost(ctx, redirectUri, out);
    ctx.status = 200;
    ctx.body = renderFositeFormPost(withoutFragment(redirectUri), params);
    ctx.set("Content-Type", FOSITE_FORM_POST_CONTENT_TYPE);
    return undefined;
  };
  modes.set("form_post", fositeFormPost);
}

/** fosite/authorize_error.go: "The endpoint URI MUST NOT include a fragment component." */
function withoutFragment(uri: string): string {
  const hash = uri.indexOf("#");
  return hash < 0 ? uri : uri.slice(0, hash);
}

/**
 * The rejection a resumed authorization ends with: oidc-provider's resume
 * throws the finished interaction's error result, which only
 * decisions.ts applyRejection stores (already as Hydra words it).
 */
function resumedRejection(ctx: KoaContextWithOIDC): Rejection | undefined {
  if (ctx.oidc.route !== "resume") return undefined;
  const { Interaction } = ctx.oidc.entities as { Interaction?: { result?: unknown } };
  const stored = rejectionSchema.safeParse(Interaction?.result);
  return stored.success ? stored.data : undefined;
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
