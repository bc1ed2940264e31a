import type { AcceptOAuth2ConsentRequest } from "@ory/client";
import { TestBrowser } from "./browser";
import type { HydraUnderTest } from "./harness";
import {
  acceptConsent,
  acceptLogin,
  authorizeUrl,
  newVerifier,
  REDIRECT_URI,
  responseParams,
  s256,
  tokenRequest,
  toLoginUi,
  type ClientCredentials,
  type TokenAnswer,
} from "./oauth";

/**
 * The steps token tests share: a whole authorization ending in a code
 * exchange, refresh, introspection. Each takes the instance under test, so
 * one file can drive several.
 */

/** POST /admin/oauth2/introspect with the token value (anything not a string as the empty token). */
export async function introspect(hydra: HydraUnderTest, token: unknown): Promise<Record<string, unknown>> {
  const { data } = await hydra.admin.introspectOAuth2Token({ token: typeof token === "string" ? token : "" });
  return data as unknown as Record<string, unknown>;
}

/** What a test may add to an authorization: authorization URL parameters, and what the consent UI accepts with. */
export interface AuthorizationOptions {
  /** More authorization URL parameters (nonce, ...). */
  authorize?: Record<string, string>;
  /** Accepted with the consent besides what was requested (session claims, ...). */
  consent?: Partial<AcceptOAuth2ConsentRequest>;
}

/** An authorized code flow (PKCE): the code and the verifier to redeem it with. */
export interface AuthorizedCode {
  code: string;
  verifier: string;
}

/** A code flow (PKCE) for `clientId` asking for `scope`, signed in as `subject`, up to the client's callback. */
export async function authorizeCode(
  hydra: HydraUnderTest,
  clientId: string,
  scope: string,
  subject: string,
  options: AuthorizationOptions = {},
): Promise<AuthorizedCode> {
  const browser = new TestBrowser();
  const verifier = newVerifier();
  const login = await toLoginUi(
    browser,
    authorizeUrl(hydra, clientId, { scope, ...options.authorize, code_challenge: s256(verifier), code_challenge_method: "S256" }),
  );
  const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject });
  const callback = await acceptConsent(hydra, browser, consent, options.consent);
  return { code: responseParams(callback).get("code") ?? "", verifier };
}

/** The authorization_code grant request for an authorized code. */
export function redeemCode(hydra: HydraUnderTest, client: ClientCredentials, { code, verifier }: AuthorizedCode): Promise<TokenAnswer> {
  return tokenRequest(hydra, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, client);
}

/** A code flow (PKCE) for `client` signed in as `subject`, up to the token endpoint's raw answer. */
export async function codeExchange(
  hydra: HydraUnderTest,
  client: ClientCredentials,
  scope: string,
  subject = "token-user",
  options: AuthorizationOptions = {},
): Promise<TokenAnswer> {
  return redeemCode(hydra, client, await authorizeCode(hydra, client.id, scope, subject, options));
}

/** A refresh_token grant request. */
export function refresh(hydra: HydraUnderTest, client: ClientCredentials, refreshToken: unknown): Promise<TokenAnswer> {
  return tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: typeof refreshToken === "string" ? refreshToken : "" }, client);
}

export const sleepUntil = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));

/** fosite's invalid_grant description, to which a handler's hint is appended. */
export const INVALID_GRANT =
  "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
