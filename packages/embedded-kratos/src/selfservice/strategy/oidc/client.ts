import * as oidc from "openid-client";
import { KratosError } from "../../../http/errors";
import type { OidcProvider } from "./config";
import { discoveryError, idTokenMissing, tokenExchangeError, userInfoError } from "./provider-errors";
import { goDiscover, type GoProviderMetadata } from "./discovery";
import { withTokenAuthProbe } from "./go-token-request";
import { providerFetchFor } from "./provider-fetch";

/**
 * The OpenID Connect client side of a provider (Kratos' ProviderGenericOIDC
 * on go-oidc and x/oauth2), on openid-client: discovery from the issuer (go-oidc's
 * own, discovery.ts), the authorization URL, the code exchange, ID token
 * validation (signature included, as go-oidc checks it) and the userinfo
 * call. Every request runs on providerFetchFor's fetch (Go's body reads,
 * failures named by request, Go's name check, Kratos' ssrf guard under the
 * config's `clients.http` policy).
 */

/**
 * openid-client's timeout covers the request and the reading of its answer,
 * as Kratos' http.Client Timeout does (RegistryDefault.HTTPClient:
 * ResilientClientWithConnectionTimeout(30 s); go-oidc and x/oauth2 use its
 * inner http.Client, without retryablehttp's retries).
 */
export const PROVIDER_TIMEOUT_SECONDS = 30;

/** ProviderGenericOIDC.provider: go-oidc's NewProvider, its failure Kratos' invalid_configuration error. */
async function providerMetadata(p: OidcProvider): Promise<GoProviderMetadata> {
  try {
    return await goDiscover(p.issuerUrl, PROVIDER_TIMEOUT_SECONDS, p.privateIpPolicy);
  } catch (error) {
    throw discoveryError(p.issuerUrl, error);
  }
}

/**
 * The openid-client configuration for what go-oidc's Provider keeps: its
 * endpoints and the signing algorithms it lets the verifier accept. Built
 * per call, as Kratos builds its provider per request (go-oidc keeps the
 * discovery body, not the provider). Plain http is allowed everywhere, as
 * Go's client allows it.
 */
export async function providerConfiguration(p: OidcProvider): Promise<oidc.Configuration> {
  const found = await providerMetadata(p);
  const server: oidc.ServerMetadata = {
    issuer: found.issuer,
    ...(found.authorizationEndpoint !== "" ? { authorization_endpoint: found.authorizationEndpoint } : {}),
    ...(found.tokenEndpoint !== "" ? { token_endpoint: found.tokenEndpoint } : {}),
    ...(found.userinfoEndpoint !== "" ? { userinfo_endpoint: found.userinfoEndpoint } : {}),
    ...(found.jwksUri !== "" ? { jwks_uri: found.jwksUri } : {}),
    // With none of its algorithms advertised, go-oidc's verifier accepts RS256 only, as openid-client does without the list.
    ...(found.algorithms.length > 0 ? { id_token_signing_alg_values_supported: found.algorithms } : {}),
  };
  const configuration = new oidc.Configuration(
    server,
    p.clientId,
    p.clientSecret ? { client_secret: p.clientSecret } : undefined,
    // The token request's credentials are added per attempt by x/oauth2's probing (go-token-request.ts).
    credentialsAddedPerAttempt,
  );
  configuration[oidc.customFetch] = providerFetchFor(p.privateIpPolicy);
  configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
  oidc.allowInsecureRequests(configuration);
  oidc.enableNonRepudiationChecks(configuration);
  return configuration;
}

/** openid-client adds no credentials of its own: providerFetch sends them as x/oauth2 does. */
const credentialsAddedPerAttempt: oidc.ClientAuth = () => undefined;

/** maybePKCE: `never` — none; `force` — always; `auto` — when discovery advertises S256. */
export async function pkceVerifier(p: OidcProvider): Promise<string> {
  if (p.pkce === "never") return "";
  if (p.pkce === "auto" && !(await providerMetadata(p)).pkceS256) return "";
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
    const client = { clientId: p.clientId, clientSecret: p.clientSecret ?? "", timeoutSeconds: PROVIDER_TIMEOUT_SECONDS };
    response = await withTokenAuthProbe(client, () =>
      oidc.authorizationCodeGrant(configuration, callback, {
        expectedState: checks.state,
        ...(checks.pkce ? { pkceCodeVerifier: checks.pkce } : {}),
        idTokenExpected: true,
      }),
    );
  } catch (error) {
    throw tokenExchangeError(configuration.serverMetadata().token_endpoint ?? "", error);
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
