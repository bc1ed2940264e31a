import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { expiresAtOf, fositeExpiresIn } from "../tokens/fosite-expiry";
import instance from "oidc-provider/lib/helpers/weak_cache.js";
import { toFositeErrorParameters } from "./authorization-errors";
import { rejectionSchema, type Rejection } from "./decisions";
import { utf8Text } from "@olympus/server-kit/go-url";
import { fositeErrorRedirect, fositeResponseRedirect, type RedirectMode } from "./fosite-authorize-redirect";
import { FOSITE_FORM_POST_CONTENT_TYPE, renderFositeFormPost } from "./fosite-form-post";

function requestParams(ctx: KoaContextWithOIDC): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(ctx.oidc?.params ?? {})) if (typeof value === "string") params.set(key, value);
  return params;
}

type ResponseModeHandler = (ctx: KoaContextWithOIDC, redirectUri: string, out: Record<string, unknown>) => unknown;

/**
 * The answer that ends an authorization at the client, as fosite writes it
 * (fosite/authorize_write.go WriteAuthorizeResponse, authorize_error.go
 * WriteAuthorizeError): no `iss` (Hydra does not implement RFC 9207),
 * `scope` with the granted scope next to the code, errors in fosite's
 * words (provider/authorization-errors.ts), in the response mode's shape:
 * a 303 whose query or fragment Go's url.Values.Encode wrote
 * (provider/fosite-authorize-redirect.ts), or fosite's form_post page
 * (provider/fosite-form-post.ts) with status 200, `Content-Type:
 * text/html;charset=UTF-8` and, for an error, the fragment-less redirect
 * URI as action. oidc-provider decides what to answer and calls its
 * response mode with the parameters; it offers no public way to replace a
 * response mode it defines (registerResponseMode keeps the first), so its
 * own entries are replaced.
 */
export function installAuthorizationResponses(provider: Provider): void {
  const modes = instance(provider)?.responseModes;
  const own = (name: string) => modes?.get(name);
  const ownQuery = own("query");
  const ownFragment = own("fragment");
  if (!modes || typeof ownQuery !== "function" || typeof ownFragment !== "function" || typeof own("form_post") !== "function") {
    throw new Error("this oidc-provider keeps its response modes elsewhere: provider/authorization-response.ts needs updating");
  }
  modes.set("query", fositeRedirect("query", ownQuery as ResponseModeHandler));
  modes.set("fragment", fositeRedirect("fragment", ownFragment as ResponseModeHandler));
  modes.set("form_post", fositeFormPost);
}

/** oidc-provider's parameters as fosite's; `isError` tells which writer answers. */
function fositeParameters(ctx: KoaContextWithOIDC, out: Record<string, unknown>): { params: URLSearchParams; isError: boolean } {
  const params = new URLSearchParams();
  // oidc-provider gives expires_in as a number.
  for (const [key, value] of Object.entries(out))
    if (typeof value === "string" || typeof value === "number") params.set(key, String(value));
  const isError = toFositeErrorParameters(params, requestParams(ctx), resumedRejection(ctx));
  if (!isError) withFositeResponseParameters(params, ctx);
  return { params, isError };
}

/** Query and fragment modes; oidc-provider's own answers a redirect URI Go's url.Parse refuses (never a registered one). */
function fositeRedirect(mode: RedirectMode, ownMode: ResponseModeHandler): ResponseModeHandler {
  return (ctx, redirectUri, out) => {
    const { params, isError } = fositeParameters(ctx, out);
    const location = isError ? fositeErrorRedirect(redirectUri, mode, params) : fositeResponseRedirect(redirectUri, mode, params);
    if (location === undefined) return ownMode(ctx, redirectUri, out);
    ctx.status = 303;
    // Koa re-encodes the text itself (encodeurl), so it gets the UTF-8 text back, not the bytes.
    ctx.redirect(utf8Text(location));
    return undefined;
  };
}

const fositeFormPost: ResponseModeHandler = (ctx, redirectUri, out) => {
  const { params, isError } = fositeParameters(ctx, out);
  ctx.status = 200;
  // authorize_error.go drops the redirect URI's fragment; authorize_write.go writes redir.String() (a valid one has none).
  ctx.body = renderFositeFormPost(isError ? withoutFragment(redirectUri) : redirectUri, params);
  ctx.set("Content-Type", FOSITE_FORM_POST_CONTENT_TYPE);
  return undefined;
};

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

/**
 * oidc-provider's successful authorization parameters rewritten in place to
 * fosite's (handler/oauth2 flow_authorize_code_auth.go,
 * flow_authorize_implicit.go, handler/openid flow_hybrid.go): no `iss`, the
 * granted `scope`, `expires_in` as the access token's remaining whole
 * seconds. False when they are no authorization response.
 */
function withFositeResponseParameters(params: URLSearchParams, ctx: KoaContextWithOIDC): boolean {
  if (!params.has("code") && !params.has("access_token") && !params.has("id_token")) return false;
  params.delete("iss");
  const entities = ctx.oidc.entities as { AuthorizationCode?: { scope?: string }; AccessToken?: { scope?: string } };
  const scope = entities.AuthorizationCode?.scope ?? entities.AccessToken?.scope;
  if (scope !== undefined) params.set("scope", scope);
  // flow_authorize_implicit.go: the remaining life of the access token's expiry, in whole seconds.
  const expiresAt = expiresAtOf(entities.AccessToken);
  if (params.has("expires_in") && expiresAt !== undefined) params.set("expires_in", String(fositeExpiresIn(expiresAt, Date.now())));
  return true;
}
