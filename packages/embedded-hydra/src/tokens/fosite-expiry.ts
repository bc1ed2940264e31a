import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";

/**
 * Token expiry as fosite keeps it. fosite stores each token's expiry as a
 * time.Time (handler/oauth2 flow_*.go: `time.Now().UTC().Add(lifespan)`,
 * rounded to the second by every handler except client_credentials and the
 * plain code flow's authorization code), refuses the token once that instant
 * is before now (strategy_hmacsha_plain.go Validate*), answers `expires_in`
 * as the remaining duration cut to whole seconds (helper.go getExpiresIn,
 * access_response.go SetExpiresIn) and `exp` as its Unix seconds.
 *
 * oidc-provider counts a token's life in whole positive seconds. The token
 * keeps fosite's instant beside that in its payload (milliseconds with a
 * fraction: Node's clock has no nanoseconds, Postgres timestamps hold
 * microseconds); storage/adapter.ts writes it as the row's expiry, so the
 * row is not found from that instant on, and oidc-provider's own whole-second
 * life is made to end no earlier.
 */

/** Payload field with fosite's expiry instant (epoch milliseconds, fraction allowed). */
export const FOSITE_EXPIRES_AT = "fositeExpiresAt";

/**
 * Payload field with the instant a stored row stops being found, when that is
 * not FOSITE_EXPIRES_AT: a JWT access token is valid while the current Unix
 * second is at most its `exp` claim (fosite/token/jwt/map_claims.go
 * verifyExp, through DefaultJWTStrategy.ValidateAccessToken), so until the
 * end of that second.
 */
export const FOSITE_VALID_UNTIL = "fositeValidUntil";

/**
 * Payload field of a refresh token fosite gives no expiry (a refresh
 * lifespan of -1: flow_refresh.go, flow_authorize_code_token.go and
 * rfc8628/token_handler.go set one only when `rtLifespan > -1`;
 * strategy_hmacsha_plain.go ValidateRefreshToken then never refuses it).
 * Its value is the instant introspection reports as `exp` (epoch ms):
 * oauth2/handler.go introspectOAuth2Token's `requested_at +
 * ttl.refresh_token` for a session without one, taken when the token is minted.
 */
export const FOSITE_NO_EXPIRY = "fositeNoExpiry";

/** The token models minted with a fosite expiry. */
const MODELS = ["AccessToken", "ClientCredentials", "RefreshToken", "AuthorizationCode"] as const;

/** fosite's expiry for a lifespan started at `nowMs`: `now.Add(lifespan)`, `.Round(time.Second)` where the handler rounds. */
export function fositeExpiresAt(nowMs: number, lifespanNanos: bigint, roundToSecond: boolean): number {
  const exact = nowMs + Number(lifespanNanos) / 1e6;
  // Go's Round rounds halves up (away from zero for times after year 1).
  return roundToSecond ? Math.floor(exact / 1000 + 0.5) * 1000 : exact;
}

/** fosite's `expires_in`: `int64(time.Duration(exp - now) / time.Second)`, truncated toward zero (negative for a token born expired). */
export function fositeExpiresIn(expiresAtMs: number, nowMs: number): number {
  return Math.trunc((expiresAtMs - nowMs) / 1000) || 0;
}

/** The whole seconds oidc-provider is given: at least one, never ending before fosite's instant. */
export function providerTtlSeconds(expiresAtMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil(expiresAtMs / 1000) - Math.floor(nowMs / 1000));
}

/** fosite's expiry of a token model instance or stored payload, when it was minted with one. */
export function expiresAtOf(token: object | undefined): number | undefined {
  const value: unknown = token ? Reflect.get(token, FOSITE_EXPIRES_AT) : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The `exp` instant introspection reports for a token minted without an expiry (FOSITE_NO_EXPIRY), else undefined. */
export function noExpiryReportOf(token: object | undefined): number | undefined {
  const value: unknown = token ? Reflect.get(token, FOSITE_NO_EXPIRY) : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The instant introspection's `exp` names (epoch ms): fosite's expiry, or Hydra's stand-in for a token without one. */
export function reportedExpiresAtOf(token: object | undefined): number | undefined {
  return expiresAtOf(token) ?? noExpiryReportOf(token);
}

/**
 * When a stored row stops being found: FOSITE_VALID_UNTIL, else fosite's
 * expiry, never (Infinity: Postgres' `infinity`) for a token without one,
 * else undefined (oidc-provider's seconds).
 */
export function validUntilOf(payload: object): number | undefined {
  const until: unknown = Reflect.get(payload, FOSITE_VALID_UNTIL);
  if (typeof until === "number" && Number.isFinite(until)) return until;
  return noExpiryReportOf(payload) !== undefined ? Number.POSITIVE_INFINITY : expiresAtOf(payload);
}

/** A JWT's validity for fosite's expiry: through the second its `exp` claim names. */
export function jwtValidUntil(expiresAtMs: number): number {
  return (unixSeconds(expiresAtMs) + 1) * 1000;
}

/** Sets fosite's expiry on a token being minted (read back by oidc-provider's payload picking). */
export function setExpiresAt(token: object | undefined, expiresAtMs: number): void {
  if (token) Reflect.set(token, FOSITE_EXPIRES_AT, expiresAtMs);
}

/** Unix seconds of fosite's expiry (`exp` in introspection and JWTs: time.Time.Unix, rounding down). */
export function unixSeconds(expiresAtMs: number): number {
  return Math.floor(expiresAtMs / 1000);
}

/**
 * Lets the token models carry FOSITE_EXPIRES_AT in their stored payload
 * (oidc-provider keeps only the fields a model lists in IN_PAYLOAD), and
 * answers the token endpoint's `expires_in` as fosite computes it.
 */
export function installFositeExpiry(provider: Provider): void {
  for (const name of MODELS) {
    const model = Reflect.get(provider, name) as object;
    const fields = Reflect.get(model, "IN_PAYLOAD") as unknown;
    if (!Array.isArray(fields)) throw new TypeError(`oidc-provider model ${name} has no IN_PAYLOAD list`);
    const extended = [...(fields as string[]), FOSITE_EXPIRES_AT, FOSITE_NO_EXPIRY];
    Object.defineProperty(model, "IN_PAYLOAD", { configurable: true, get: () => extended });
  }
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC["oidc"] | undefined;
    if (oidc?.route !== "token" || ctx.status !== 200) return;
    const body: unknown = ctx.body;
    if (typeof body !== "object" || body === null || !("expires_in" in body)) return;
    const entities = oidc.entities as { AccessToken?: object; ClientCredentials?: object };
    const expiresAt = expiresAtOf(entities.AccessToken ?? entities.ClientCredentials);
    if (expiresAt !== undefined) Reflect.set(body, "expires_in", fositeExpiresIn(expiresAt, Date.now()));
  });
}
