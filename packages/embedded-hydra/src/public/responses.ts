import { withQuery } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import type { Mapping } from "./mapping";
import { FOSITE_NO_STORE } from "../cache-control";
import { fositeErrorRedirect, fositeResponseMode } from "../provider/fosite-authorize-redirect";
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
 * in its response mode (fosite's default for its response type when none
 * was asked for); to the error UI when there is no redirect_uri.
 */
export function authorizationError(deps: Deps, params: Record<string, unknown>, error: OAuthError): Mapping {
  const text = (name: string) => (typeof params[name] === "string" && params[name] !== "" ? params[name] : undefined);
  const redirectUri = text("redirect_uri");
  if (!redirectUri) return errorPage(deps, error);
  // fosite/authorize_error.go: error, error_description and state (also empty); no iss.
  const payload = new URLSearchParams({ ...error, state: text("state") ?? "" });
  const mode = fositeResponseMode(text("response_mode") ?? "", text("response_type") ?? "");
  if (mode === "form_post") {
    // fosite/authorize_error.go: its form_post page (provider/fosite-form-post.ts), status 200, no fragment in the action.
    const body = renderFositeFormPost(redirectUri.split("#")[0] ?? "", payload);
    return { kind: "html", status: 200, body, headers: { "content-type": FOSITE_FORM_POST_CONTENT_TYPE, ...FOSITE_NO_STORE } };
  }
  const location = fositeErrorRedirect(redirectUri, mode === "fragment" ? "fragment" : "query", payload);
  if (location === undefined) return errorPage(deps, error);
  return { kind: "redirect", status: 303, location, headers: FOSITE_NO_STORE };
}
