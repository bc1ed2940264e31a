import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import { LIFESPANS_METADATA, type EnforcedLifespan, type LifespanNanos } from "../clients/lifespans";
import type { HydraConfig } from "../config/load";
import { NEVER_EXPIRES, NEVER_SECONDS } from "../config/ttl";
import { expiresAtOf, FOSITE_NO_EXPIRY, fositeExpiresAt, providerTtlSeconds, setExpiresAt } from "../tokens/fosite-expiry";

type TtlConfig = NonNullable<Configuration["ttl"]>;
interface ClientLike {
  metadata(): Record<string, unknown>;
}

function clientLifespans(client: ClientLike | undefined): LifespanNanos {
  const value = client?.metadata()[LIFESPANS_METADATA];
  // What toProviderMetadata stored there: lifespanNanos() of the client.
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

/** The client's lifespan for `field` in nanoseconds, else the instance-wide `ttl.*` (fosite's GetEffectiveLifespan). */
export function lifespanNanosFor(client: ClientLike | undefined, field: EnforcedLifespan, fallbackNanos: bigint): bigint {
  const own = clientLifespans(client)[field];
  return own !== undefined ? BigInt(own) : fallbackNanos;
}

/** Sets iat from the clock reading the expiry was taken from (fosite's RequestedAt precedes the expiry, never follows it). */
function setIssuedAt(token: object | undefined, nowMs: number): void {
  if (token && Reflect.get(token, "iat") === undefined) Reflect.set(token, "iat", Math.floor(nowMs / 1000));
}

/**
 * The ttl function oidc-provider calls once per token it mints: the token
 * keeps fosite's expiry instant (tokens/fosite-expiry.ts), oidc-provider
 * gets whole seconds that do not end before it.
 */
function minted(
  lifespan: (ctx: KoaContextWithOIDC | undefined, client: ClientLike | undefined) => bigint,
  roundToSecond: (ctx: KoaContextWithOIDC | undefined) => boolean,
) {
  return (ctx: KoaContextWithOIDC | undefined, token: object | undefined, client: ClientLike | undefined): number => {
    const now = Date.now();
    const expiresAt = fositeExpiresAt(now, lifespan(ctx, client), roundToSecond(ctx));
    setExpiresAt(token, expiresAt);
    setIssuedAt(token, now);
    return providerTtlSeconds(expiresAt, now);
  };
}

/** A code minted with an ID token or access token beside it (openid/flow_hybrid.go rounds its expiry). */
function isHybrid(ctx: KoaContextWithOIDC | undefined): boolean {
  const responseType = ctx?.oidc?.params?.response_type;
  return typeof responseType === "string" && responseType.split(" ").length > 1;
}

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** The lifespan field of an ID token minted in this request (fosite's GetEffectiveLifespan for IDToken). */
export function idTokenLifespanNanos(ctx: KoaContextWithOIDC | undefined, client: ClientLike | undefined, ttl: HydraConfig["ttl"]): bigint {
  const field: EnforcedLifespan = isImplicit(ctx)
    ? "implicit_grant_id_token_lifespan"
    : isRefreshGrant(ctx)
      ? "refresh_token_grant_id_token_lifespan"
      : isDeviceGrant(ctx)
        ? "device_authorization_grant_id_token_lifespan"
        : "authorization_code_grant_id_token_lifespan";
  return lifespanNanosFor(client, field, ttl.lifespans.id_token);
}

function refreshLifespanNanos(ctx: KoaContextWithOIDC | undefined, client: ClientLike | undefined, ttl: HydraConfig["ttl"]): bigint {
  return lifespanNanosFor(
    client,
    isRefreshGrant(ctx)
      ? "refresh_token_grant_refresh_token_lifespan"
      : isDeviceGrant(ctx)
        ? "device_authorization_grant_refresh_token_lifespan"
        : "authorization_code_grant_refresh_token_lifespan",
    ttl.lifespans.refresh_token,
  );
}

/**
 * A refresh token's life. A lifespan of -1 (`ttl.refresh_token: -1`, or a
 * client's `-1ns`) sets no expiry in fosite (`if rtLifespan > -1`), so the
 * session keeps the one it had: the refresh grant's new token inherits the
 * expiry of the token it replaces (flow_refresh.go clones that session),
 * the code and device grants' token never expires.
 */
function refreshTokenTtl(ttl: HydraConfig["ttl"]) {
  const bounded = minted(
    (ctx, client) => refreshLifespanNanos(ctx, client, ttl),
    () => true,
  );
  return (ctx: KoaContextWithOIDC | undefined, token: object | undefined, client: ClientLike | undefined): number => {
    if (refreshLifespanNanos(ctx, client, ttl) !== NEVER_EXPIRES) return bounded(ctx, token, client);
    const now = Date.now();
    setIssuedAt(token, now);
    const rotated: unknown = isRefreshGrant(ctx) ? Reflect.get(ctx?.oidc?.entities ?? {}, "RotatedRefreshToken") : undefined;
    const inherited = typeof rotated === "object" && rotated !== null ? expiresAtOf(rotated) : undefined;
    if (inherited !== undefined) {
      setExpiresAt(token, inherited);
      return providerTtlSeconds(inherited, now);
    }
    // introspectOAuth2Token's stand-in for a session without a refresh expiry: requested_at + ttl.refresh_token.
    if (token) Reflect.set(token, FOSITE_NO_EXPIRY, now + Number(ttl.lifespans.refresh_token) / 1e6);
    return NEVER_SECONDS;
  };
}

/**
 * oidc-provider's ttl functions with Hydra's precedence: a lifespan set on
 * the client wins over the instance-wide `ttl.*` for the grant that mints
 * the token (authorization_code, refresh_token, client_credentials, implicit,
 * device_code, jwt-bearer), and fosite's rounding: every handler rounds
 * the access and refresh token expiry to the second
 * (`time.Now().UTC().Add(lifespan).Round(time.Second)`) except
 * flow_client_credentials.go; the authorization code is rounded only in the
 * hybrid flow (flow_authorize_code_auth.go vs openid/flow_hybrid.go).
 */
export function tokenTtls(ttl: HydraConfig["ttl"]): TtlConfig {
  const rounded = () => true;
  return {
    AccessToken: minted(
      (ctx, client) =>
        lifespanNanosFor(
          client,
          isImplicit(ctx)
            ? "implicit_grant_access_token_lifespan"
            : isRefreshGrant(ctx)
              ? "refresh_token_grant_access_token_lifespan"
              : isDeviceGrant(ctx)
                ? "device_authorization_grant_access_token_lifespan"
                : "authorization_code_grant_access_token_lifespan",
          ttl.lifespans.access_token,
        ),
      rounded,
    ),
    // The JWT-bearer grant mints oidc-provider ClientCredentials tokens too (trust/jwt-bearer-grant.ts); rfc7523 rounds, client_credentials does not.
    ClientCredentials: minted(
      (ctx, client) =>
        lifespanNanosFor(
          client,
          ctx?.oidc?.params?.grant_type === JWT_BEARER
            ? "jwt_bearer_grant_access_token_lifespan"
            : "client_credentials_grant_access_token_lifespan",
          ttl.lifespans.access_token,
        ),
      (ctx) => ctx?.oidc?.params?.grant_type === JWT_BEARER,
    ),
    RefreshToken: refreshTokenTtl(ttl),
    // Used only where provider/id-token-claims.ts cannot hand oidc-provider fosite's instant (see there).
    IdToken: (ctx, _token, client) => Math.max(1, Math.round(Number(idTokenLifespanNanos(ctx, client, ttl)) / 1e9)),
    AuthorizationCode: minted(
      () => ttl.lifespans.auth_code,
      (ctx) => isHybrid(ctx),
    ),
  };
}
