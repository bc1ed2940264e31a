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
 * The set-up token tests share: a client made through the admin API, a whole
 * authorization ending in a code exchange, introspection. Each takes the
 * instance under test, so one file can drive several.
 */

export interface CreatedClient extends ClientCredentials {
  /** The admin API's answer, as JSON. */
  created: Record<string, unknown>;
}

export async function createClient(hydra: HydraUnderTest, body: Record<string, unknown>): Promise<CreatedClient> {
  const { data } = await hydra.admin.createOAuth2Client({ oAuth2Client: body });
  return { id: data.client_id ?? "", secret: data.client_secret ?? "", created: data as unknown as Record<string, unknown> };
}

/** POST /admin/oauth2/introspect with the token value (anything not a string as the empty token). */
export async function introspect(hydra: HydraUnderTest, token: unknown): Promise<Record<string, unknown>> {
  const { data } = await hydra.admin.introspectOAuth2Token({ token: typeof token === "string" ? token : "" });
  return data as unknown as Record<string, unknown>;
}

/** A code flow (PKCE) for `client` signed in as `subject`, up to the token endpoint's raw answer. */
export async function codeExchange(
  hydra: HydraUnderTest,
  client: ClientCredentials,
  scope: string,
  subject = "token-user",
): Promise<TokenAnswer> {
  const browser = new TestBrowser();
  const verifier = newVerifier();
  const login = await toLoginUi(
    browser,
    authorizeUrl(hydra, client.id, { scope, code_challenge: s256(verifier), code_challenge_method: "S256" }),
  );
  const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject });
  const callback = await acceptConsent(hydra, browser, consent);
  const code = responseParams(callback).get("code") ?? "";
  return tokenRequest(hydra, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, client);
}

/** A refresh_token grant request. */
export function refresh(hydra: HydraUnderTest, client: ClientCredentials, refreshToken: unknown): Promise<TokenAnswer> {
  return tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: typeof refreshToken === "string" ? refreshToken : "" }, client);
}

export const sleepUntil = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));

/** fosite's invalid_grant description, to which a handler's hint is appended. */
export const INVALID_GRANT =
  "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
