import type { Deps } from "../deps";
import { ID_TOKEN_KEY_SET } from "../keys/repository";
import { subjectTypesSupported } from "../clients/subject-types";

/**
 * Hydra's discovery document (oauth2/handler.go discoverOidcConfiguration),
 * served at both /.well-known/openid-configuration and
 * /.well-known/oauth-authorization-server, field for field: the signing
 * algorithm is the current ID token key's, the claims and scopes are
 * Hydra's defaults plus `webfinger.oidc_discovery.*`, and
 * `registration_endpoint` appears only when configured.
 */
export async function discoveryDocument(deps: Deps): Promise<Record<string, unknown>> {
  const [signer] = await deps.keys.list(ID_TOKEN_KEY_SET);
  const alg = signer?.alg ?? "RS256";
  const issuer = deps.issuer;
  const publicUrl = deps.publicUrl;
  const { oidc_discovery: discovery } = deps.config.webfinger;
  const unique = (values: string[]) => [...new Set(values)];
  return {
    issuer,
    authorization_endpoint: `${publicUrl}oauth2/auth`,
    device_authorization_endpoint: `${publicUrl}oauth2/device/auth`,
    ...(discovery.client_registration_url ? { registration_endpoint: discovery.client_registration_url } : {}),
    token_endpoint: `${publicUrl}oauth2/token`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    subject_types_supported: subjectTypesSupported(deps.config),
    response_types_supported: ["code", "code id_token", "id_token", "token id_token", "token", "token id_token code"],
    claims_supported: unique(["sub", ...discovery.supported_claims]),
    grant_types_supported: [
      "authorization_code",
      "implicit",
      "client_credentials",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:device_code",
    ],
    response_modes_supported: ["query", "fragment", "form_post"],
    userinfo_endpoint: `${publicUrl}userinfo`,
    scopes_supported: unique(["offline_access", "offline", "openid", ...discovery.supported_scope]),
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic", "private_key_jwt", "none"],
    userinfo_signing_alg_values_supported: ["none", alg],
    id_token_signing_alg_values_supported: [alg],
    id_token_signed_response_alg: [alg],
    userinfo_signed_response_alg: [alg],
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
    require_request_uri_registration: true,
    claims_parameter_supported: false,
    revocation_endpoint: `${issuer}oauth2/revoke`,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    end_session_endpoint: `${issuer}oauth2/sessions/logout`,
    request_object_signing_alg_values_supported: ["none", "RS256", "ES256"],
    code_challenge_methods_supported: ["plain", "S256"],
    credentials_endpoint_draft_00: `${publicUrl}credentials`,
    credentials_supported_draft_00: [
      {
        format: "jwt_vc_json",
        types: ["VerifiableCredential", "UserInfoCredential"],
        cryptographic_binding_methods_supported: ["jwk"],
        cryptographic_suites_supported: ["PS256", "RS256", "ES256", "PS384", "RS384", "ES384", "PS512", "RS512", "ES512", "EdDSA"],
      },
    ],
  };
}
