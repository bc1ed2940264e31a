import { captchaPolicyFromSettings, type CaptchaPolicy } from "@olympus/athena-store/settings";

/**
 * Hera's view of the CAPTCHA policy (keys, bounds and parsing live in
 * @olympus/athena-store/settings, shared with Athena's form): read at run
 * time, briefly cached.
 */

/** How long a read policy is kept: an admin's change applies within this, on every instance, without a restart. */
export const CAPTCHA_POLICY_TTL_MS = 5_000;

export interface CaptchaPolicySource {
  /** The policy in force now. Throws while the settings cannot be read and none was read before. */
  current(): Promise<CaptchaPolicy>;
}

/**
 * The policy, read at most once per TTL (concurrent callers share one read).
 * While the store cannot be read, the last policy read stays in force: a
 * database outage must not switch CAPTCHA off (the edge refuses guarded
 * submissions then anyway, its counters live there too).
 */
export function createCaptchaPolicySource(options: {
  read: () => Promise<ReadonlyMap<string, string>>;
  log?: (line: Record<string, unknown>) => void;
  ttlMs?: number;
  now?: () => number;
}): CaptchaPolicySource {
  const ttl = options.ttlMs ?? CAPTCHA_POLICY_TTL_MS;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let cached: { policy: CaptchaPolicy; until: number } | undefined;
  let pending: Promise<CaptchaPolicy> | undefined;
  const reported = new Set<string>();

  async function load(): Promise<CaptchaPolicy> {
    let stored: ReadonlyMap<string, string>;
    try {
      stored = await options.read();
    } catch (error) {
      if (cached) {
        log({ level: "error", msg: "captcha policy: settings unreadable, the last one read stays", error: (error as Error).message });
        cached = { policy: cached.policy, until: now() + ttl };
        return cached.policy;
      }
      throw error;
    }
    const { policy, invalid } = captchaPolicyFromSettings(stored);
    for (const key of invalid) {
      if (reported.has(key)) continue;
      reported.add(key);
      log({ level: "warn", msg: "captcha policy: stored value not understood, its default applies", key });
    }
    cached = { policy, until: now() + ttl };
    return policy;
  }

  return {
    current() {
      if (cached && cached.until > now()) return Promise.resolve(cached.policy);
      pending ??= load().finally(() => (pending = undefined));
      return pending;
    },
  };
}
