import { DEFAULT_SECOND_FACTOR_METHODS } from "@olympus/athena-store/settings";
import type { MfaFacts } from "./login-decision";

/** What Hera tells a signed-in person about the second factor the domain requires. */
export type SecondFactorNotice =
  /** Nothing to say: not required, or a device is set up. */
  | { kind: "none" }
  /** Required and the grace period is over: the person is sent to enrol one before anything else. */
  | { kind: "required"; methods: readonly string[] }
  /** Required, still within the grace period: this many days (rounded up) left. */
  | { kind: "grace"; daysLeft: number; methods: readonly string[] };

const DAY_MS = 24 * 60 * 60 * 1000;

export function secondFactorNotice(mfa: MfaFacts, now: number): SecondFactorNotice {
  if (!mfa.required || mfa.enrolled) return { kind: "none" };
  const methods = mfa.allowedMethods ?? DEFAULT_SECOND_FACTOR_METHODS;
  if (now >= mfa.graceEndsAt) return { kind: "required", methods };
  return { kind: "grace", daysLeft: Math.max(1, Math.ceil((mfa.graceEndsAt - now) / DAY_MS)), methods };
}

/** How the settings page names each method Kratos offers (Kratos' credential type names). */
const METHOD_PHRASES: Readonly<Record<string, string>> = {
  totp: "an authenticator app (TOTP)",
  webauthn: "a security key or passkey",
  lookup_secret: "backup codes",
};

/** "an authenticator app (TOTP) or a security key or passkey": only the methods that count, in the policy's order. */
export function describeSecondFactorMethods(methods: readonly string[]): string {
  const phrases = methods.map((method) => METHOD_PHRASES[method] ?? method);
  if (phrases.length <= 1) return phrases[0] ?? "a second factor";
  if (phrases.length === 2) return `${phrases[0]} or ${phrases[1]}`;
  return `${phrases.slice(0, -1).join(", ")}, or ${phrases.at(-1)}`;
}
