import * as oidc from "openid-client";
import { z } from "zod";
import type { DomainEndpoints } from "./stack";

/** A throwaway OAuth2 client registered in one domain's Hydra for one journey. */
export interface TestClient {
  id: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

const createdClient = z.object({ client_id: z.string(), client_secret: z.string() });

/** Registers a confidential code-flow client, first-party (skip_consent) or not. */
export async function createClient(domain: DomainEndpoints, options: { name: string; firstParty: boolean }): Promise<TestClient> {
  const origin = new URL(domain.hera);
  // The relying party lives next to Hera (port + 2), as the seeded demo RP does.
  const rp = `${origin.protocol}//${origin.hostname}:${Number(origin.port) + 2}`;
  const body = {
    client_name: options.name,
    redirect_uris: [`${rp}/callback`],
    post_logout_redirect_uris: [`${rp}/`],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    scope: "openid offline_access email profile",
    token_endpoint_auth_method: "client_secret_basic",
    skip_consent: options.firstParty,
  };
  const response = await fetch(`${domain.hydraAdmin}/admin/clients`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating client failed: ${response.status} ${await response.text()}`);
  const { client_id, client_secret } = createdClient.parse(await response.json());
  return { id: client_id, secret: client_secret, redirectUri: `${rp}/callback`, postLogoutRedirectUri: `${rp}/` };
}

/**
 * The relying party's side, with openid-client against the embedded Hydra.
 * Node cannot resolve *.localhost, so its HTTP calls go to 127.0.0.1 while the
 * issuer keeps its public name.
 */
export async function relyingParty(domain: DomainEndpoints, client: TestClient): Promise<oidc.Configuration> {
  const loopback: oidc.CustomFetch = (url, options) => {
    const target = new URL(url);
    if (target.hostname.endsWith(".localhost")) target.hostname = "127.0.0.1";
    // A fresh Uint8Array is backed by a plain ArrayBuffer, which fetch's types require.
    const body = options.body instanceof Uint8Array ? new Uint8Array(options.body) : options.body;
    return fetch(target, { ...options, body });
  };
  // Ask Hydra for its issuer rather than assuming it: the embedded stack may
  // announce itself by loopback address or by host name.
  const metadata = await fetch(`${domain.hydraPublic}/.well-known/openid-configuration`);
  const { issuer } = z.object({ issuer: z.string() }).parse(await metadata.json());
  return oidc.discovery(new URL(issuer), client.id, undefined, oidc.ClientSecretBasic(client.secret), {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: loopback,
  });
}

export interface Authorization {
  url: URL;
  state: string;
  verifier: string;
}

export async function authorization(
  config: oidc.Configuration,
  client: TestClient,
  scope = "openid email profile",
): Promise<Authorization> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirectUri,
    scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  return { url, state, verifier };
}

/** Exchanges the code the browser arrived with for tokens; returns the ID token's claims. */
export async function redeem(config: oidc.Configuration, callbackUrl: string, auth: Authorization) {
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("no ID token");
  return { tokens, claims };
}
