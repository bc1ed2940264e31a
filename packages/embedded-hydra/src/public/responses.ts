import { withQuery } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import type { Mapping } from "./mapping";
import { FOSITE_NO_STORE } from "../cache-control";
import { FOSITE_FORM_POST_CONTENT_TYPE, renderFositeFormPost } from "../provider/fosite-form-post";

export interface OAuthError {
  error: string;
  error_description: string;
}

/** Hydra's forwardError: the browser goes to `urls.error` with the error (302). */
export function errorPage(deps: Deps, error: OAuthError): Mapping {
  return { kind: "redirect", location: withQuery(deps.urls.error, { ...error }) };
}

/**
 * An authorization error for the client, where the browser of that
 * authorization request may not be the one oidc-provider would answer
 * (fosite's WriteAuthorizeError): to the request's redirect_uri with state,
 * in its response mode; to the error UI when there is no redirect_uri.
 */
export function authorizationError(deps: Deps, params: Record<string, unknown>, error: OAuthError): Mapping {
  const text = (name: string) => (typeof params[name] === "string" && params[name] !== "" ? params[name] : undefined);
  const redirectUri = text("redirect_uri");
  if (!redirectUri) return errorPage(deps, error);
  const state = text("state");
  // fosite/authorize_error.go: error, error_description and state (also empty); no iss.
  const payload: Record<string, string> = { ...error, state: state ?? "" };
  const mode = text("response_mode") ?? "query";
  if (mode === "form_post") {
    // fosite/authorize_error.go: its form_post page (provider/fosite-form-post.ts), status 200, no fragment in the action.
    const body = renderFositeFormPost(redirectUri.split("#")[0] ?? "", new URLSearchParams(payload));
    return { kind: "html", status: 200, body, headers: { "content-type": FOSITE_FORM_POST_CONTENT_TYPE, ...FOSITE_NO_STORE } };
  }
  const target = new URL(redirectUri);
  if (mode === "fragment") target.hash = new URLSearchParams(payload).toString();
  else for (const [name, value] of Object.entries(payload)) target.searchParams.set(name, value);
  return { kind: "redirect", status: 303, location: target.href, headers: FOSITE_NO_STORE };
}
