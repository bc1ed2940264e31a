import type { AcceptOAuth2LoginRequest } from "@ory/client";
import type { TestBrowser } from "./browser";
import type { HydraUnderTest } from "./harness";

/**
 * The verifier URLs the admin API hands out, taken one step at a time so a
 * test can follow one again, in another browser or at another endpoint.
 */

/** `PUT /admin/oauth2/auth/requests/login/accept`: the `redirect_to` carrying the login verifier. */
export async function acceptLoginChallenge(
  hydra: HydraUnderTest,
  loginChallenge: string,
  accept: AcceptOAuth2LoginRequest,
): Promise<string> {
  const { data } = await hydra.admin.acceptOAuth2LoginRequest({ loginChallenge, acceptOAuth2LoginRequest: accept });
  return data.redirect_to;
}

/** `PUT /admin/oauth2/auth/requests/consent/accept` granting `grantScope`: the `redirect_to` carrying the consent verifier. */
export async function acceptConsentChallenge(hydra: HydraUnderTest, consentChallenge: string, grantScope = ["openid"]): Promise<string> {
  const { data } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: { grant_scope: grantScope },
  });
  return data.redirect_to;
}

/** Follows a verifier URL one hop: where the browser was sent (origin and path), or the JSON error written to it. */
export async function followVerifier(browser: TestBrowser, url: string): Promise<{ status: number; at?: string; body?: unknown }> {
  const response = await browser.request(url);
  const location = response.headers.get("location");
  if (location) {
    const at = new URL(location);
    return { status: response.status, at: `${at.origin}${at.pathname}` };
  }
  return { status: response.status, body: await response.json() };
}

/** Where a navigation ended, and whether it carried an authorization code. */
export function authorizationOutcome(url: URL): { at: string; error: string | null; code: boolean } {
  return { at: `${url.origin}${url.pathname}`, error: url.searchParams.get("error"), code: url.searchParams.has("code") };
}
