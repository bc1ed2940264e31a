import { withQuery } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import type { Mapping } from "./mapping";
import { FOSITE_NO_STORE } from "../cache-control";

export interface OAuthError {
  error: string;
  error_description: string;
}

/** Hydra's forwardError: the browser goes to `urls.error` with the error (302). */
export function errorPage(deps: Deps, error: OAuthError): Mapping {
  return { kind: "redirect", location: withQuery(deps.urls.error, { ...error }) };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
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
    const inputs = Object.entries(payload)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
      .join("");
    const body = `<!DOCTYPE html><html><head><title>Submitting Callback</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
    return { kind: "html", status: 400, body, headers: FOSITE_NO_STORE };
  }
  const target = new URL(redirectUri);
  if (mode === "fragment") target.hash = new URLSearchParams(payload).toString();
  else for (const [name, value] of Object.entries(payload)) target.searchParams.set(name, value);
  return { kind: "redirect", status: 303, location: target.href, headers: FOSITE_NO_STORE };
}
