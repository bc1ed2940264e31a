import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ConfigError, deepMerge } from "../config/load";
import { parseDuration } from "../config/duration";
import { isPlainObject } from "../config/unknown-keys";

/**
 * Olympus' abuse limits: an extension real Kratos does not have, so they live
 * in their own file next to kratos.yml (`olympus-limits.yml`) instead of
 * unknown keys that the Kratos binary would reject. Every key is optional;
 * missing ones take the built-in defaults below.
 */
export const LIMITS_FILE_NAME = "olympus-limits.yml";

const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a positive duration (use e.g. 30s, 15m, 1h)` });
    return z.NEVER;
  }
  return ms;
});

const backoffSchema = z.strictObject({
  /** Attempts allowed without waiting; from this many on, each next attempt waits `base`, doubling up to `max`. */
  after: z.number().int().min(1),
  base: duration,
  max: duration,
});

/** A counter: at most `max` hits per `window` (measured from the first hit); optional back-off and lockout. */
const ruleSchema = z
  .strictObject({
    max: z.number().int().min(1),
    window: duration,
    backoff: backoffSchema.optional(),
    /** Once `max` is reached the key is refused for this long, then starts afresh (default: until the window ends). */
    lockout: duration.optional(),
  })
  .refine((r) => !r.backoff || r.backoff.after <= r.max, { message: "backoff.after must not exceed max" })
  .refine((r) => !r.backoff || r.backoff.base <= r.backoff.max, { message: "backoff.base must not exceed backoff.max" });

const attemptSchema = z.strictObject({ per_identifier: ruleSchema, per_ip: ruleSchema });

const cidr = z.string().refine(
  (value) => {
    const [address = "", bits, ...rest] = value.split("/");
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
  },
  { message: "must be an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)" },
);

export const limitsSchema = z.strictObject({
  version: z.literal("v1"),
  client_ip: z.strictObject({
    trusted_proxies: z.array(cidr),
    /** Client addresses per-IP limits do not apply to (internal callers such as Athena); per-identifier limits still do. */
    exempt_from_ip_limits: z.array(cidr).default([]),
  }),
  attempts: z.strictObject({ password: attemptSchema, code: attemptSchema, totp: attemptSchema, lookup_secret: attemptSchema }),
  sends: z.strictObject({ per_address: ruleSchema, per_ip: ruleSchema }),
  registrations: z.strictObject({ per_ip: ruleSchema }),
});

export type LimitsConfig = z.output<typeof limitsSchema> & { source: string | undefined };
export type LimitRule = z.output<typeof ruleSchema>;
export type AttemptKind = keyof LimitsConfig["attempts"];

/**
 * Built-in values when the file (or a key in it) is missing: the CIAM
 * production numbers, so a server without a limits file is still protected.
 */
export const DEFAULT_LIMITS = {
  version: "v1",
  client_ip: { trusted_proxies: [], exempt_from_ip_limits: [] },
  attempts: {
    password: {
      per_identifier: { max: 10, window: "15m", backoff: { after: 5, base: "1s", max: "30s" }, lockout: "15m" },
      per_ip: { max: 100, window: "15m" },
    },
    code: { per_identifier: { max: 10, window: "15m", lockout: "15m" }, per_ip: { max: 50, window: "15m" } },
    totp: {
      per_identifier: { max: 10, window: "15m", backoff: { after: 5, base: "1s", max: "30s" }, lockout: "15m" },
      per_ip: { max: 50, window: "15m" },
    },
    lookup_secret: { per_identifier: { max: 10, window: "15m", lockout: "15m" }, per_ip: { max: 50, window: "15m" } },
  },
  sends: { per_address: { max: 5, window: "1h" }, per_ip: { max: 30, window: "1h" } },
  registrations: { per_ip: { max: 20, window: "1h" } },
} as const;

export interface LoadLimitsOptions {
  /** Explicit file; default: `olympus-limits.yml` in the Kratos config's folder. */
  path?: string;
  /** Deep-merged over the file before validation (tests). */
  overrides?: Record<string, unknown>;
}

/** Reads and validates the limits next to a Kratos config; a missing file means the defaults. */
export function loadLimits(kratosConfigPath: string, options: LoadLimitsOptions = {}): LimitsConfig {
  const file = path.resolve(options.path ?? path.join(path.dirname(kratosConfigPath), LIMITS_FILE_NAME));
  let raw: Record<string, unknown> = {};
  let source: string | undefined;
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ConfigError(`limits file ${file} is not valid YAML: ${(error as Error).message}`);
    }
    if (parsed !== null && !isPlainObject(parsed)) throw new ConfigError(`limits file ${file} must be a YAML mapping`);
    raw = parsed ?? {};
    source = file;
  } else if (options.path) {
    throw new ConfigError(`cannot read limits file ${file}: it does not exist`);
  }
  let merged = deepMerge(DEFAULT_LIMITS as unknown as Record<string, unknown>, raw);
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  const result = limitsSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new ConfigError(`invalid limits file ${source ?? "(built-in defaults)"}:\n${problems}`);
  }
  return { ...result.data, source };
}
