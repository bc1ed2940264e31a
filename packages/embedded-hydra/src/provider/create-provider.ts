import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { audienceHint, requestedAudiences, unwhitelistedAudience } from "../clients/audience";
import { LIFESPANS_METADATA } from "../clients/lifespans";
import { ACCESS_TOKEN_STRATEGY_METADATA, AUDIENCE_METADATA, FULL_SCOPE_METADATA, PROVIDER_SCOPES } from "../clients/model";
import type { HydraConfig } from "../config/load";
import type { Deps } from "../deps";
import { DATABASE_RETRY_AFTER_SECONDS } from "../errors";
import { FositeProviderError } from "../fosite-errors";
import type { PrivateJwk } from "../keys/repository";
import { adapterFactory } from "../storage/adapter";
import { createFindAccount } from "./account";
import { memoizeClientMetadata } from "./client-metadata";
import { installAuthorizationResponses } from "./authorization-response";
import { installClientAuthentication } from "./client-auth";
import { GRANTED_AUDIENCE_EXTRA, installJwtAccessTokens } from "../tokens/jwt-access-tokens";
import { installJwtRevocation } from "../tokens/revocation";
import { globalSecret, installTokenValues } from "../tokens/token-values";
import { installIdTokenClaims } from "./id-token-claims";
import { pairwiseSubject } from "./pairwise";
import { subjectTypesSupported } from "../clients/subject-types";
import { interactionUrl } from "./interactions";
import { installFositeHeaders } from "./fosite-headers";
import { installCacheHeaders } from "./cache-headers";
import { installUiRedirectStatus } from "./ui-redirects";
import { createPostLogoutSuccessSource, createRenderError } from "./logout";
import { outboundFetch } from "./outbound-fetch";
import { installRefreshRotation } from "./refresh-rotation";
import { installGrantLifetime } from "../tokens/grant-lifetime";
import { requestContext } from "./request-context";
import { providerScopeSet } from "./scope-registry";
import { MARKER_PARAMS, originalRequest } from "./request-params";
import { translateTokenErrorExposing, type ProviderErrorLike } from "./token-errors";
import { tokenTtls } from "./token-ttl";
import { DEVICE_PROVIDER_ROUTES, deviceCodeTtl, deviceFlowFeature } from "../device/provider-options";
import { installDeviceCodeGrant } from "../device/token-grant";
import { installJwtBearerGrant, jwtBearerTokenExtra } from "../trust/jwt-bearer-grant";
import { installSharedAssertionReplay } from "../trust/client-assertion-replay";
import { TrustRepository } from "../trust/repository";
import { privateIpPolicyOf } from "../clients/private-ip-policy";
import { tokenEndpointUrls } from "../tokens/token-urls";
import { installFositeExpiry } from "../tokens/fosite-expiry";
import { installGoJsonBodies } from "./go-json-bodies";

const { Prompt, Check } = interactionPolicy;

/** Internal resource identifier client_credentials tokens are bound to (never shown to callers). */
export const CLIENT_SCOPES_RESOURCE = "urn:olympus:embedded-hydra:client-scopes";

/** Hydra-style routes (relative to the issuer) for oidc-provider's endpoints. */
export const ROUTES = {
  authorization: "/oauth2/auth",
  token: "/oauth2/token",
  revocation: "/oauth2/revoke",
  userinfo: "/userinfo",
  end_session: "/oauth2/sessions/logout",
  jwks: "/.well-known/jwks.json",
  introspection: "/oauth2/introspect",
} as const;

const STANDARD_CLAIMS: Record<string, string[]> = {
  email: ["email", "email_verified"],
  profile: [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
  ],
  phone: ["phone_number", "phone_number_verified"],
  address: ["address"],
};

/**
 * Hydra always hands each authorization request to the login UI and then to
 * the consent UI (telling them via `skip` when the user is remembered), so
 * both prompts are required until this request has their results.
 */
