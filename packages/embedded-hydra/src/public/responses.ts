import type { HydraContext } from "../context";
import { withQuery } from "../context";

/** What the public server does with a request before oidc-provider sees it (public/hydra-paths.ts). */
export type Mapping =
  | { kind: "pass" }
  | { kind: "redirect"; location: string; status?: 302 | 303 }
  | { kind: "html"; status: number; body: string }
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "empty"; status: number };

export interface OAuthError {
  error: string;
  error_description: string;
}

/** Hydra's forwardError: the browser goes to `urls.error` with the error (302). */
export function errorPage(hctx: HydraContext, error: OAuthError): Mapping {
  return { kind: "redirect", location: withQuery(hctx.urls.error, { ...error }) };
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
export function authorizationError(hctx: HydraContext, params: Record<string, unknown>, error: OAuthError): Mapping {
  const text = (name: string) => (typeof params[name] === "string" && params[name] !== "" ? (params[name] as string) : undefined);
  const redirectUri = text("redirect_uri");
  if (!redirectUri) return errorPage(hctx, error);
  const state = text("state");
  // fosite/authorize_error.go: error, error_description and state (also empty); no iss.
  const payload: Record<string, string> = { ...error, state: state ?? "" };
  const mode = text("response_mode") ?? "query";
  if (mode === "form_post") {
    const inputs = Object.entries(payload)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
      .join("");
    const body = `<!DOCTYPE html><html><head><title>Submitting Callback</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
    return { kind: "html", status: 400, body };
  }
  const target = new URL(redirectUri);
  if (mode === "fragment") target.hash = new URLSearchParams(payload).toString();
  else for (const [name, value] of Object.entries(payload)) target.searchParams.set(name, value);
  return { kind: "redirect", status: 303, location: target.href };
}
