import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { LIFESPANS_METADATA } from "../clients/lifespans";
import { FULL_SCOPE_METADATA, PROVIDER_SCOPES } from "../clients/model";
import { verifyClientSecret } from "../clients/secret-hash";
import type { HydraConfig } from "../config/load";
import type { HydraContext } from "../context";
import { DATABASE_RETRY_AFTER_SECONDS } from "../errors";
import type { PrivateJwk } from "../storage/keys-repo";
import { adapterFactory } from "../storage/adapter";
import { createFindAccount } from "./account";
import { INJECTED_PROMPT_PARAM, interactionUrl, REGISTRATION_PROMPT_PARAM } from "./interactions";
import { createPostLogoutSuccessSource, createRenderError } from "./logout";
import { outboundFetch } from "./outbound-fetch";
import { tokenTtls } from "./token-ttl";

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
  profile: ["name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"],
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
      new Check("hydra_scope", "the requested scope is registered on the client", (ctx) => {
        assertRegisteredScopes(ctx, ctx.oidc.params?.scope as string | undefined);
        return false;
      }),
      new Check("hydra_login", "the login UI has not accepted this request yet", "login_required", (ctx) => !ctx.oidc.result?.login),
    ),
    new Prompt(
      { name: "consent", requestable: true },
      new Check("hydra_consent", "the consent UI has not accepted this request yet", "consent_required", (ctx) => !ctx.oidc.result?.consent),
    ),
  ];
}

/** Hydra's "exact" scope strategy: every requested scope must be registered on the client. */
function assertRegisteredScopes(ctx: KoaContextWithOIDC, scope: string | undefined): void {
  const registered = ctx.oidc.client?.metadata()[FULL_SCOPE_METADATA];
  const allowed = new Set(typeof registered === "string" ? registered.split(" ") : []);
  for (const requested of (scope ?? "").split(" ").filter(Boolean)) {
    if (!allowed.has(requested)) throw new errors.InvalidScope("requested scope is not allowed", requested);
  }
}

/** oidc-provider's cookie options (session, interaction, resume): host-only, HttpOnly, SameSite from config, signed with the cookie secret. */
export function providerCookieOptions(config: HydraConfig) {
  const sameSite = config.serve.cookies.same_site_mode.toLowerCase() as "lax" | "strict" | "none";
  return { httpOnly: true, sameSite, signed: Boolean(config.secrets.cookie ?? config.secrets.system), overwrite: true };
}

export function createProvider(hctx: HydraContext, keys: PrivateJwk[]): Provider {
  const { config } = hctx;
  const topLevelClaims = config.oauth2.allowed_top_level_claims;
  const cookieKeys = config.secrets.cookie ?? config.secrets.system;
  const cookieOptions = providerCookieOptions(config);
  const corsOrigins = new Set(config.serve.public.cors.enabled ? config.serve.public.cors.allowed_origins : []);
  const { pkce } = config.oauth2;

  const configuration: Configuration = {
    adapter: adapterFactory(hctx.db, hctx.clients),
    clients: [],
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    clientBasedCORS: (_ctx, origin) => corsOrigins.has("*") || corsOrigins.has(origin),
    claims: {
      // Hydra puts the login's acr/amr (and auth_time) into every ID token.
      // Listed under openid rather than as top-level entries: oidc-provider
      // drops a top-level acr unless acrValues restricts it, and Hydra
      // accepts any acr the login UI sends.
      openid: ["sub", "acr", "amr", "auth_time", ...topLevelClaims],
      ...STANDARD_CLAIMS,
    },
    scopes: PROVIDER_SCOPES,
    extraClientMetadata: { properties: [FULL_SCOPE_METADATA, LIFESPANS_METADATA] },
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
    extraParams: ["audience", INJECTED_PROMPT_PARAM, REGISTRATION_PROMPT_PARAM],
    fetch: outboundFetch(config.clients.http.disallow_private_ip_ranges),
    extraTokenClaims: (ctx, token) => {
      if (token.kind === "ClientCredentials") assertRegisteredScopes(ctx, ctx.oidc.params?.scope as string | undefined);
      return undefined;
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
          const registered = client.metadata()[FULL_SCOPE_METADATA];
          return { scope: typeof registered === "string" ? registered : "", accessTokenFormat: "opaque", accessTokenTTL: config.ttl.access_token };
        },
      },
      backchannelLogout: { enabled: true },
      // The public router answers /oauth2/sessions/logout itself, with Hydra's semantics
      // (public/logout.ts); oidc-provider keeps the discovery entry and the "signed out" page.
      rpInitiatedLogout: {
        enabled: true,
        postLogoutSuccessSource: createPostLogoutSuccessSource(hctx),
      },
    },
    findAccount: createFindAccount(hctx),
    interactions: {
      policy: hydraPolicy(),
      url: (ctx, interaction) => interactionUrl(hctx, ctx, interaction),
    },
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && (code.scopes.has("offline_access") || code.scopes.has("offline")),
    jwks: { keys },
    pkce: {
      required: (_ctx, client) => pkce.enforced || (pkce.enforced_for_public_clients && client.clientAuthMethod === "none"),
    },
    renderError: createRenderError(hctx),
    responseTypes: ["code"],
    // Hydra rotates every refresh token on use; reusing a rotated one revokes the whole grant.
    rotateRefreshToken: true,
    routes: ROUTES,
    ttl: {
      // Per-client lifespans override these (provider/token-ttl.ts).
      ...tokenTtls(config.ttl),
      Interaction: config.ttl.login_consent_request,
      Grant: config.ttl.refresh_token,
      Session: 30 * 24 * 3600,
    },
  };

  const provider = new Provider(hctx.issuer, configuration);
  // Behind Caddy the public URL is https; trust X-Forwarded-* like Hydra's serve.public does.
  provider.proxy = true;
  // The OAuth2 endpoints answer "database away" with oidc-provider's own 503 (storage/db.ts); say when to come back, as every other 503 of this server does.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 503 && !ctx.response.get("retry-after")) ctx.set("Retry-After", DATABASE_RETRY_AFTER_SECONDS);
  });
  // Client secrets are stored hashed (clients/secret-hash.ts); compare against the hash.
  provider.Client.prototype.compareClientSecret = function compareHashed(this: { clientSecret?: string }, actual: string) {
    return this.clientSecret ? verifyClientSecret(actual, this.clientSecret) : false;
  };
  // Hydra puts the login session's sid into every ID token (oauth2/handler.go), which RP-initiated
  // logout by id_token_hint relies on; oidc-provider only does for back-channel "session required" clients.
  Reflect.set(provider.Client.prototype, "includeSid", () => true);
  provider.on("server_error", (_ctx, error: Error) => hctx.logger.log("error", "oidc-provider server error", { error: error.message }));
  return provider;
}
