import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Domain } from "@olympus/runtime-config/config";

/**
 * Hera's abuse limits: brute-force, mail and registration limits applied at
 * the edge, in front of this domain's Kratos (real or embedded), so they hold
 * whatever Kratos runs behind Hera. Read once at start-up from the YAML file
 * LIMITS_FILE names (platform/{dev,prod}/<domain>-hera/limits.yml); every key
 * is optional and takes the domain's production figure below.
 */

/** Go-style durations as the Ory configs write them: "30s", "15m", "1h", "1h30m", "500ms". */
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(input: string): number | undefined {
  const text = input.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ""] ?? Number.NaN);
    end = re.lastIndex;
  }
  return text.length > 0 && end === text.length && Number.isFinite(total) ? total : undefined;
}

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
    /**
     * Peers whose X-Forwarded-For is believed (Caddy in front of Hera). Empty
     * (the default): the connection's own address is the client, whatever
     * the request claims.
     */
    trusted_proxies: z.array(cidr),
    /** Client addresses the per-IP counts skip; per-identifier and per-address limits still apply. */
    exempt_from_ip_limits: z.array(cidr),
  }),
  attempts: z.strictObject({ password: attemptSchema, code: attemptSchema, totp: attemptSchema, lookup_secret: attemptSchema }),
  sends: z.strictObject({ per_address: ruleSchema, per_ip: ruleSchema }),
  registrations: z.strictObject({ per_ip: ruleSchema }),
  /**
   * Guesses at a device's user code on Hera's /device page (RFC 8628 §5.1:
   * the user code has little entropy, so guessing must be limited). Counted
   * per device challenge (cleared when the right code is typed) and per
   * client address.
   */
  device_user_codes: z.strictObject({ per_challenge: ruleSchema, per_ip: ruleSchema }),
});

export type LimitsConfig = z.output<typeof limitsSchema> & {
  /** The file the values came from; undefined when only the built-in figures apply. */
  source: string | undefined;
};
export type LimitRule = z.output<typeof ruleSchema>;
export type AttemptKind = keyof LimitsConfig["attempts"];
export const ATTEMPT_KINDS: readonly AttemptKind[] = ["password", "code", "totp", "lookup_secret"];

/**
 * The built-in figures: each domain's production numbers (README, "Abuse
 * limits"), so an instance without a file is still protected. IAM is
 * stricter than CIAM on every count.
 */
export const DEFAULT_LIMITS: Record<Domain, Record<string, unknown>> = {
  ciam: {
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
    device_user_codes: { per_challenge: { max: 10, window: "15m", lockout: "15m" }, per_ip: { max: 50, window: "15m" } },
  },
  iam: {
    version: "v1",
    client_ip: { trusted_proxies: [], exempt_from_ip_limits: [] },
    attempts: {
      password: {
        per_identifier: { max: 5, window: "15m", backoff: { after: 3, base: "2s", max: "1m" }, lockout: "30m" },
        per_ip: { max: 30, window: "15m" },
      },
      code: { per_identifier: { max: 5, window: "15m", lockout: "30m" }, per_ip: { max: 20, window: "15m" } },
      totp: {
        per_identifier: { max: 5, window: "15m", backoff: { after: 3, base: "2s", max: "1m" }, lockout: "30m" },
        per_ip: { max: 20, window: "15m" },
      },
      lookup_secret: { per_identifier: { max: 5, window: "15m", lockout: "30m" }, per_ip: { max: 20, window: "15m" } },
    },
    sends: { per_address: { max: 3, window: "1h" }, per_ip: { max: 10, window: "1h" } },
    registrations: { per_ip: { max: 5, window: "1h" } },
    device_user_codes: { per_challenge: { max: 5, window: "15m", lockout: "15m" }, per_ip: { max: 20, window: "15m" } },
  },
};

/** A limits file that cannot be used; the message names the file, the key and the problem. */
export class LimitsFileError extends Error {
  override name = "LimitsFileError";
}

export interface LoadLimitsOptions {
  /** Deep-merged over the file before validation (tests). */
  overrides?: Record<string, unknown>;
}

/** Reads and validates a limits file over `domain`'s built-in figures; no file means the figures alone. */
export function loadLimits(domain: Domain, file: string | undefined, options: LoadLimitsOptions = {}): LimitsConfig {
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new LimitsFileError(`cannot read limits file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new LimitsFileError(`limits file ${file} is not valid YAML: ${(error as Error).message}`);
    }
    if (parsed !== null && !isPlainObject(parsed)) throw new LimitsFileError(`limits file ${file} must be a YAML mapping`);
    raw = parsed ?? {};
  }
  let merged = deepMerge(DEFAULT_LIMITS[domain], raw);
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  const result = limitsSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new LimitsFileError(`invalid limits file ${file ?? "(built-in figures)"}:\n${problems}`);
  }
  return { ...result.data, source: file };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
