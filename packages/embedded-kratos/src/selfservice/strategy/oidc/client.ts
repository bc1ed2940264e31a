import * as oidc from "openid-client";
import { KratosError } from "../../../http/errors";
import type { OidcProvider } from "./config";
import { discoveryError, idTokenMissing, tokenExchangeError, userInfoError } from "./provider-errors";
import { providerFetch } from "./provider-fetch";

/**
 * The OpenID Connect client side of a provider (Kratos' ProviderGenericOIDC
 * on go-oidc and x/oauth2), on openid-client: discovery from the issuer,
 * the authorization URL, the code exchange, ID token validation (signature
 * included, as go-oidc checks it) and the userinfo call. Every request runs
 * on providerFetch (Go's body reads, failures named by request, Go's name
 * check).
 */
const configurations = new Map<string, Promise<oidc.Configuration>>();

function cacheKey(p: OidcProvider): string {
  return JSON.stringify([p.issuerUrl, p.clientId, p.clientSecret ?? "", p.additionalAudiences]);
}

/** Discovery is cached per issuer and client; a failed discovery is retried on the next request. */
export function providerConfiguration(p: OidcProvider): Promise<oidc.Configuration> {
  const key = cacheKey(p);
  let found = configurations.get(key);
  if (!found) {
    found = discover(p);
    configurations.set(key, found);
    found.catch(() => configurations.delete(key));
  }
  return found;
}

/**
 * openid-client's timeout covers the request and the reading of its answer,
 * as Kratos' http.Client Timeout does (RegistryDefault.HTTPClient:
 * ResilientClientWithConnectionTimeout(30 s); go-oidc and x/oauth2 use its
 * inner http.Client, without retryablehttp's retries).
 */
export const PROVIDER_TIMEOUT_SECONDS = 30;

async function discover(p: OidcProvider): Promise<oidc.Configuration> {
  const issuer = new URL(p.issuerUrl);
  const insecure = issuer.protocol === "http:";
  try {
    const configuration = await oidc.discovery(
      issuer,
      p.clientId,
      p.clientSecret ? { client_secret: p.clientSecret } : undefined,
      p.clientSecret ? oidc.ClientSecretBasic(p.clientSecret) : oidc.None(),
      {
        [oidc.customFetch]: providerFetch,
        timeout: PROVIDER_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      },
    );
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  } catch (error) {
    throw await discoveryError(p.issuerUrl, error);
  }
}

/** maybePKCE: `never` — none; `force` — always; `auto` — when discovery advertises S256. */
export async function pkceVerifier(p: OidcProvider): Promise<string> {
  if (p.pkce === "never") return "";
  if (p.pkce === "auto" && !(await providerConfiguration(p)).serverMetadata().supportsPKCE("S256")) return "";
  return oidc.randomPKCECodeVerifier();
}

export async function authorizationUrl(
  p: OidcProvider,
  options: { redirectUri: string; state: string; pkce: string; forceLogin: boolean; upstream: Record<string, string> },
): Promise<string> {
  const configuration = await providerConfiguration(p);
  const params: Record<string, string> = {
    ...options.upstream,
    response_type: "code",
    redirect_uri: options.redirectUri,
    scope: p.scopes.join(" "),
    state: options.state,
  };
  if (options.forceLogin) params.prompt = "login";
  if (p.requestedClaims) params.claims = p.requestedClaims;
  if (options.pkce) {
    params.code_challenge = await oidc.calculatePKCECodeChallenge(options.pkce);
    params.code_challenge_method = "S256";
  }
  return oidc.buildAuthorizationUrl(configuration, params).toString();
}

export interface ProviderTokens {
  idToken: string | undefined;
  accessToken: string;
  refreshToken: string | undefined;
}

export interface ExchangeResult {
  tokens: ProviderTokens;
  /** The verified ID token claims. */
  idTokenClaims: Record<string, unknown>;
}

/** The code exchange and ID token validation of HandleCallback (exchangeCode + verifiedIDToken). */
export async function exchangeCode(p: OidcProvider, callback: URL, checks: { state: string; pkce: string }): Promise<ExchangeResult> {
  const configuration = await providerConfiguration(p);
  let response: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    response = await oidc.authorizationCodeGrant(configuration, callback, {
      expectedState: checks.state,
      ...(checks.pkce ? { pkceCodeVerifier: checks.pkce } : {}),
      idTokenExpected: true,
    });
  } catch (error) {
    throw await tokenExchangeError(configuration.serverMetadata().token_endpoint ?? "", error);
  }
  const claims = response.claims();
  if (!response.id_token || !claims) throw idTokenMissing();
  return {
    tokens: { idToken: response.id_token, accessToken: response.access_token, refreshToken: response.refresh_token },
    idTokenClaims: { ...claims },
  };
}

/** claimsFromUserInfo: the userinfo answer, whose subject must be the ID token's. */
export async function userInfo(p: OidcProvider, accessToken: string, subject: string): Promise<Record<string, unknown>> {
  const configuration = await providerConfiguration(p);
  let info: Record<string, unknown>;
  try {
    info = { ...(await oidc.fetchUserInfo(configuration, accessToken, oidc.skipSubjectCheck)) };
  } catch (error) {
    throw await userInfoError(configuration.serverMetadata().userinfo_endpoint ?? "", error);
  }
  if (info.sub !== subject) throw new KratosError(400, { reason: "sub (Subject) claim mismatch between ID token and UserInfo endpoint" });
  return info;
}
