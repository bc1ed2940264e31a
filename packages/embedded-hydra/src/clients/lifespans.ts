import { z } from "zod";
import { parseDurationSeconds } from "../config/duration";

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

/** The subset oidc-provider issues tokens for here (no implicit, device or JWT-bearer grants). */
export const ENFORCED_LIFESPANS = [
  "authorization_code_grant_access_token_lifespan",
  "authorization_code_grant_id_token_lifespan",
  "authorization_code_grant_refresh_token_lifespan",
  "client_credentials_grant_access_token_lifespan",
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
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** null/"" clear a lifespan (the global ttl applies), as Hydra's NullDuration does. */
const lifespan = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === "") return undefined;
    const seconds = parseDurationSeconds(value);
    if (seconds === undefined || seconds < 1) {
      ctx.addIssue({ code: "custom", message: `"${value}" is not a positive duration such as "5m" or "1h30m"` });
      return z.NEVER;
    }
    return formatGoDuration(seconds);
  });

export const lifespansSchema = z.object(Object.fromEntries(LIFESPAN_FIELDS.map((field) => [field, lifespan])) as Record<LifespanField, typeof lifespan>);

export type Lifespans = z.output<typeof lifespansSchema>;

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
    const parsed = value ? parseDurationSeconds(value) : undefined;
    if (parsed) seconds[field] = parsed;
  }
  return seconds;
}
