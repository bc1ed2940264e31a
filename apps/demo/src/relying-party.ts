import * as oidc from "openid-client";
import type { DemoConfig } from "./config";

/** Why the customer is sent to Hydra: sign-up asks for Hera's registration page (`prompt=registration`). */
export type Intent = "signin" | "signup";

/** The secrets of one authorization in flight, kept server-side until the callback. */
export interface PendingAuthorization {
  intent: Intent;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The result of a successful callback. */
export interface SignedInCustomer {
  subject: string;
  email: string | undefined;
  claims: Record<string, unknown>;
  /** Kept for `id_token_hint` at sign-out. */
  idToken: string;
}

/** The OpenID Connect side of the demo; the HTTP layer only talks to this. */
export interface RelyingParty {
  startAuthorization(intent: Intent): Promise<{ url: URL; pending: PendingAuthorization }>;
  /** Exchanges the code in `callbackUrl`, checking state, nonce and PKCE. Throws on an error response or a failed check. */
  finishAuthorization(callbackUrl: URL, pending: PendingAuthorization): Promise<SignedInCustomer>;
  /** CIAM Hydra's RP-initiated logout URL (`/oauth2/sessions/logout`), back to this app afterwards. */
  logoutUrl(idToken: string): Promise<URL>;
}

/**
 * Browsers and Hydra's own documents name the issuer `*.localhost`, which
 * Node does not resolve; such a name is always the loopback interface
 * (RFC 6761), so the app's own HTTP calls go to 127.0.0.1.
 */
export const loopbackFetch: oidc.CustomFetch = (url, options) => {
  const target = new URL(url);
  if (target.hostname === "localhost" || target.hostname.endsWith(".localhost")) target.hostname = "127.0.0.1";
  // A fresh Uint8Array is backed by a plain ArrayBuffer, which fetch's types require.
  const body = options.body instanceof Uint8Array ? new Uint8Array(options.body) : options.body;
  return fetch(target, { ...options, body });
};

/**
 * openid-client against CIAM Hydra: authorization code with PKCE (S256),
 * state and nonce, client_secret_basic. Discovery happens on first use and
 * is retried after a failure, so the app can start before Hydra does (turbo
 * starts everything at once in `npm run dev`).
 */
export function openIdRelyingParty(config: DemoConfig): RelyingParty {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(config.issuer, config.clientId, undefined, oidc.ClientSecretBasic(config.clientSecret), {
        ...(config.issuer.protocol === "http:" ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: loopbackFetch,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  return {
    async startAuthorization(intent) {
      const pending: PendingAuthorization = {
        intent,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: config.redirectUri,
        scope: config.scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: "S256",
        // Hydra 2.2+ sends the login challenge to urls.registration (Hera's sign-up page).
        ...(intent === "signup" ? { prompt: "registration" } : {}),
      });
      return { url, pending };
    },

    async finishAuthorization(callbackUrl, pending) {
      const tokens = await oidc.authorizationCodeGrant(await configuration(), callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new Error("the token response carried no ID token");
      return {
        subject: claims.sub,
        email: typeof claims.email === "string" ? claims.email : undefined,
        claims: { ...claims },
        idToken: tokens.id_token,
      };
    },

    async logoutUrl(idToken) {
      return oidc.buildEndSessionUrl(await configuration(), {
        id_token_hint: idToken,
        post_logout_redirect_uri: config.postLogoutRedirectUri,
      });
    },
  };
}
