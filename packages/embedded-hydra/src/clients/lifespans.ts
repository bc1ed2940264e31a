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

/**
 * Nanoseconds (decimal text: beyond 104 days a JSON number would lose them)
 * per enforced lifespan, carried in oidc-provider client metadata for the
 * (synchronous) ttl functions.
 */
export type LifespanNanos = Partial<Record<EnforcedLifespan, string>>;

/** Extra client metadata holding `LifespanNanos`. */
export const LIFESPANS_METADATA = "olympus_hydra_lifespans";

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = (1n << 63n) - 1n;

/**
 * Go's time.ParseDuration in nanoseconds (fractions beyond a nanosecond
 * dropped, as Go's scaling does); undefined where Go returns an error,
 * overflow included.
 */
export function parseGoDurationNanos(value: string): bigint | undefined {
  const match = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(value);
  if (!match) return undefined;
  let total = 0n;
  for (const part of (match[2] ?? "").matchAll(/(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g)) {
    const unit = UNIT_NANOS[part[3] ?? ""] ?? 0n;
    const whole = BigInt(part[1] || "0") * unit;
    const fraction = part[2] ?? "";
    const fractional = fraction === "" ? 0n : (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    total += whole + fractional;
    if (total > MAX_DURATION) return undefined;
  }
  return match[1] === "-" ? -total : total;
}

/** fmtFrac: `v` shown with `precision` decimals of which trailing zeros (and a bare point) are dropped. */
function withFraction(value: bigint, precision: number): { text: string; rest: bigint } {
  const scale = 10n ** BigInt(precision);
  const digits = (value % scale).toString().padStart(precision, "0").replace(/0+$/, "");
  return { text: digits === "" ? "" : `.${digits}`, rest: value / scale };
}

/** Go's time.Duration.String ("1.5s", "500ms", "1m30.25s", "2h0m0s"): Hydra answers lifespans in that form. */
export function formatGoDurationNanos(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  if (nanos < 0n) return `-${formatGoDurationNanos(-nanos)}`;
  if (nanos < 1_000_000_000n) {
    const [precision, unit] = nanos < 1_000n ? [0, "ns"] : nanos < 1_000_000n ? [3, "µs"] : [6, "ms"];
    const { text, rest } = withFraction(nanos, precision);
    return `${rest}${text}${unit}`;
  }
  const { text, rest: wholeSeconds } = withFraction(nanos, 9);
  const seconds = `${wholeSeconds % 60n}${text}s`;
  const minutes = wholeSeconds / 60n;
  if (minutes === 0n) return seconds;
  const hours = minutes / 60n;
  return hours === 0n ? `${minutes % 60n}m${seconds}` : `${hours}h${minutes % 60n}m${seconds}`;
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

export function lifespanNanos(lifespans: Partial<Record<LifespanField, string | undefined>>): LifespanNanos {
  const nanos: LifespanNanos = {};
  for (const field of ENFORCED_LIFESPANS) {
    const value = lifespans[field];
    const parsed = value ? parseGoDurationNanos(value) : undefined;
    // Zero and negative lifespans too: Hydra stores them and mints tokens born expired (tokens/fosite-expiry.ts).
    if (parsed !== undefined) nanos[field] = parsed.toString();
  }
  return nanos;
}