function hydraPolicy() {
  return [
    new Prompt(
      { name: "login", requestable: true },
      new Check("hydra_request", "the request passes Hydra's own checks", (ctx) => {
        assertHydraAuthorizeRequest(ctx);
        return false;
      }),
      new Check("hydra_login", "the login UI has not accepted this request yet", "login_required", (ctx) => !ctx.oidc.result?.login),
    ),
    new Prompt(
      { name: "consent", requestable: true },
      new Check(
        "hydra_consent",
        "the consent UI has not accepted this request yet",
        "consent_required",
        (ctx) => !ctx.oidc.result?.consent,
      ),
    ),
  ];
}

/** Hydra's "exact" scope strategy: every requested scope must be registered on the client (fosite's invalid_scope and hint). */
function assertRegisteredScopes(ctx: KoaContextWithOIDC, scope: string | undefined): void {
  const registered = ctx.oidc.client?.metadata()[FULL_SCOPE_METADATA];
  const allowed = new Set(typeof registered === "string" ? registered.split(" ") : []);
  for (const requested of (scope ?? "").split(" ").filter(Boolean)) {
    if (!allowed.has(requested))
      throw new FositeProviderError("invalid_scope", `The OAuth 2.0 Client is not allowed to request scope '${requested}'.`);
  }
}

