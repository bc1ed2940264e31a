import type { KoaContextWithOIDC } from "oidc-provider";
import { fositeDescription, FOSITE_ERRORS, FositeProviderError, isFositeErrorName, type FositeErrorName } from "../fosite-errors";

/**
 * oidc-provider's token endpoint errors, answered as Hydra (fosite) answers
 * the same request: fosite checks the grant type before the client, knows
 * `unauthorized_client`, and explains each refusal with its own hint. The
 * translation reads what oidc-provider threw (its `error_detail` says which
 * check failed) and the request; errors thrown as FositeProviderError are
 * Hydra's already.
 */

/** The grant types Hydra has a token endpoint handler for (fosite's compose in driver/registry). */
export const HYDRA_GRANT_TYPES: ReadonlySet<string> = new Set([
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:device_code",
]);

/** The hint each fosite handler gives for a client that lacks its grant type. */
const UNAUTHORIZED_GRANT_HINTS: Record<string, string> = {
  authorization_code: 'The OAuth 2.0 Client is not allowed to use authorization grant "authorization_code".',
  refresh_token: "The OAuth 2.0 Client is not allowed to use authorization grant 'refresh_token'.",
  client_credentials: "The OAuth 2.0 Client is not allowed to use authorization grant 'client_credentials'.",
  // rfc8628 token_handler.go validateGrantTypes runs before the OpenID Connect device handler's own check.
  "urn:ietf:params:oauth:grant-type:device_code":
    'The OAuth 2.0 Client is not allowed to use authorization grant "urn:ietf:params:oauth:grant-type:device_code".',
  "urn:ietf:params:oauth:grant-type:jwt-bearer":
    'The OAuth 2.0 Client is not allowed to use authorization grant "urn:ietf:params:oauth:grant-type:jwt-bearer".',
};

/** oidc-provider's invalid_grant details and fosite's hint for the same case (null: fosite gives none). */
const INVALID_GRANT_HINTS: Record<string, string | null> = {
  "authorization code not found": null,
  "authorization code is expired": null,
  "authorization code already consumed": "The authorization code has already been used.",
  "authorization code redirect_uri mismatch": 'The "redirect_uri" from this request does not match the one from the authorize request.',
  "refresh token not found": "The refresh token is malformed or not valid.",
  "refresh token is expired": "The refresh token expired.",
  "refresh token already used": "The refresh token was already used.",
  "grant not found": "The refresh token is malformed or not valid.",
  "grant is expired": "The refresh token expired.",
  "code_verifier must be provided": "The PKCE code verifier must be at least 43 characters.",
  "code_verifier does not match code_challenge": "The PKCE code challenge did not match the code verifier.",
  "unsupported code_challenge_method": "The PKCE code challenge did not match the code verifier.",
};

/**
 * The debug text fosite gives the same invalid_grant cases, shown after the
 * hint only with oauth2.expose_internal_errors on (access_error.go
 * writeJsonError, WithExposeDebug): flow_authorize_code_token.go wraps the
 * storage's and the strategy's error with WithDebug(err.Error()) — the
 * persister's fosite.ErrNotFound, ValidateAuthorizeCode's ErrTokenExpired,
 * whose Error() is their name — and flow_refresh.go gives its own texts.
 */
const INVALID_GRANT_DEBUG: Record<string, string> = {
  "authorization code not found": "not_found",
  "authorization code is expired": "token_expired",
  "refresh token not found": "The refresh token can not be found.",
  "grant not found": "The refresh token can not be found.",
  "refresh token already used": "Refresh token re-use was detected. All related tokens have been revoked.",
};

/** oidc-provider's code_verifier format checks (thrown as invalid_request) and fosite's invalid_grant hints. */
const PKCE_FORMAT_HINTS: Record<string, string> = {
  "code_verifier must be a string with a minimum length of 43 characters": "The PKCE code verifier must be at least 43 characters.",
  "code_verifier must be a string with a maximum length of 128 characters": "The PKCE code verifier can not be longer than 128 characters.",
  "code_verifier contains invalid characters": "The PKCE code verifier must only contain [a-Z], [0-9], '-', '.', '_', '~'.",
};

const CREDENTIALS_MISSING = "Client credentials missing or malformed in both HTTP Authorization header and HTTP POST body.";
const MECHANISM_MISMATCH = "the provided authentication mechanism does not match the registered client authentication method";

export interface ProviderErrorLike {
  error?: string;
  error_description?: string;
  error_detail?: string;
  status?: number;
}

