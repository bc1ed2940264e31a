import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { readPlainSettings } from "./plain-read";
import { storedValues } from "./stored-values";

/**
 * A domain's second-factor policy as stored in its settings (Athena's
 * "Second factor (MFA)" group) and read by Hera at run time. The parsers
 * here are the one definition of each value's text: Athena checks a form
 * with them, Hera reads the stored rows with them, so both agree on what a
 * stored value means.
 */
export const MFA_SETTING_KEYS = {
  required: "mfa.required",
  allowedMethods: "mfa.allowed_methods",
  graceDays: "mfa.grace_days",
} as const;

/** The Kratos credential types that can be a second factor, as Kratos names its methods. */
export const SECOND_FACTOR_METHODS = ["totp", "webauthn", "lookup_secret"] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

/** While `mfa.allowed_methods` is unset: an authenticator app or a security key; backup codes alone are no device. */
export const DEFAULT_SECOND_FACTOR_METHODS: readonly SecondFactorMethod[] = ["totp", "webauthn"];
export const MAX_MFA_SETTING_GRACE_DAYS = 90;

export interface EffectiveMfaPolicy {
  required: boolean;
  graceDays: number;
  /** Only these count as a second factor. */
  allowedMethods: readonly SecondFactorMethod[];
  /**
   * Offered for enrolment: the allowed methods once `mfa.allowed_methods` is
   * set; while it is unset, every method (backup codes too — they only do
   * not count as a device on their own). Absent: the allowed methods.
   */
  offeredMethods?: readonly SecondFactorMethod[];
}

/** `on`/`off` (also true/false, yes/no) as the stored `true`/`false`; undefined when it is neither. */
export function parseMfaRequired(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (["on", "true", "yes"].includes(word)) return true;
  if (["off", "false", "no"].includes(word)) return false;
  return undefined;
}

/** Method names separated by spaces or commas, in catalogue order without repeats; undefined when one is unknown or none is given. */
export function parseSecondFactorMethods(text: string): SecondFactorMethod[] | undefined {
  const names = text
    .trim()
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (names.length === 0 || !names.every((name) => (SECOND_FACTOR_METHODS as readonly string[]).includes(name))) return undefined;
  return SECOND_FACTOR_METHODS.filter((method) => names.includes(method));
}

/** Whole days from 0 to 90; undefined otherwise. */
export function parseMfaGraceDays(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const days = Number(trimmed);
  return days <= MAX_MFA_SETTING_GRACE_DAYS ? days : undefined;
}

/**
 * The policy from stored values over the deployment's defaults (Hera's
 * MFA_REQUIRED / MFA_GRACE_DAYS): an unset key keeps its default, and so
 * does one whose stored text no longer parses (reported in `invalid`).
 */
export function mfaPolicyFromSettings(
  stored: ReadonlyMap<string, string>,
  defaults: { required: boolean; graceDays: number },
): { policy: EffectiveMfaPolicy; invalid: string[] } {
  const { pick, invalid } = storedValues(stored);
  const allowedSet = pick(MFA_SETTING_KEYS.allowedMethods, parseSecondFactorMethods, undefined);
  return {
    policy: {
      required: pick(MFA_SETTING_KEYS.required, parseMfaRequired, defaults.required),
      graceDays: pick(MFA_SETTING_KEYS.graceDays, parseMfaGraceDays, defaults.graceDays),
      allowedMethods: allowedSet ?? [...DEFAULT_SECOND_FACTOR_METHODS],
      offeredMethods: allowedSet ?? [...SECOND_FACTOR_METHODS],
    },
    invalid,
  };
}

/** The MFA rows of one domain (see `readPlainSettings`). */
export function readMfaSettings(pool: pg.Pool, domain: Domain): Promise<Map<string, string>> {
  return readPlainSettings(pool, domain, Object.values(MFA_SETTING_KEYS));
}
