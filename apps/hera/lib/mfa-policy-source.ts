import { mfaPolicyFromSettings, type EffectiveMfaPolicy } from "@olympus/athena-store/settings";

/** How long Hera keeps a policy it read: a change in Athena applies within this, without a restart. */
export const MFA_POLICY_TTL_MS = 15_000;

export interface MfaPolicySourceOptions {
  /** The domain's stored MFA rows (readMfaSettings over Hera's olympus pool). */
  read: () => Promise<ReadonlyMap<string, string>>;
  /** The deployment's defaults (MFA_REQUIRED, MFA_GRACE_DAYS): they apply to every unset key, and to all while the store cannot be read. */
  defaults: { required: boolean; graceDays: number };
  log: (line: Record<string, unknown>) => void;
  ttlMs?: number;
  now?: () => number;
}

export interface MfaPolicySource {
  /** The policy in force now; never throws. */
  current(): Promise<EffectiveMfaPolicy>;
}

/**
 * The effective MFA policy, read from the settings store at most once per
 * TTL (concurrent callers share one read). A store that cannot be read, or a
 * stored value that no longer parses, falls back to the defaults — logged
 * once per outage or per value, not once per sign-in.
 */
export function createMfaPolicySource(options: MfaPolicySourceOptions): MfaPolicySource {
  const ttl = options.ttlMs ?? MFA_POLICY_TTL_MS;
  const now = options.now ?? Date.now;
  let cached: { policy: EffectiveMfaPolicy; until: number } | undefined;
  let pending: Promise<EffectiveMfaPolicy> | undefined;
  let storeDown = false;
  const reportedInvalid = new Set<string>();

  async function load(): Promise<EffectiveMfaPolicy> {
    let stored: ReadonlyMap<string, string>;
    try {
      stored = await options.read();
      if (storeDown) options.log({ level: "info", msg: "mfa policy: settings readable again" });
      storeDown = false;
    } catch (error) {
      if (!storeDown)
        options.log({
          level: "error",
          msg: "mfa policy: settings unreadable, the deployment's defaults apply",
          error: (error as Error).message,
        });
      storeDown = true;
      stored = new Map();
    }
    const { policy, invalid } = mfaPolicyFromSettings(stored, options.defaults);
    for (const key of invalid) {
      if (reportedInvalid.has(key)) continue;
      reportedInvalid.add(key);
      options.log({ level: "warn", msg: "mfa policy: stored value not understood, its default applies", key });
    }
    cached = { policy, until: now() + ttl };
    return policy;
  }

  return {
    current() {
      if (cached && now() < cached.until) return Promise.resolve(cached.policy);
      pending ??= load().finally(() => (pending = undefined));
      return pending;
    },
  };
}
