import type { Charge, Fields, GuardedFlow } from "../kratos-edge/submission";
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

/**
 * Whether this submission needs a solved challenge, by POST or by GET alike
 * (Kratos' link strategies read a GET's query as a form). `charges` are the
 * edge's charges for it (submission.ts chargesFor): a recovery submission that
 * has Kratos send a mail needs one whichever field names the address.
 */
export function submissionNeedsCaptcha(
  kind: GuardedFlow,
  fields: Fields,
  policy: CaptchaPolicy,
  loginFailures: () => Promise<number>,
  charges: readonly Charge[] = [],
) {
  switch (kind) {
    // Every step of a sign-up: each can create an account or send a mail.
    case "registration":
      return Promise.resolve(policy.registration);
    // Asking for a recovery mail: an `email`, or any submission Kratos sends one for (a link by GET, recovery v2's
    // `recovery_address` and `recovery_confirm_address`); entering the code it sent is limited by the guess counters.
    case "recovery":
      return Promise.resolve(policy.recovery && (submitted(fields, "email") || charges.some((charge) => charge.type === "mail")));
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
