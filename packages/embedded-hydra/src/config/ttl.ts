import { z } from "zod";
import { parseGoDurationNanos } from "../clients/lifespans";

/**
 * Hydra's `ttl.*` (driver/config/provider.go and provider_fosite.go: each a
 * Go time.Duration read with DurationF; .schema/config.schema.json types
 * them with `definitions.duration`). The token lifespans are kept exactly,
 * in nanoseconds, as fosite uses them; the others as whole seconds, the unit
 * of what reads them here (oidc-provider's Interaction and DeviceCode ttl,
 * cookie Max-Age, flow expiry).
 */

/** Hydra's `definitions.duration`: digits and a unit, repeated. No sign, no fraction, no bare `0`, no `µs`. */
export const HYDRA_DURATION_PATTERN = /^(\d+(ns|us|ms|s|m|h))+$/;

const NANOS_PER_SECOND = 1_000_000_000n;

/** The refresh token lifespan that never ends: Hydra's `ttl.refresh_token: -1` (koanf reads it as -1 ns; fosite's `rtLifespan > -1` then sets no expiry). */
export const NEVER_EXPIRES = -1n;

/**
 * The longest life oidc-provider is given for what "never" expires (its ttl
 * functions take positive whole seconds; 2^31 - 1 s is about 68 years and
 * fits Postgres' `make_interval(secs => int)`).
 */
export const NEVER_SECONDS = 2 ** 31 - 1;

type Issue = { addIssue(issue: { code: "custom"; message: string }): void };

function durationNanos(value: string, ctx: Issue): bigint | typeof z.NEVER {
  const nanos = HYDRA_DURATION_PATTERN.test(value) ? parseGoDurationNanos(value) : undefined;
  if (nanos === undefined) {
    ctx.addIssue({
      code: "custom",
      message: HYDRA_DURATION_PATTERN.test(value)
        ? `"${value}" is longer than Go's time.Duration can hold (about 292 years)`
        : `expected a duration matching ${HYDRA_DURATION_PATTERN.source} (Hydra's config schema), such as "1h", "1h30m" or "500ms", got "${value}"`,
    });
    return z.NEVER;
  }
  return nanos;
}

/** A token lifespan, exactly (nanoseconds). */
const lifespan = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => durationNanos(value, ctx));

/** `ttl.refresh_token`: a duration, or -1 (number or string) for refresh tokens that never expire. */
const refreshLifespan = z
  .union([z.literal(-1), z.string()])
  .default("720h")
  .transform((value, ctx) => (value === -1 || value === "-1" ? NEVER_EXPIRES : durationNanos(value, ctx)));

/** A ttl read in whole seconds here (rounded); it must come to at least one. */
const wholeSeconds = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const nanos = durationNanos(value, ctx);
      if (typeof nanos !== "bigint") return z.NEVER;
      const seconds = Math.round(Number(nanos) / 1e9);
      if (seconds < 1) {
        ctx.addIssue({
          code: "custom",
          message: `must be at least one second here (oidc-provider counts it in whole seconds), got "${value}"`,
        });
        return z.NEVER;
      }
      return seconds;
    });

/** Whole seconds oidc-provider is given where it needs a positive count: rounded up, at least one. */
export function providerSeconds(nanos: bigint): number {
  if (nanos === NEVER_EXPIRES) return NEVER_SECONDS;
  if (nanos <= 0n) return 1;
  return Number((nanos + NANOS_PER_SECOND - 1n) / NANOS_PER_SECOND);
}

/**
 * The verifiable-credentials nonce's lifespan: GetVerifiableCredentialsNonceLifespan
 * reads `ttl.vc_nonce` with a default of 1h, but the config schema refuses
 * that key, so the default is all Hydra ever uses.
 */
export const VC_NONCE_SECONDS = 3600;

/** `ttl`'s properties in .schema/config.schema.json (`authentication_session` is not run here; the config loader warns about it). */
const HYDRA_TTL_KEYS = new Set([
  "login_consent_request",
  "authentication_session",
  "access_token",
  "refresh_token",
  "id_token",
  "auth_code",
  "device_user_code",
]);

export const ttlSchema = z
  .object({
    login_consent_request: wholeSeconds("30m"),
    access_token: lifespan("1h"),
    refresh_token: refreshLifespan,
    id_token: lifespan("1h"),
    auth_code: lifespan("10m"),
    device_user_code: wholeSeconds("15m"),
  })
  // Kept loose so the check below sees every key the file has.
  .loose()
  .superRefine((ttl, ctx) => {
    // `ttl` has additionalProperties: false; ory/jsonschema's text, at the `ttl` object.
    const extra = Object.keys(ttl).filter((key) => !HYDRA_TTL_KEYS.has(key));
    if (extra.length > 0)
      ctx.addIssue({ code: "custom", message: `additionalProperties ${extra.map((key) => JSON.stringify(key)).join(", ")} not allowed` });
  })
  .prefault({})
  .transform((ttl) => ({
    login_consent_request: ttl.login_consent_request,
    device_user_code: ttl.device_user_code,
    // The token lifespans in whole seconds, for what oidc-provider counts in them (a grant's first life, a resource server's default).
    access_token: providerSeconds(ttl.access_token),
    refresh_token: providerSeconds(ttl.refresh_token),
    id_token: providerSeconds(ttl.id_token),
    auth_code: providerSeconds(ttl.auth_code),
    /** The token lifespans exactly, in nanoseconds (Go's time.Duration); `refresh_token` is NEVER_EXPIRES for -1. */
    lifespans: { access_token: ttl.access_token, refresh_token: ttl.refresh_token, id_token: ttl.id_token, auth_code: ttl.auth_code },
  }));

export type TtlConfig = z.output<typeof ttlSchema>;
