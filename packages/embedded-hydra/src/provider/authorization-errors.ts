import { fositeDescription, isFositeErrorName, type FositeErrorName } from "../fosite-errors";

/**
 * oidc-provider's authorization endpoint errors as fosite words them
 * (fosite/authorize_request_handler.go, authorize_helper.go,
 * handler/pkce/handler.go, handler/openid/validator.go): same name where
 * both agree, fosite's name where they do not (a mismatching redirect_uri is
 * invalid_request, a response type the client lacks is
 * unsupported_response_type), fosite's description and hint. Applied to the
 * error page (provider/logout.ts renderError) and to error redirects to the
 * client (toFositeErrorParameters below).
 */
export interface OAuthErrorOut {
  error: string;
  error_description?: string | undefined;
}

type Rule = [name: FositeErrorName, hint: string | null];

const BY_DESCRIPTION: Record<string, Rule> = {
  "client is invalid": ["invalid_client", "The requested OAuth 2.0 Client does not exist."],
  "redirect_uri did not match any of the client's registered redirect_uris": [
    "invalid_request",
    "The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered redirect urls.",
  ],
  "missing required parameter 'redirect_uri'": [
    "invalid_request",
    "The 'redirect_uri' parameter is required when using OpenID Connect 1.0.",
  ],
  "missing required parameter 'response_type'": ["unsupported_response_type", "`The request is missing the 'response_type' parameter."],
  "missing required parameter 'nonce'": ["invalid_request", "Parameter 'nonce' must be set when using the OpenID Connect Implicit Flow."],
  "prompt none must only be used alone": [
    "invalid_request",
    "Parameter 'prompt' was set to 'none', but contains other values as well which is not allowed.",
  ],
  "Authorization Server policy requires PKCE to be used for this request": [
    "invalid_request",
    "This client must include a code_challenge when performing the authorize code flow, but it is missing.",
  ],
  "not supported value of code_challenge_method": ["invalid_request", "The code_challenge_method is not supported, use S256 instead."],
  "code_challenge_method must be provided": ["invalid_request", "Clients must use code_challenge_method=S256, plain is not allowed."],
};

export function translateAuthorizationError(out: OAuthErrorOut, params: URLSearchParams): OAuthErrorOut | undefined {
  const description = out.error_description ?? "";
  // Already fosite's (thrown by the embedded server's own checks).
  if (isFositeErrorName(out.error) && description.startsWith(fositeDescription(out.error, null))) return undefined;
  const rule = BY_DESCRIPTION[description];
  if (rule) return { error: rule[0], error_description: fositeDescription(rule[0], rule[1]) };
  if (description === "requested response_type is not allowed for this client" || out.error === "unsupported_response_type") {
    return {
      error: "unsupported_response_type",
      error_description: fositeDescription(
        "unsupported_response_type",
        `The client is not allowed to request response_type '${params.get("response_type") ?? ""}'.`,
      ),
    };
  }
  if (description === "unsupported prompt value requested") {
    const unknown =
      (params.get("prompt") ?? "")
        .split(" ")
        .find((prompt) => !["none", "login", "consent", "select_account", "registration"].includes(prompt)) ?? "";
    return {
      error: "invalid_request",
      error_description: fositeDescription("invalid_request", `Used unknown value '${unknown}' for prompt parameter`),
    };
  }
  if (isFositeErrorName(out.error)) return { error: out.error, error_description: fositeDescription(out.error, null) };
  return undefined;
}

/**
 * fosite's authorization error answer carries `error`, `error_description`
 * and `state` (fosite/authorize_error.go); oidc-provider adds `iss` (RFC 9207)
 * and, for invalid_scope, `scope`. Its parameters are rewritten in place to
 * fosite's words and parameters (`error`, `error_description`, `state`);
 * false when they hold no error. Used by every response mode
 * (provider/authorization-response.ts).
 *
 * `rejection` is the login/consent UI's own error when the answer ends a
 * rejected flow: Hydra hands it to fosite as it is (flow/consent_types.go
 * RequestDeniedError.ToRFCError), and with no message catalog configured
 * (fositex/config.go GetMessageCatalog) fosite's GetDescription keeps its
 * description even under one of fosite's own names, so it is not
 * translated. oidc-provider's rendering of it cannot be used either: its
 * error classes put their default description in place of an empty one and
 * drop it for some names (resume.js, helpers/errors.js).
 */
export function toFositeErrorParameters(params: URLSearchParams, request: URLSearchParams, rejection?: OAuthErrorOut): boolean {
  const error = params.get("error");
  if (!error) return false;
  const translated = rejection ??
    translateAuthorizationError({ error, error_description: params.get("error_description") ?? undefined }, request) ?? {
      error,
      error_description: params.get("error_description") ?? "",
    };
  params.set("error", translated.error);
  params.set("error_description", translated.error_description ?? "");
  params.delete("iss");
  params.delete("scope");
  if (!params.has("state")) params.set("state", "");
  return true;
}
