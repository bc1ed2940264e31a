import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { readPlainSettings } from "./plain-read";
import { storedValues } from "./stored-values";

/**
 * Where and how hard Hera asks for a proof-of-work CAPTCHA, as stored in a
 * domain's settings (Athena's "CAPTCHA" group) and read by Hera at run time.
 * The keys, bounds and defaults here are the one definition both use: Athena
 * checks a form against them, Hera reads the stored rows with them.
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
  const { pick, invalid } = storedValues(stored);
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
