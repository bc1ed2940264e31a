/**
 * Hydra's per-client token lifespans (its `Lifespans` model, embedded in the
 * client and settable alone through PUT /admin/clients/{id}/lifespans). Each
 * is a Go duration that, when set, takes precedence over the global `ttl.*`.
 */
export const LIFESPAN_FIELDS = [
  "authorization_code_grant_access_token_lifespan",
  "authorization_code_grant_id_token_lifespan",
  "authorization_code_grant_refresh_token_lifespan",
  "client_credentials_grant_access_token_lifespan",
  "device_authorization_grant_access_token_lifespan",
  "device_authorization_grant_id_token_lifespan",
  "device_authorization_grant_refresh_token_lifespan",
  "implicit_grant_access_token_lifespan",
  "implicit_grant_id_token_lifespan",
  "jwt_bearer_grant_access_token_lifespan",
  "refresh_token_grant_access_token_lifespan",
  "refresh_token_grant_id_token_lifespan",
  "refresh_token_grant_refresh_token_lifespan",
] as const;

export type LifespanField = (typeof LIFESPAN_FIELDS)[number];

/** The subset oidc-provider issues tokens for here. */
export const ENFORCED_LIFESPANS = [
  "authorization_code_grant_access_token_lifespan",
  "authorization_code_grant_id_token_lifespan",
  "authorization_code_grant_refresh_token_lifespan",
  "client_credentials_grant_access_token_lifespan",
  "device_authorization_grant_access_token_lifespan",
  "device_authorization_grant_id_token_lifespan",
  "device_authorization_grant_refresh_token_lifespan",
  "implicit_grant_access_token_lifespan",
  "implicit_grant_id_token_lifespan",
  "jwt_bearer_grant_access_token_lifespan",
  "refresh_token_grant_access_token_lifespan",
  "refresh_token_grant_id_token_lifespan",
  "refresh_token_grant_refresh_token_lifespan",
] as const satisfies readonly LifespanField[];

export type EnforcedLifespan = (typeof ENFORCED_LIFESPANS)[number];

/** Seconds per enforced lifespan, carried in oidc-provider client metadata for the (synchronous) ttl functions. */
export type LifespanSeconds = Partial<Record<EnforcedLifespan, number>>;

/** Extra client metadata holding `LifespanSeconds`. */
export const LIFESPANS_METADATA = "olympus_hydra_lifespans";

/**
 * Go's time.Duration.String() for whole seconds ("5m0s", "1h0m0s", "30s"):
 * Hydra answers lifespans in that form whatever form was sent.
 */
export function formatGoDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return "0s";
  if (totalSeconds < 0) return `-${formatGoDuration(-totalSeconds)}`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, in seconds (rounded to whole seconds); undefined where Go returns an error. */
export function parseGoDuration(value: string): number | undefined {
  const match = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(value);
  if (!match) return undefined;
  let total = 0;
  for (const part of (match[2] ?? "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_SECONDS[part[2] ?? ""] ?? 0);
  }
  return Math.round(match[1] === "-" ? -total : total);
}

/** Only the lifespans that are set (Hydra omits unset ones from client JSON). */
export function setLifespans(lifespans: Partial<Record<LifespanField, string | undefined>>): Partial<Record<LifespanField, string>> {
  const set: Partial<Record<LifespanField, string>> = {};
  for (const field of LIFESPAN_FIELDS) {
    const value = lifespans[field];
    if (value) set[field] = value;
  }
  return set;
}

export function lifespanSeconds(lifespans: Partial<Record<LifespanField, string | undefined>>): LifespanSeconds {
  const seconds: LifespanSeconds = {};
  for (const field of ENFORCED_LIFESPANS) {
    const value = lifespans[field];
    const parsed = value ? parseGoDuration(value) : undefined;
    if (parsed && parsed > 0) seconds[field] = parsed;
  }
  return seconds;
}
