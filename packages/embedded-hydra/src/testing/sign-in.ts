import type { OAuth2ConsentRequest, OAuth2LoginRequest } from "@ory/client";
import * as oidc from "openid-client";
import type { TestBrowser } from "./browser";
import type { HydraUnderTest } from "./harness";

export const LOGIN_UI = "http://ciam.localhost:3000/login";
export const CONSENT_UI = "http://ciam.localhost:3000/consent";
export const LOGOUT_UI = "http://ciam.localhost:3000/logout";

/** A navigation stop condition: the browser reached a URL under one of these prefixes. */
export const startsWith =
  (...prefixes: string[]) =>
  (url: URL) =>
    prefixes.some((prefix) => url.toString().startsWith(prefix));

/** An openid-client relying party authenticating as Hydra clients do by default (client_secret_basic; openid-client would post the secret). */
export function relyingParty(hydra: HydraUnderTest, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(hydra.issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface SignedIn {
  loginRequest: OAuth2LoginRequest;
  consentRequest: OAuth2ConsentRequest;
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
}

/**
 * One whole authorization in `browser` as the CIAM UIs would run it:
 * authorize → login challenge accepted as `subject` → consent challenge
 * accepted with everything requested → code exchanged (PKCE).
 */
export async function signIn(
  hydra: HydraUnderTest,
  browser: TestBrowser,
  config: oidc.Configuration,
  options: { subject: string; redirectUri: string; scope: string; remember?: boolean },
): Promise<SignedIn> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizeUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: options.scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  const remember = options.remember ?? false;
  const atLogin = await browser.navigate(authorizeUrl.toString(), startsWith(LOGIN_UI));
  const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
  const { data: loginRequest } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge });
  const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
    loginChallenge,
    acceptOAuth2LoginRequest: { subject: options.subject, remember, remember_for: 3600 },
  });
  const atConsent = await browser.navigate(login.redirect_to, startsWith(CONSENT_UI));
  const consentChallenge = atConsent.url.searchParams.get("consent_challenge") ?? "";
  const { data: consentRequest } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
  const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: { grant_scope: consentRequest.requested_scope ?? [], remember },
  });
  const callback = await browser.navigate(consent.redirect_to, startsWith(options.redirectUri));
  const tokens = await oidc.authorizationCodeGrant(config, callback.url, { pkceCodeVerifier: verifier, expectedState: state });
  return { loginRequest, consentRequest, tokens };
}
