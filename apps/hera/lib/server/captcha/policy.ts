import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { readPlainSettings } from "@olympus/athena-store/settings";

/**
 * Where and how hard Hera asks for a proof-of-work CAPTCHA: Athena's typed
 * "CAPTCHA" settings group (apps/athena/features/settings/catalog.ts checks
 * the same texts and bounds when an admin saves them), read at run time.
 */
export const CAPTCHA_SETTING_KEYS = {
  registration: "captcha.registration",
  recovery: "captcha.recovery",
  loginAfterFailures: "captcha.login_after_failures",
  difficulty: "captcha.difficulty",
} as const;

/** ALTCHA's "max number": the most SHA-256 hashes a browser may need for one challenge (about half on average). */
export const CAPTCHA_DIFFICULTY = { min: 1_000, max: 500_000, default: 50_000 } as const;
export const CAPTCHA_MAX_LOGIN_FAILURES = 100;

export interface CaptchaPolicy {
  /** Every sign-up submission needs a solved challenge. */
  registration: boolean;
  /** Asking for a recovery mail needs a solved challenge. */
  recovery: boolean;
  /** 0: never; N: a password sign-in needs one once its identifier or client address has N failures counted. */
  loginAfterFailures: number;
  difficulty: number;
}

/** While nothing is stored: no CAPTCHA anywhere (the edge's rate limits still apply). */
export const DEFAULT_CAPTCHA_POLICY: CaptchaPolicy = {
  registration: false,
  recovery: false,
  loginAfterFailures: 0,
  difficulty: CAPTCHA_DIFFICULTY.default,
};

function parseSwitch(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (["on", "true", "yes"].includes(word)) return true;
  if (["off", "false", "no"].includes(word)) return false;
  return undefined;
}

function parseWhole(min: number, max: number): (text: string) => number | undefined {
  return (text) => {
    const trimmed = text.trim();
    if (!/^\d{1,7}$/.test(trimmed)) return undefined;
    const value = Number(trimmed);
    return value >= min && value <= max ? value : undefined;
  };
}

/** The policy from stored values: an unset key, or one whose text does not parse (listed in `invalid`), keeps its default. */
export function captchaPolicyFromSettings(stored: ReadonlyMap<string, string>): { policy: CaptchaPolicy; invalid: string[] } {
  const invalid: string[] = [];
  const pick = <T>(key: string, parse: (text: string) => T | undefined, fallback: T): T => {
    const text = stored.get(key);
    if (text === undefined) return fallback;
    const value = parse(text);
    if (value === undefined) invalid.push(key);
    return value ?? fallback;
  };
  const keys = CAPTCHA_SETTING_KEYS;
  const defaults = DEFAULT_CAPTCHA_POLICY;
  return {
    policy: {
      registration: pick(keys.registration, parseSwitch, defaults.registration),
      recovery: pick(keys.recovery, parseSwitch, defaults.recovery),
      loginAfterFailures: pick(keys.loginAfterFailures, parseWhole(0, CAPTCHA_MAX_LOGIN_FAILURES), defaults.loginAfterFailures),
      difficulty: pick(keys.difficulty, parseWhole(CAPTCHA_DIFFICULTY.min, CAPTCHA_DIFFICULTY.max), defaults.difficulty),
    },
    invalid,
  };
}

/** The CAPTCHA rows of one domain (see `readPlainSettings`). */
export function readCaptchaSettings(pool: pg.Pool, domain: Domain): Promise<Map<string, string>> {
  return readPlainSettings(pool, domain, Object.values(CAPTCHA_SETTING_KEYS));
}

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
