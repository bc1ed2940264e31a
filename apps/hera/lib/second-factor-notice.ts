import type { MfaFacts } from "./login-decision";

/** What Hera tells a signed-in person about the second factor the domain requires. */
export type SecondFactorNotice =
  /** Nothing to say: not required, or a device is set up. */
  | { kind: "none" }
  /** Required and the grace period is over: the next sign-in to an application asks to enrol one. */
  | { kind: "required" }
  /** Required, still within the grace period: this many days (rounded up) left. */
  | { kind: "grace"; daysLeft: number };

const DAY_MS = 24 * 60 * 60 * 1000;

export function secondFactorNotice(mfa: MfaFacts, now: number): SecondFactorNotice {
  if (!mfa.required || mfa.enrolled) return { kind: "none" };
  if (now >= mfa.graceEndsAt) return { kind: "required" };
  return { kind: "grace", daysLeft: Math.max(1, Math.ceil((mfa.graceEndsAt - now) / DAY_MS)) };
}
