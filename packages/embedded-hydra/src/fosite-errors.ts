import { errors } from "oidc-provider";
import { HydraError } from "./errors";

/**
 * fosite's RFC 6749 errors (fosite/errors.go), which is what Hydra's OAuth2
 * endpoints, its redirects and several admin answers are made of: the error
 * name, its fixed description, its status, and the hint a handler appends.
 * Hydra does not use the legacy format, so the hint is folded into
 * `error_description` (RFC6749Error.GetDescription, which also turns `"`
 * into `'`).
 */
export const FOSITE_ERRORS = {
  invalid_request: {
    status: 400,
    description:
      "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
    defaultHint:
      "Make sure that the various parameters are correct, be aware of case sensitivity and trim your parameters. Make sure that the client you are using has exactly whitelisted the redirect_uri you specified.",
  },
  unauthorized_client: {
    status: 400,
    description: "The client is not authorized to request a token using this method.",
    defaultHint: "Make sure that client id and secret are correctly specified and that the client exists.",
  },
  access_denied: {
    status: 403,
    description: "The resource owner or authorization server denied the request.",
    defaultHint:
      "Make sure that the request you are making is valid. Maybe the credential or request parameters you are using are limited in scope or otherwise restricted.",
  },
  unsupported_response_type: { status: 400, description: "The authorization server does not support obtaining a token using this method." },
  unsupported_response_mode: {
    status: 400,
    description: "The authorization server does not support obtaining a response using this response mode.",
  },
  invalid_scope: { status: 400, description: "The requested scope is invalid, unknown, or malformed." },
  server_error: {
    status: 500,
    description: "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.",
  },
  temporarily_unavailable: {
    status: 503,
    description:
      "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server.",
  },
  unsupported_grant_type: { status: 400, description: "The authorization grant type is not supported by the authorization server." },
  invalid_grant: {
    status: 400,
    description:
      "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  },
  invalid_client: {
    status: 401,
    description:
      "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).",
  },
  insufficient_entropy: {
    status: 400,
    description: "The request used a security parameter (e.g., anti-replay, anti-csrf) with insufficient entropy.",
  },
  invalid_state: {
    status: 400,
    description: "The state is missing or does not have enough characters and is therefore considered too weak.",
  },
  request_forbidden: {
    status: 403,
    description: "The request is not allowed.",
    defaultHint: "You are not allowed to perform this action.",
  },
  login_required: { status: 400, description: "The Authorization Server requires End-User authentication." },
  interaction_required: { status: 400, description: "The Authorization Server requires End-User interaction of some form to proceed." },
  consent_required: { status: 400, description: "The Authorization Server requires End-User consent." },
  request_not_supported: { status: 400, description: "The OP does not support use of the request parameter." },
  request_uri_not_supported: { status: 400, description: "The OP does not support use of the request_uri parameter." },
  registration_not_supported: { status: 400, description: "The OP does not support use of the registration parameter." },
  invalid_request_uri: {
    status: 400,
    description: "The request_uri in the Authorization Request returns an error or contains invalid data.",
  },
  invalid_request_object: { status: 400, description: "The request parameter contains an invalid Request Object." },
  jti_known: { status: 400, description: "The jti was already used." },
  authorization_pending: {
    status: 400,
    description: "The authorization request is still pending as the end user hasn't yet completed the user-interaction steps.",
  },
  slow_down: {
    status: 400,
    description: "The authorization request was rate-limited to prevent system overload.",
    defaultHint: "Ensure that you don't call the token endpoint sooner than the polling interval",
  },
  expired_token: { status: 400, description: "The device_code has expired, and the device authorization session has concluded." },
  token_inactive: {
    status: 401,
    description: "Token is inactive because it is malformed, expired or otherwise invalid.",
    defaultHint: "Token validation failed.",
  },
  request_unauthorized: {
    status: 401,
    description: "The request could not be authorized.",
    defaultHint: "Check that you provided valid credentials in the right format.",
  },
} as const satisfies Record<string, { status: number; description: string; defaultHint?: string }>;

export type FositeErrorName = keyof typeof FOSITE_ERRORS;

export function isFositeErrorName(name: string): name is FositeErrorName {
  return Object.hasOwn(FOSITE_ERRORS, name);
}

/**
 * `error_description` as fosite writes it: the error's description, then the
 * hint (the error's default hint when the handler gave none, none when it
 * passes `null`), with double quotes turned into single ones.
 */
export function fositeDescription(name: FositeErrorName, hint?: string | null): string {
  const entry: { description: string; defaultHint?: string } = FOSITE_ERRORS[name];
  const chosen = hint === undefined ? entry.defaultHint : hint;
  return (chosen ? `${entry.description} ${chosen}` : entry.description).replaceAll('"', "'");
}

/** A fosite error for the admin API and the glue (rendered as `{error, error_description}`). */
export function fositeHydraError(name: FositeErrorName, hint?: string | null): HydraError {
  return new HydraError(FOSITE_ERRORS[name].status, name, fositeDescription(name, hint));
}

/**
 * A fosite error thrown inside oidc-provider's request handling: oidc-provider
 * renders it (JSON at the token endpoint, a redirect to the client at the
 * authorization endpoint) with exactly this name, description and status.
 */
export class FositeProviderError extends errors.CustomOIDCProviderError {
  constructor(name: FositeErrorName, hint?: string | null) {
    super(name, fositeDescription(name, hint));
    const { status } = FOSITE_ERRORS[name];
    this.status = status;
    this.statusCode = status;
    this.expose = true;
  }
}