/** The client's whitelisted audience (a copy in oidc-provider's client metadata). */
function clientAudience(ctx: KoaContextWithOIDC): string[] {
  const value = ctx.oidc.client?.metadata()[AUDIENCE_METADATA];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** fosite's MinParameterEntropy: `state` (always) and `nonce` (when sent) need at least this many characters. */
export const MIN_PARAMETER_ENTROPY = 8;

/**
 * What fosite's NewAuthorizeRequest checks that oidc-provider does not, in
 * fosite's order, before any login UI: every requested scope registered on
 * the client (validateAuthorizeScope), every requested audience whitelisted
 * (validateAudience), and a `state` of at least eight characters. A refusal
 * goes back to the client (oidc-provider has validated its redirect URI).
 */
function assertHydraAuthorizeRequest(ctx: KoaContextWithOIDC): void {
  // oidc-provider has dropped scopes no client registered by now: check the scope as sent.
  assertRegisteredScopes(ctx, originalRequest(ctx.oidc.params ?? {}).get("scope") ?? undefined);
  const refused = unwhitelistedAudience(clientAudience(ctx), requestedAudiences(ctx.oidc.params?.audience));
  if (refused !== undefined) throw new FositeProviderError("invalid_request", audienceHint(refused));
  const state = ctx.oidc.params?.state;
  if (typeof state !== "string" || state.length < MIN_PARAMETER_ENTROPY) {
    throw new FositeProviderError(
      "invalid_state",
      `Request parameter 'state' must be at least be ${MIN_PARAMETER_ENTROPY} characters long to ensure sufficient entropy.`,
    );
  }
  // The implicit and hybrid handlers check the nonce here (the code flow when it signs the ID token).
  const responseTypeParam = ctx.oidc.params?.response_type;
  const responseType = (typeof responseTypeParam === "string" ? responseTypeParam : "").split(" ");
  const nonce = ctx.oidc.params?.nonce;
  if (
    (responseType.includes("id_token") || responseType.includes("token")) &&
    typeof nonce === "string" &&
    nonce.length > 0 &&
    nonce.length < MIN_PARAMETER_ENTROPY
  ) {
    throw new FositeProviderError(
      "insufficient_entropy",
      `Parameter 'nonce' is set but does not satisfy the minimum entropy of ${MIN_PARAMETER_ENTROPY} characters.`,
    );
  }
}

/** Key under which a client_credentials token keeps the audience it was granted (read by introspection). */
export { GRANTED_AUDIENCE_EXTRA };

/**
 * The audience a client_credentials request asks for, all of it whitelisted
 * on the client (fosite's DefaultAudienceMatchingStrategy) or refused with
 * invalid_request, as Hydra grants it (oauth2/handler.go oauth2TokenExchange).
 */
function clientCredentialsAudience(ctx: KoaContextWithOIDC): string[] {
  const body = ctx.oidc.body;
  const requested = requestedAudiences(body?.audience);
  const refused = unwhitelistedAudience(clientAudience(ctx), requested);
  if (refused !== undefined) throw new FositeProviderError("invalid_request", audienceHint(refused));
  return requested;
}

/** How long oidc-provider keeps a browser's session (and its cookie); Hydra's remembered login may end sooner. */
export const PROVIDER_SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** oidc-provider's cookie options (session, interaction, resume): host-only, HttpOnly, SameSite from config, signed with the cookie secret. */
export function providerCookieOptions(config: HydraConfig) {
  const sameSite = config.serve.cookies.same_site_mode.toLowerCase() as "lax" | "strict" | "none";
  return { httpOnly: true, sameSite, signed: Boolean(config.secrets.cookie ?? config.secrets.system), overwrite: true };
}

/** The algorithms Hydra's key generator produces (jwk/generate.go), all usable to sign ID tokens here. */
const SIGNING_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
type SigningAlg = (typeof SIGNING_ALGS)[number];

function isSigningAlg(alg: string): alg is SigningAlg {
  return (SIGNING_ALGS as readonly string[]).includes(alg);
}

/** Keys oidc-provider can sign with: private, for signatures, of an algorithm it runs. */
function signingKeys(keys: PrivateJwk[]): PrivateJwk[] {
  return keys.filter((key) => key.d !== undefined && key.use !== "enc" && isSigningAlg(key.alg));
}

/**
 * Hydra lets implicit and hybrid clients use http and localhost redirect
 * URIs (client/validator.go only checks their syntax); oidc-provider's
 * documented recipe relaxes its own schema the same way.
 */
function allowHttpImplicitClients(provider: Provider): void {
  const schema = Reflect.get(provider.Client, "Schema") as { prototype: object };
  const invalidate = Reflect.get(schema.prototype, "invalidate") as (this: object, message: string, code?: string) => void;
  Reflect.set(schema.prototype, "invalidate", function invalidateUnlessHydraAllows(this: object, message: string, code?: string) {
    if (code === "implicit-force-https" || code === "implicit-forbid-localhost") return;
    invalidate.call(this, message, code);
  });
}

export interface ProviderKeys {
  /** hydra.openid.id-token, newest first: the first signs ID tokens and logout tokens. */
  idToken: PrivateJwk[];
  /** hydra.jwt.access-token, newest first: published too, as Hydra does. */
  accessToken: PrivateJwk[];
}

export function createProvider(deps: Deps, providerKeys: ProviderKeys): Provider {
  const idTokenKeys = signingKeys(providerKeys.idToken);
  const accessTokenKeys = signingKeys(providerKeys.accessToken);
  const keys = [...idTokenKeys, ...accessTokenKeys];
  // Hydra signs ID tokens with the newest key of the set, whatever its algorithm.
  const idTokenAlg = idTokenKeys[0]?.alg && isSigningAlg(idTokenKeys[0].alg) ? idTokenKeys[0].alg : "RS256";
  const { config } = deps;
  const topLevelClaims = config.oauth2.allowed_top_level_claims;
  const cookieKeys = config.secrets.cookie ?? config.secrets.system;
  const cookieOptions = providerCookieOptions(config);
  const { pkce } = config.oauth2;

  const configuration: Configuration = {
    adapter: adapterFactory(deps.db, deps.clients),
    clients: [],
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"],
    // CORS is Hydra's, decided by the public server (cors/public-cors.ts); oidc-provider must not refuse an origin itself.
    clientBasedCORS: () => true,
    claims: {
      // Hydra puts the login's acr/amr (and auth_time) into every ID token.
      // Listed under openid rather than as top-level entries: oidc-provider
      // drops a top-level acr unless acrValues restricts it, and Hydra
      // accepts any acr the login UI sends.
      openid: ["sub", "acr", "amr", "auth_time", ...topLevelClaims],
      ...STANDARD_CLAIMS,
    },
    scopes: PROVIDER_SCOPES,
    extraClientMetadata: {
      properties: [FULL_SCOPE_METADATA, LIFESPANS_METADATA, AUDIENCE_METADATA, ACCESS_TOKEN_STRATEGY_METADATA],
    },
    conformIdTokenClaims: false,
    cookies: {
      names: {
        session: config.serve.cookies.names.session,
        interaction: config.serve.cookies.names.login_csrf,
        resume: config.serve.cookies.names.consent_csrf,
      },
      long: cookieOptions,
      short: cookieOptions,
      ...(cookieKeys ? { keys: cookieKeys } : {}),
    },
    extraParams: ["audience", ...MARKER_PARAMS],
    fetch: outboundFetch(privateIpPolicyOf(config)),
    extraTokenClaims: (ctx, token) => {
      if (token.kind !== "ClientCredentials") return undefined;
      const jwtBearer = jwtBearerTokenExtra(ctx);
      if (jwtBearer) return jwtBearer;
      assertRegisteredScopes(ctx, ctx.oidc.params?.scope as string | undefined);
      return { [GRANTED_AUDIENCE_EXTRA]: clientCredentialsAudience(ctx) };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client may revoke only its own tokens (as in Hydra).
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      introspection: { enabled: false },
      userinfo: { enabled: true },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      // oidc-provider only issues non-OpenID scopes to a resource server; client_credentials
      // tokens get an implicit one whose scopes are the client's registered scopes.
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx) => (ctx.oidc.params?.grant_type === "client_credentials" ? CLIENT_SCOPES_RESOURCE : undefined),
        getResourceServerInfo: (ctx, resource, client) => {
          if (resource !== CLIENT_SCOPES_RESOURCE || ctx.oidc.params?.grant_type !== "client_credentials") {
            throw new errors.InvalidTarget("resource indicators are not supported");
          }
          // fosite's client_credentials handler checks the scope, then the audience, before anything else.
          assertRegisteredScopes(ctx, ctx.oidc.params?.scope as string | undefined);
          clientCredentialsAudience(ctx);
          const registered = client.metadata()[FULL_SCOPE_METADATA];
          return {
            scope: typeof registered === "string" ? registered : "",
            accessTokenFormat: "opaque",
            accessTokenTTL: config.ttl.access_token,
          };
        },
      },
      backchannelLogout: { enabled: true },
      deviceFlow: deviceFlowFeature(),
      // The public router answers /oauth2/sessions/logout itself, with Hydra's semantics
      // (public/logout.ts); oidc-provider keeps the discovery entry and the "signed out" page.
      rpInitiatedLogout: {
        enabled: true,
        postLogoutSuccessSource: createPostLogoutSuccessSource(deps),
      },
    },
    findAccount: createFindAccount(deps),
    subjectTypes: subjectTypesSupported(config),
    pairwiseIdentifier: (_ctx, accountId, client) =>
      pairwiseSubject(config.oidc.subject_identifiers.pairwise.salt ?? "", accountId, client),
    interactions: {
      policy: hydraPolicy(),
      url: (ctx, interaction) => interactionUrl(deps, ctx, interaction),
    },
    // Hydra's tokens are not bound to the login session: another authorization of the browser or a
    // logout leaves them valid (oidc-provider would end a token without offline_access with its session).
    expiresWithSession: () => false,
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && (code.scopes.has("offline_access") || code.scopes.has("offline")),
    jwks: { keys },
    enabledJWA: {
      idTokenSigningAlgValues: [...SIGNING_ALGS],
      clientAuthSigningAlgValues: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"],
    },
    clientDefaults: {
      grant_types: ["authorization_code"],
      response_types: ["code"],
      id_token_signed_response_alg: idTokenAlg,
      token_endpoint_auth_method: "client_secret_basic",
    },
    pkce: {
      required: (_ctx, client) => pkce.enforced || (pkce.enforced_for_public_clients && client.clientAuthMethod === "none"),
    },
    renderError: createRenderError(deps),
    // Hydra's response types (oauth2/handler.go discovery): code, implicit and hybrid.
    responseTypes: ["code", "id_token", "id_token token", "code id_token", "code token", "code id_token token"],
    // Hydra rotates every refresh token on use; reusing a rotated one revokes the whole grant.
    rotateRefreshToken: true,
    routes: { ...ROUTES, ...DEVICE_PROVIDER_ROUTES },
    ttl: {
      // Per-client lifespans override these (provider/token-ttl.ts).
      ...tokenTtls(config.ttl),
      Interaction: config.ttl.login_consent_request,
      DeviceCode: deviceCodeTtl(config),
      Grant: config.ttl.refresh_token,
      Session: PROVIDER_SESSION_TTL_SECONDS,
    },
  };

  const provider = new Provider(deps.issuer, configuration);
  // Behind Caddy the public URL is https; trust X-Forwarded-* like Hydra's serve.public does.
  provider.proxy = true;
  memoizeClientMetadata(provider);
  // Outermost: fosite's headers on the final token and revocation answers (provider/fosite-headers.ts).
  installFositeHeaders(provider, { token: ROUTES.token, revocation: ROUTES.revocation });
  // Hydra's Cache-Control on every other answer oidc-provider writes (provider/cache-headers.ts).
  installCacheHeaders(provider, new Set([ROUTES.token, ROUTES.revocation]));
  // Next: rewrites the final JSON body as Go writes it (provider/go-json-bodies.ts).
  installGoJsonBodies(provider, new Set([ROUTES.token, ROUTES.revocation]));
  // First: the model hooks below read the request they run in.
  provider.use((ctx, next) => requestContext.run(ctx as KoaContextWithOIDC, next));
  // The OAuth2 endpoints answer "database away" with oidc-provider's own 503 (storage/db.ts); say when to come back, as every other 503 of this server does.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 503 && !ctx.response.get("retry-after")) ctx.set("Retry-After", DATABASE_RETRY_AFTER_SECONDS);
  });
  // Hydra knows no difference between OpenID and other scopes (provider/scope-registry.ts).
  deps.clients.attachProviderScopes(providerScopeSet(provider));
  installTokenValues(provider, globalSecret(config.secrets.system));
  installFositeExpiry(provider);
  installClientAuthentication(provider);
  installAuthorizationResponses(provider);
  installUiRedirectStatus(provider);
  allowHttpImplicitClients(provider);
  installRefreshRotation(provider, deps.db);
  installGrantLifetime(provider, deps.db);
  installIdTokenClaims(provider, config.ttl, (grantId) => deps.sessions.consentByGrant(grantId));
  installJwtAccessTokens(provider, deps, { keys: accessTokenKeys });
  installJwtRevocation(provider, ROUTES.revocation);
  installDeviceCodeGrant(provider, deps.db);
  const trust = new TrustRepository(deps.db);
  installSharedAssertionReplay(provider, trust);
  installJwtBearerGrant(provider, {
    trust,
    config: config.oauth2.grant.jwt,
    tokenUrls: tokenEndpointUrls(deps.publicUrl, deps.issuer),
  });
  // Hydra puts the login session's sid into every ID token (oauth2/handler.go), which RP-initiated
  // logout by id_token_hint relies on; oidc-provider only does for back-channel "session required" clients.
  Reflect.set(provider.Client.prototype, "includeSid", () => true);
  // Token endpoint errors with fosite's names, order and descriptions (provider/token-errors.ts).
  provider.on("grant.error", (ctx: KoaContextWithOIDC, error: Error & ProviderErrorLike) => {
    const translated = translateTokenErrorExposing(ctx, error, config.oauth2.expose_internal_errors);
    if (!translated) return;
    ctx.status = translated.status;
    ctx.body = translated.body;
  });
  provider.on("server_error", (_ctx, error: Error) => deps.logger.log("error", "oidc-provider server error", { error: error.message }));
  return provider;
}
