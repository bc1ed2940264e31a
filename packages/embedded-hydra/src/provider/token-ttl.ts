import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import { LIFESPANS_METADATA, type EnforcedLifespan, type LifespanSeconds } from "../clients/lifespans";
import type { HydraConfig } from "../config/load";

type TtlConfig = NonNullable<Configuration["ttl"]>;
interface ClientLike {
  metadata(): Record<string, unknown>;
}

function clientLifespans(client: ClientLike | undefined): LifespanSeconds {
  const value = client?.metadata()[LIFESPANS_METADATA];
  // What toProviderMetadata stored there: lifespanSeconds() of the client.
  return typeof value === "object" && value !== null ? value : {};
}

/** Tokens minted by the refresh_token grant use its lifespans; everything else here comes from a code exchange. */
function isRefreshGrant(ctx: KoaContextWithOIDC | undefined): boolean {
  return ctx?.oidc?.params?.grant_type === "refresh_token";
}

/** Tokens minted by the device_code grant use the client's device_authorization_grant_* lifespans (fosite rfc8628 getGrantType). */
function isDeviceGrant(ctx: KoaContextWithOIDC | undefined): boolean {
  return ctx?.oidc?.params?.grant_type === "urn:ietf:params:oauth:grant-type:device_code";
}

/** Tokens minted at the authorization endpoint belong to the implicit grant (also in the hybrid flow). */
function isImplicit(ctx: KoaContextWithOIDC | undefined): boolean {
  const route = ctx?.oidc?.route;
  return route === "authorization" || route === "resume";
}

function pick(client: ClientLike | undefined, field: EnforcedLifespan, fallback: number): number {
  return clientLifespans(client)[field] ?? fallback;
}

/**
 * oidc-provider's ttl functions with Hydra's precedence: a lifespan set on
 * the client wins over the instance-wide `ttl.*` for the grant that mints
 * the token (authorization_code, refresh_token, client_credentials, implicit, device_code).
 */
export function tokenTtls(ttl: HydraConfig["ttl"]): TtlConfig {
  return {
    AccessToken: (ctx, _token, client) =>
      isImplicit(ctx)
        ? pick(client, "implicit_grant_access_token_lifespan", ttl.access_token)
        : isRefreshGrant(ctx)
          ? pick(client, "refresh_token_grant_access_token_lifespan", ttl.access_token)
          : isDeviceGrant(ctx)
            ? pick(client, "device_authorization_grant_access_token_lifespan", ttl.access_token)
            : pick(client, "authorization_code_grant_access_token_lifespan", ttl.access_token),
    // The JWT-bearer grant mints oidc-provider ClientCredentials tokens too (trust/jwt-bearer-grant.ts).
    ClientCredentials: (ctx, _token, client) =>
      ctx?.oidc?.params?.grant_type === "urn:ietf:params:oauth:grant-type:jwt-bearer"
        ? pick(client, "jwt_bearer_grant_access_token_lifespan", ttl.access_token)
        : pick(client, "client_credentials_grant_access_token_lifespan", ttl.access_token),
    IdToken: (ctx, _token, client) =>
      isImplicit(ctx)
        ? pick(client, "implicit_grant_id_token_lifespan", ttl.id_token)
        : isRefreshGrant(ctx)
          ? pick(client, "refresh_token_grant_id_token_lifespan", ttl.id_token)
          : isDeviceGrant(ctx)
            ? pick(client, "device_authorization_grant_id_token_lifespan", ttl.id_token)
            : pick(client, "authorization_code_grant_id_token_lifespan", ttl.id_token),
    RefreshToken: (ctx, _token, client) =>
      isRefreshGrant(ctx)
        ? pick(client, "refresh_token_grant_refresh_token_lifespan", ttl.refresh_token)
        : isDeviceGrant(ctx)
          ? pick(client, "device_authorization_grant_refresh_token_lifespan", ttl.refresh_token)
          : pick(client, "authorization_code_grant_refresh_token_lifespan", ttl.refresh_token),
    AuthorizationCode: ttl.auth_code,
  };
}
