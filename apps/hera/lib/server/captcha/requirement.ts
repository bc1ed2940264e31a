import type { Fields, GuardedFlow } from "../kratos-edge/submission";
import type { CaptchaPolicy } from "@olympus/athena-store/settings";

/**
 * Which submissions need a solved CAPTCHA, and on which flows the widget
 * shows so the next submission can carry one. `loginFailures` is the
 * highest failed-password count the edge holds for the identifiers and the
 * client address concerned (asked only when the policy counts them).
 */

function submitted(fields: Fields, name: string): boolean {
  return (fields.get(name) ?? []).some((value) => value.trim() !== "");
}

/** Whether this POST needs a solved challenge. */
export function submissionNeedsCaptcha(kind: GuardedFlow, fields: Fields, policy: CaptchaPolicy, loginFailures: () => Promise<number>) {
  switch (kind) {
    // Every step of a sign-up: each can create an account or send a mail.
    case "registration":
      return Promise.resolve(policy.registration);
    // Asking for a recovery mail (an address); entering the code it sent is limited by the guess counters.
    case "recovery":
      return Promise.resolve(policy.recovery && submitted(fields, "email"));
    case "login":
      return policy.loginAfterFailures > 0 && isPasswordGuess(fields)
        ? loginFailures().then((count) => count >= policy.loginAfterFailures)
        : Promise.resolve(false);
    case "verification":
      return Promise.resolve(false);
  }
}

/** Whether a flow shows the widget (its next submission may need it). */
export function flowShowsCaptcha(kind: GuardedFlow, policy: CaptchaPolicy, loginFailures: () => Promise<number>): Promise<boolean> {
  switch (kind) {
    case "registration":
      return Promise.resolve(policy.registration);
    case "recovery":
      return Promise.resolve(policy.recovery);
    case "login":
      return policy.loginAfterFailures > 0 ? loginFailures().then((count) => count >= policy.loginAfterFailures) : Promise.resolve(false);
    case "verification":
      return Promise.resolve(false);
  }
}

/** A password sign-in attempt: what the failure counters count. */
function isPasswordGuess(fields: Fields): boolean {
  return (fields.get("method") ?? []).includes("password") && submitted(fields, "password");
}
