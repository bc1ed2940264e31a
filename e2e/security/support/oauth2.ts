import type { Page } from "@playwright/test";
import * as oidc from "openid-client";
import { z } from "zod";
import type { SecurityDomain } from "./stack";

/** A throwaway confidential code-flow client in one domain's Hydra. */
export interface TestClient {
  id: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  config: oidc.Configuration;
}

const createdClient = z.object({ client_id: z.string(), client_secret: z.string() });

/** Node cannot resolve *.localhost: its calls go to 127.0.0.1 while the issuer keeps its public name. */
const loopback: oidc.CustomFetch = (url, options) => {
  const target = new URL(url);
  if (target.hostname.endsWith(".localhost")) target.hostname = "127.0.0.1";
  const body = options.body instanceof Uint8Array ? new Uint8Array(options.body) : options.body;
  return fetch(target, { ...options, body });
};

/** Registers a first-party client (consent skipped) that may ask for refresh tokens. */
export async function createTestClient(domain: SecurityDomain, name: string): Promise<TestClient> {
  const redirectUri = `${domain.relyingParty}/callback`;
  const postLogoutRedirectUri = `${domain.relyingParty}/`;
  const response = await fetch(`${domain.hydraAdmin}/admin/clients`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    body: JSON.stringify({
      client_name: name,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutRedirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid offline_access email profile",
      token_endpoint_auth_method: "client_secret_basic",
      skip_consent: true,
    }),
  });
  if (response.status !== 201) throw new Error(`creating client failed: ${response.status} ${await response.text()}`);
  const { client_id, client_secret } = createdClient.parse(await response.json());
  const config = await oidc.discovery(new URL(domain.issuer), client_id, undefined, oidc.ClientSecretBasic(client_secret), {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: loopback,
  });
  return { id: client_id, secret: client_secret, redirectUri, postLogoutRedirectUri, config };
}

export interface Authorization {
  url: URL;
  state: string;
  verifier: string;
}

/** An authorization request (code + PKCE + state); `extra` adds prompt, max_age, … */
export async function authorization(client: TestClient, extra: Record<string, string> = {}): Promise<Authorization> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(client.config, {
    redirect_uri: client.redirectUri,
    scope: "openid offline_access email profile",
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  });
  return { url, state, verifier };
}

/** Exchanges the code the browser arrived with for tokens. */
export async function redeem(
  client: TestClient,
  callbackUrl: string,
  auth: Authorization,
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  return oidc.authorizationCodeGrant(client.config, new URL(callbackUrl), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
}

/** Whether a refresh token still works at the token endpoint. */
export async function refreshWorks(client: TestClient, refreshToken: string): Promise<boolean> {
  return oidc.refreshTokenGrant(client.config, refreshToken).then(
    () => true,
    () => false,
  );
}

/** Waits until the browser reaches the client's redirect URI and returns that URL. */
export async function waitForCallback(page: Page, client: TestClient): Promise<string> {
  await page.waitForURL((url) => url.href.startsWith(client.redirectUri));
  return page.url();
}

/** The claims of the ID token in a token response. */
export function idTokenClaims(tokens: oidc.TokenEndpointResponseHelpers): Record<string, unknown> {
  const claims = tokens.claims();
  if (!claims) throw new Error("no ID token");
  return { ...claims };
}