export interface TranslatedError {
  status: number;
  body: { error: string; error_description: string };
}

function answer(name: FositeErrorName, hint?: string | null): TranslatedError {
  return { status: FOSITE_ERRORS[name].status, body: { error: name, error_description: fositeDescription(name, hint) } };
}

/** The client authentication method a token request used (what fosite would call it). */
export function usedAuthMethod(ctx: KoaContextWithOIDC): string {
  const params = ctx.oidc?.params ?? {};
  if (ctx.headers.authorization !== undefined) return "client_secret_basic";
  if (params.client_secret) return "client_secret_post";
  if (params.client_assertion) return "private_key_jwt";
  return "none";
}

/** fosite's hint when a client authenticates with another method than the one it registered. */
export function authMethodMismatchHint(registered: string, used: string): string {
  return `The OAuth 2.0 Client supports client authentication method '${registered}', but method '${used}' was requested. You must configure the OAuth 2.0 client's 'token_endpoint_auth_method' value to accept '${used}'.`;
}

/**
 * translateTokenError's answer, with fosite's debug text for the case after
 * the description when `exposeDebug` (oauth2.expose_internal_errors) is on:
 * RFC6749Error.GetDescription appends it, double quotes made single.
 */
export function translateTokenErrorExposing(
  ctx: KoaContextWithOIDC,
  err: ProviderErrorLike,
  exposeDebug: boolean,
): TranslatedError | undefined {
  const translated = translateTokenError(ctx, err);
  const detail = err.error_detail ?? "";
  const debug =
    exposeDebug && translated?.body.error === "invalid_grant" && Object.hasOwn(INVALID_GRANT_DEBUG, detail)
      ? INVALID_GRANT_DEBUG[detail]
      : undefined;
  if (!translated || debug === undefined) return translated;
  return {
    ...translated,
    body: { ...translated.body, error_description: `${translated.body.error_description} ${debug.replaceAll('"', "'")}` },
  };
}

export function translateTokenError(ctx: KoaContextWithOIDC, err: ProviderErrorLike): TranslatedError | undefined {
  const name = err.error ?? "";
  // Already Hydra's, or not about the request (storage outage): leave as it is.
  if (err instanceof FositeProviderError || name === "temporarily_unavailable" || name === "server_error") return undefined;
  const grantType = ctx.oidc?.params?.grant_type;
  if (typeof grantType !== "string" || grantType === "") return answer("invalid_request", "Request parameter 'grant_type' is missing");
  if (!HYDRA_GRANT_TYPES.has(grantType)) return answer("invalid_request");
  const detail = err.error_detail ?? "";
  const description = err.error_description ?? "";
  switch (name) {
    case "invalid_client":
      if (detail === MECHANISM_MISMATCH && ctx.oidc?.client) {
        return answer(
          "invalid_client",
          authMethodMismatchHint(ctx.oidc.client.clientAuthMethod ?? "client_secret_basic", usedAuthMethod(ctx)),
        );
      }
      return answer("invalid_client", null);
    case "invalid_request":
      if (description === "requested grant type is not allowed for this client")
        return answer("unauthorized_client", UNAUTHORIZED_GRANT_HINTS[grantType] ?? null);
      if (Object.hasOwn(PKCE_FORMAT_HINTS, description)) return answer("invalid_grant", PKCE_FORMAT_HINTS[description] ?? null);
      if (/^no client authentication mechanism provided$|authorization header|properly encoded/.test(description))
        return answer("invalid_request", CREDENTIALS_MISSING);
      // rfc8628 looks an absent device_code up like any other (its signature is ""): not found, invalid_grant.
      if (description.startsWith("missing required parameter") && grantType === "urn:ietf:params:oauth:grant-type:device_code")
        return answer("invalid_grant", null);
      if (description.startsWith("missing required parameter")) return answer("invalid_request", null);
      return answer("invalid_request", null);
    case "invalid_grant":
      if (detail === "client mismatch") {
        return answer(
          "invalid_grant",
          grantType === "refresh_token"
            ? "The OAuth 2.0 Client ID from this request does not match the ID during the initial token issuance."
            : "The OAuth 2.0 Client ID from this request does not match the one from the authorize request.",
        );
      }
      return answer("invalid_grant", Object.hasOwn(INVALID_GRANT_HINTS, detail) ? INVALID_GRANT_HINTS[detail] : null);
    case "unsupported_grant_type":
      return answer("invalid_request");
    default:
      return isFositeErrorName(name) ? answer(name, null) : undefined;
  }
}
